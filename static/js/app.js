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

  // The logout form names this browser's push subscription, so the server forgets it even if
  // it was made in an earlier session (without JavaScript the server forgets the session's own).
  function pushEndpoint(root) {
    var fields = (root || document).querySelectorAll("[data-push-endpoint]");
    if (!fields.length || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
    navigator.serviceWorker.getRegistration()
      .then(function (reg) { return reg ? reg.pushManager.getSubscription() : null; })
      .then(function (sub) {
        fields.forEach(function (field) { field.value = sub ? sub.endpoint : ""; });
      })
      .catch(function () {});
  }
  document.addEventListener("DOMContentLoaded", function () { pushEndpoint(); });
  document.addEventListener("htmx:after:swap", function (evt) { pushEndpoint(evt.target); });

  // Logging out empties the offline copies kept on this phone and ends its push subscription
  // (the service worker finishes it even after the page has gone).
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

  // Poll form: show only the parts that fit the chosen type and audience (without JavaScript
  // every part shows, each saying when it applies).
  function pollFormParts() {
    var form = document.querySelector("form.poll-form");
    if (!form) return;
    var kind = form.querySelector("input[name=kind]:checked");
    var audience = form.querySelector("input[name=audience]:checked");
    form.querySelectorAll("[data-poll-kinds]").forEach(function (part) {
      part.hidden = !!kind && part.getAttribute("data-poll-kinds").split(" ").indexOf(kind.value) < 0;
    });
    form.querySelectorAll("[data-poll-audience]").forEach(function (part) {
      part.hidden = !!audience && audience.value !== part.getAttribute("data-poll-audience");
    });
  }
  document.addEventListener("change", function (evt) {
    if (evt.target && evt.target.closest && evt.target.closest("form.poll-form")) pollFormParts();
  });
  document.addEventListener("DOMContentLoaded", function () { pollFormParts(); });
  document.addEventListener("htmx:after:swap", function () { pollFormParts(); });

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

/* Phone notifications (web push), on the notification settings page: ask the browser for a
   subscription to our server key and hand it to the server; turn it off again. Without
   JavaScript (or push support) the page says so and the buttons stay hidden. */
(function () {
  "use strict";

  function supported() {
    return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  }

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function post(url, data) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(data)
    }).then(function (res) { if (!res.ok) throw new Error("HTTP " + res.status); });
  }

  function show(box, state) {
    box.querySelector("[data-push-status]").hidden = true;
    ["on", "off", "denied", "error"].forEach(function (name) {
      var el = box.querySelector("[data-push-text-" + name + "]");
      if (el) el.hidden = name !== state;
    });
    box.querySelector("[data-push-enable]").hidden = !(state === "off" || state === "error");
    box.querySelector("[data-push-disable]").hidden = state !== "on";
  }

  function registration() { return navigator.serviceWorker.ready; }

  function refresh(box) {
    if (!supported()) return;
    if (Notification.permission === "denied") { show(box, "denied"); return; }
    registration()
      .then(function (reg) { return reg.pushManager.getSubscription(); })
      .then(function (sub) { show(box, sub && Notification.permission === "granted" ? "on" : "off"); })
      .catch(function () { show(box, "off"); });
  }

  function enable(box) {
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { show(box, permission === "denied" ? "denied" : "off"); return null; }
      return registration().then(function (reg) {
        return reg.pushManager.getSubscription().then(function (sub) {
          return sub || reg.pushManager.subscribe({
            userVisibleOnly: true, applicationServerKey: keyBytes(box.getAttribute("data-server-key"))
          });
        });
      }).then(function (sub) {
        return post(box.getAttribute("data-subscribe-url"), sub.toJSON());
      }).then(function () { show(box, "on"); });
    }).catch(function () { show(box, "error"); });
  }

  function disable(box) {
    registration()
      .then(function (reg) { return reg.pushManager.getSubscription(); })
      .then(function (sub) {
        if (!sub) return null;
        return post(box.getAttribute("data-unsubscribe-url"), { endpoint: sub.endpoint })
          .then(function () { return sub.unsubscribe(); });
      })
      .then(function () { show(box, "off"); })
      .catch(function () { show(box, "error"); });
  }

  document.addEventListener("click", function (evt) {
    var box = evt.target.closest("[data-push]");
    if (!box || !supported()) return;
    if (evt.target.closest("[data-push-enable]")) enable(box);
    else if (evt.target.closest("[data-push-disable]")) disable(box);
  });

  function init(root) {
    (root || document).querySelectorAll("[data-push]").forEach(refresh);
  }
  document.addEventListener("DOMContentLoaded", function () { init(); });
  document.addEventListener("htmx:after:swap", function (evt) { init(evt.target); });

  // A push just arrived (the service worker says so): refresh the badge now, not in a minute.
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (evt) {
      var badge = document.getElementById("notif-badge");
      if (badge && evt.data && evt.data.type === "tv-notification") {
        badge.dispatchEvent(new CustomEvent("tv-refresh"));
      }
    });
  }
})();

