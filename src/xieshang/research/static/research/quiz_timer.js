// The attempt page: the time left until the quiz closes, the answers kept in this browser while the
// member answers (a reload or a dropped connection on a phone loses nothing), and the attempt handed in
// by itself at the closing second. No network calls besides that submission.
(function () {
  "use strict";
  var form = document.querySelector("[data-testid=attempt-form]");
  if (!form) { return; }
  var key = "xieshang-quiz-attempt-" + form.dataset.attempt;
  var store = window.localStorage;

  function save() {
    var chosen = [];
    form.querySelectorAll("input:checked").forEach(function (input) { chosen.push(input.name + "=" + input.value); });
    try { store.setItem(key, JSON.stringify(chosen)); } catch (e) { /* private mode: nothing kept */ }
  }
  try {
    JSON.parse(store.getItem(key) || "[]").forEach(function (pair) {
      var at = pair.indexOf("="), name = pair.slice(0, at), value = pair.slice(at + 1);
      form.querySelectorAll("input").forEach(function (input) {
        if (input.name === name && input.value === value) { input.checked = true; }
      });
    });
  } catch (e) { /* a damaged entry: start afresh */ }
  form.addEventListener("change", save);

  var submitted = false;
  form.addEventListener("submit", function () { submitted = true; try { store.removeItem(key); } catch (e) {} });

  var clock = document.querySelector("[data-testid=attempt-clock]");
  var closes = Date.parse(form.dataset.closes);
  if (!clock || isNaN(closes)) { return; }
  var skew = Date.now() - Date.parse(form.dataset.now); // the phone's clock may be wrong: trust the server's
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var left = Math.round((closes - (Date.now() - skew)) / 1000);
    if (left <= 0) {
      clock.textContent = clock.dataset.closing;
      if (!submitted) { submitted = true; form.requestSubmit ? form.requestSubmit() : form.submit(); }
      return;
    }
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    clock.textContent = clock.dataset.label + " " + (h ? h + ":" + pad(m) : m) + ":" + pad(s);
    clock.classList.toggle("text-danger", left <= 300);
    window.setTimeout(tick, 1000);
  }
  tick();
})();
