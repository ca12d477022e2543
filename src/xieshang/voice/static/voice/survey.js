// Skip logic on the answer sheet: the options of a single choice question may jump to a later
// question or to the end; skipped questions are hidden and their inputs disabled (the server drops
// answers to skipped questions anyway). Without script every question shows and the server decides.
(function () {
  "use strict";
  var sheet = document.querySelector("[data-survey-sheet]");
  if (!sheet) { return; }
  var questions = Array.prototype.slice.call(sheet.querySelectorAll("[data-question]"));
  function indexOf(id) {
    for (var i = 0; i < questions.length; i++) {
      if (questions[i].getAttribute("data-question") === id) { return i; }
    }
    return -1;
  }
  function update() {
    var shown = {};
    var i = 0;
    while (i < questions.length) {
      var q = questions[i];
      shown[i] = true;
      i += 1;
      if (q.getAttribute("data-kind") !== "single") { continue; }
      var checked = q.querySelector("input[type=radio]:checked");
      var jump = checked ? checked.getAttribute("data-jump") : "";
      if (jump === "end") { break; }
      if (jump) {
        var target = indexOf(jump);
        if (target >= i) { i = target; }
      }
    }
    questions.forEach(function (q, n) {
      var visible = !!shown[n];
      q.hidden = !visible;
      q.querySelectorAll("input, textarea").forEach(function (input) { input.disabled = !visible; });
    });
  }
  sheet.addEventListener("change", update);
  update();
})();