/* Minutes editor: keep the form's version in step with autosaves, and keep an unsent copy on
   this phone only while saving fails (no network). The copy is sent when the connection comes
   back (or when the editor is opened again) and deleted as soon as the server confirms a save;
   every copy is deleted at logout. Without JavaScript the Save button posts the whole form.
   Loaded on every page (base.html): htmx's boosted navigations never run a page's own <head>
   scripts, so the editor is usually reached without this file being loaded by its page. */
(function () {
  "use strict";

  var PREFIX = "tv-minutes-";

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function keyFor(id) { return PREFIX + id; }

  function snapshot(form) {
    var data = { version: form.querySelector('input[name="version"]').value, at: Date.now(),
                 sections: {}, adjourned: "" };
    form.querySelectorAll("textarea.minutes-section").forEach(function (t) {
      data.sections[t.name] = t.value;
    });
    var adj = form.querySelector('input[name="adjourned_at"]');
    if (adj) data.adjourned = adj.value;
    return data;
  }

  function keepCopy(form) {
    var s = storage();
    if (!s) return;
    try { s.setItem(keyFor(form.getAttribute("data-minutes-editor")), JSON.stringify(snapshot(form))); }
    catch (e) { /* storage full or refused: the server copy is all we have */ }
  }

  function dropCopy(id) {
    var s = storage();
    if (s) s.removeItem(keyFor(id));
  }

  function hasCopy(id) {
    var s = storage();
    return !!(s && s.getItem(keyFor(id)));
  }

  function sameAsServer(form, data) {
    var same = true;
    Object.keys(data.sections || {}).forEach(function (name) {
      var t = form.querySelector('textarea[name="' + name + '"]');
      if (t && t.value !== data.sections[name]) same = false;
    });
    var adj = form.querySelector('input[name="adjourned_at"]');
    if (adj && typeof data.adjourned === "string" && adj.value !== data.adjourned) same = false;
    return same;
  }

  // Ask htmx for an autosave now (the form's trigger is "input").
  function saveSoon(form) {
    window.setTimeout(function () {
      if (window.htmx && form.isConnected) window.htmx.trigger(form, "input");
    }, 0);
  }

  // When the editor appears (page load, or a boosted navigation, which never runs this file
  // again): restore an unsent copy, then send it. The copy is compared with the server's text,
  // not by date: the phone's clock and the server's need not agree.
  function restore(form) {
    if (form.hasAttribute("data-restore-checked")) return;
    form.setAttribute("data-restore-checked", "");
    var s = storage();
    var id = form.getAttribute("data-minutes-editor");
    if (!s) return;
    var raw = s.getItem(keyFor(id));
    if (!raw) return;
    var data;
    try { data = JSON.parse(raw); } catch (e) { dropCopy(id); return; }
    if (!data || !data.sections || sameAsServer(form, data)) { dropCopy(id); return; }
    Object.keys(data.sections).forEach(function (name) {
      var t = form.querySelector('textarea[name="' + name + '"]');
      if (t) t.value = data.sections[name];
    });
    var adj = form.querySelector('input[name="adjourned_at"]');
    if (adj && typeof data.adjourned === "string") adj.value = data.adjourned;
    // Save against the version the copy started from: if someone saved since, the server
    // answers with the conflict view instead of overwriting their text.
    form.querySelector('input[name="version"]').value = data.version;
    var notice = document.getElementById("minutes-restored-" + id);
    if (notice) notice.hidden = false;
    saveSoon(form);
  }

  function restoreAll() {
    document.querySelectorAll("form[data-minutes-editor]").forEach(restore);
  }

  function editorOf(el) {
    return el && el.closest ? el.closest("form[data-minutes-editor]") : null;
  }

  document.addEventListener("DOMContentLoaded", restoreAll);
  document.addEventListener("htmx:after:process", restoreAll);

  // The connection is back: send what was kept on the phone.
  window.addEventListener("online", function () {
    document.querySelectorAll("form[data-minutes-editor]").forEach(function (form) {
      if (hasCopy(form.getAttribute("data-minutes-editor"))) saveSoon(form);
    });
  });

  // While a copy exists (saving failed), keep it current as the person types.
  document.addEventListener("input", function (evt) {
    var form = editorOf(evt.target);
    if (form && hasCopy(form.getAttribute("data-minutes-editor"))) keepCopy(form);
  });

  // Network failure of an autosave: keep the text on the phone, and say so where "Saved at…"
  // was (an old "Saved" line would make people believe the server has their latest words).
  document.addEventListener("htmx:error", function (evt) {
    var form = editorOf(evt.target);
    if (!form) return;
    keepCopy(form);
    var status = document.getElementById("minutes-status-" + form.getAttribute("data-minutes-editor"));
    var message = form.getAttribute("data-offline-message");
    if (status && message) {
      var p = document.createElement("p");
      p.className = "notice warn";
      p.textContent = message;
      status.replaceChildren(p);
    }
  });

  // A status answer arrived: take the new version; a confirmed save drops the local copy.
  document.addEventListener("htmx:after:swap", function () {
    document.querySelectorAll(".minutes-status[data-saved]").forEach(function (status) {
      var id = status.id.replace("minutes-status-", "");
      var form = document.querySelector('form[data-minutes-editor="' + id + '"]');
      if (!form) return;
      var version = status.getAttribute("data-version");
      if (version) form.querySelector('input[name="version"]').value = version;
      status.removeAttribute("data-saved");
      dropCopy(id);
    });
  });

  // Logging out deletes every unsent copy: app.js removes the "tv-minutes-" keys on any page.
})();

