/* TenantVoice — the little JavaScript the app has. Every page works without it. */
(function () {
  "use strict";

  // Service worker: installable app, pages already read stay readable offline.
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
    });
  }

  // CSRF header on every htmx request (forms also carry the hidden field).
  document.addEventListener("htmx:config:request", function (evt) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && evt.detail && evt.detail.ctx && evt.detail.ctx.request) {
      evt.detail.ctx.request.headers["X-CSRFToken"] = meta.content;
    }
  });

  // Logging out empties the offline copies kept on this phone.
  document.addEventListener("submit", function (evt) {
    if (evt.target && evt.target.hasAttribute("data-logout")) {
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({ type: "clear" });
      }
      if (window.caches) {
        caches.keys().then(function (keys) { keys.forEach(function (k) { caches.delete(k); }); });
      }
      try {  // unsent minutes kept on this phone while offline (static/js/minutes.js)
        Object.keys(localStorage).forEach(function (k) {
          if (k.indexOf("tv-minutes-") === 0) localStorage.removeItem(k);
        });
      } catch (e) { /* storage unavailable */ }
    }
  }, true);

  // Show / hide password.
  document.addEventListener("click", function (evt) {
    var btn = evt.target.closest("[data-toggle-password]");
    if (!btn) return;
    var input = document.getElementById(btn.getAttribute("data-toggle-password"));
    if (!input) return;
    var show = input.type === "password";
    input.type = show ? "text" : "password";
    btn.setAttribute("aria-pressed", show ? "true" : "false");
    btn.textContent = show ? btn.getAttribute("data-label-hide") : btn.getAttribute("data-label-show");
  });

  // Print buttons (invitation sheets): the browser's own print works without them.
  document.addEventListener("click", function (evt) {
    if (evt.target.closest("[data-print]")) window.print();
  });

  // Show the password toggles only when this script runs (without JS they would do nothing).
  function reveal(root) {
    (root || document).querySelectorAll("[data-toggle-password][hidden], [data-print][hidden]").forEach(function (b) {
      b.hidden = false;
    });
  }
  document.addEventListener("DOMContentLoaded", function () { reveal(); });
  document.addEventListener("htmx:after:swap", function (evt) { reveal(evt.target); });
})();
