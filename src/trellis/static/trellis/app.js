// Trellis in the browser: the person's app installs a service worker so the coping toolbox and
// crisis contacts open offline; signing out removes everything it cached on this device.
(function () {
  "use strict";
  var body = document.body;
  var worker = body.getAttribute("data-service-worker");
  if (worker && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(worker, { scope: "/me/" }).catch(function () {});
  }
  var signOut = document.querySelector("form.sign-out");
  if (signOut && "caches" in window) {
    signOut.addEventListener("submit", function (event) {
      if (signOut.dataset.cleared) return;
      event.preventDefault();
      var done = function () { signOut.dataset.cleared = "1"; signOut.submit(); };
      var unregister = navigator.serviceWorker
        ? navigator.serviceWorker.getRegistrations().then(function (rs) {
            return Promise.all(rs.map(function (r) { return r.unregister(); }));
          })
        : Promise.resolve();
      Promise.all([
        caches.keys().then(function (keys) {
          return Promise.all(keys.map(function (k) { return caches.delete(k); }));
        }),
        unregister,
      ]).then(done, done);
    });
  }
})();

// Questionnaires: an item asked only after a "yes" to an earlier one (DAST-10 items 2-10) is
// hidden until that yes. Without scripts every item shows, with a note saying when to answer it.
(function () {
  "use strict";
  var gated = document.querySelectorAll("input[data-asked-if-yes]");
  if (!gated.length) return;
  var form = gated[0].form;
  var update = function () {
    gated.forEach(function (input) {
      var gate = form.querySelector("input[name='" + input.dataset.askedIfYes + "']:checked");
      var field = input.closest(".field");
      if (field) field.hidden = !(gate && gate.value === "true");
    });
  };
  form.addEventListener("change", update);
  update();
})();
