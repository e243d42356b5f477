// Guided exercises that run on the page: each step is shown for its seconds with a countdown;
// paced breathing cycles in, hold and out. Labels come from data attributes (translated).
(function () {
  "use strict";
  var box = document.querySelector("[data-exercise]");
  if (!box) return;
  var steps = Array.prototype.slice.call(box.querySelectorAll("[data-seconds]"));
  var timer = box.querySelector("[data-timer]");
  var start = box.querySelector("[data-start]");
  var next = box.querySelector("[data-next]");
  var stop = box.querySelector("[data-stop]");
  var finished = box.querySelector("[data-finished]");
  var breath = box.querySelector("[data-breath]");
  var phaseText = breath && breath.querySelector("[data-phase]");
  var tick = null, index = -1, left = 0, breathLeft = 0, phase = 0, phaseLeft = 0;
  var phases = breath ? [
    ["in", Number(breath.dataset.inhale), breath.dataset.labelIn],
    ["hold", Number(breath.dataset.hold), breath.dataset.labelHold],
    ["out", Number(breath.dataset.exhale), breath.dataset.labelOut],
  ].filter(function (p) { return p[1] > 0; }) : [];

  function clock(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }
  function show(i) {
    steps.forEach(function (li, n) {
      li.classList.toggle("current", n === i);
      if (n === i) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
      li.classList.toggle("done", n < i);
    });
    index = i;
    left = Number(steps[i].dataset.seconds);
  }
  function setPhase(p) {
    phase = p;
    phaseLeft = phases[p][1];
    breath.dataset.state = phases[p][0];
    phaseText.textContent = phases[p][2] + " " + phaseLeft;
  }
  function finish() {
    clearInterval(tick);
    tick = null;
    steps.forEach(function (li) { li.classList.remove("current"); li.classList.add("done"); });
    if (breath) { breath.dataset.state = "rest"; phaseText.textContent = ""; }
    timer.textContent = "";
    start.hidden = false; next.hidden = true; stop.hidden = true;
    finished.hidden = false;
    finished.focus();
  }
  function second() {
    if (breath && breathLeft > 0) {
      breathLeft -= 1;
      phaseLeft -= 1;
      if (phaseLeft <= 0) setPhase((phase + 1) % phases.length);
      else phaseText.textContent = phases[phase][2] + " " + phaseLeft;
    }
    left -= 1;
    if (left <= 0) {
      if (index + 1 < steps.length) show(index + 1);
      else if (!(breath && breathLeft > 0)) return finish();
      else left = breathLeft;
    }
    timer.textContent = clock(breath ? Math.max(breathLeft, 0) : left);
  }
  start.addEventListener("click", function () {
    finished.hidden = true;
    start.hidden = true; next.hidden = false; stop.hidden = false;
    show(0);
    if (breath) { breathLeft = Number(breath.dataset.minutes) * 60; setPhase(0); }
    timer.textContent = clock(breath ? breathLeft : left);
    tick = setInterval(second, 1000);
  });
  next.addEventListener("click", function () {
    if (index + 1 < steps.length) { show(index + 1); timer.textContent = clock(left); }
    else finish();
  });
  stop.addEventListener("click", finish);
})();
