// Small helpers without a framework: a filter box above long selects, confirmations on buttons.
(function () {
  "use strict";
  function searchable(select) {
    if (select.dataset.searchReady) { return; }
    select.dataset.searchReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = select.dataset.searchPlaceholder || "输入姓名或关键字筛选";
    box.setAttribute("data-testid", (select.name || "select") + "-filter");
    box.addEventListener("input", function () {
      var q = box.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.options, function (o) {
        o.hidden = q !== "" && o.text.toLowerCase().indexOf(q) === -1 && !o.selected;
      });
    });
    select.parentNode.insertBefore(box, select);
  }
  function init(root) {
    root.querySelectorAll("select[data-searchable]").forEach(searchable);
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (e) { init(e.target); });
  document.addEventListener("click", function (e) {
    var b = e.target.closest("[data-confirm]");
    if (b && !window.confirm(b.dataset.confirm)) { e.preventDefault(); }
  });
})();