/* After a background (htmx) submit (issue 9): while sending, the form's buttons are disabled
   and marked busy (no double taps on a slow phone); once the answer is in, focus goes to the
   error summary (or the first wrong field), else to the result, never back to the top of the
   page. Only requests a submit started: autosaves and polling leave focus alone. */
(function () {
  "use strict";

  // The form is remembered on the request: after an outerHTML swap htmx's context names the
  // new element, not the form that was sent.
  function submitted(ctx) {
    if (!ctx || !ctx.sourceEvent || ctx.sourceEvent.type !== "submit") return null;
    if (ctx.tvForm) return ctx.tvForm;
    var el = ctx.sourceElement;
    if (!el) return null;
    return el.tagName === "FORM" ? el : (el.closest ? el.closest("form") : null);
  }

  function buttons(form) {
    return form.querySelectorAll('button:not([type]), button[type="submit"], input[type="submit"]');
  }

  document.addEventListener("htmx:before:request", function (evt) {
    var ctx = evt.detail && evt.detail.ctx;
    var form = submitted(ctx);
    if (!form) return;
    ctx.tvForm = form;
    form.setAttribute("aria-busy", "true");
    buttons(form).forEach(function (b) {
      if (b.disabled) return;
      b.disabled = true;
      b.setAttribute("aria-busy", "true");
      b.setAttribute("data-busy", "");
    });
  });

  function focusable(el) {
    if (!el) return null;
    if (!el.matches("a[href], button, input, select, textarea, [tabindex]")) el.setAttribute("tabindex", "-1");
    return el;
  }

  function landing(root) {
    var main = document.getElementById("main");
    var scope = root === document.body ? (main || root) : root;
    var summary = scope.querySelector(".form-error-summary");
    if (summary) return focusable(summary);
    var invalid = scope.querySelector('[aria-invalid="true"]');
    if (invalid) return invalid;
    var status = scope.querySelector('[role="status"]:not(#flash), .notice, #flash > .flash');
    if (!status && main && scope !== main) status = main.querySelector("#flash > .flash");
    if (status) return focusable(status);
    var heading = scope.querySelector("h1, h2, h3");
    return focusable(heading || scope);
  }

  document.addEventListener("htmx:finally:request", function (evt) {
    var ctx = evt.detail && evt.detail.ctx;
    var form = submitted(ctx);
    if (!form) return;
    form.removeAttribute("aria-busy");
    buttons(form).forEach(function (b) {
      if (!b.hasAttribute("data-busy")) return;
      b.disabled = false;
      b.removeAttribute("aria-busy");
      b.removeAttribute("data-busy");
    });
    if (!ctx.response) return;  // network error: nothing was swapped
    var target = ctx.target;
    if (target && !target.isConnected && target.id) target = document.getElementById(target.id);
    if (!target || !target.isConnected) target = document.getElementById("main") || document.body;
    var spot = landing(target);
    if (spot && spot !== document.activeElement) spot.focus({ preventScroll: false });
  });
})();
