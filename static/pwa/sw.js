/* TenantVoice service worker. Network first for pages; keeps only pages the server marks as
   reading pages (X-TV-Offline: 1) for offline reading; never ballots, registers or drafts.
   Shows web push notifications (kind and body only) and opens their page when tapped. */
"use strict";
const CACHE = "tv-__VERSION__";
const PRECACHE = __PRECACHE__;
const OFFLINE_URL = PRECACHE[0];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

// Logout: empty the offline copies and end this browser's push subscription (the server
// forgets it from the logout form), so the next person on a shared phone gets nothing meant
// for the previous one.
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "clear") {
    event.waitUntil(Promise.all([
      caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k)))),
      self.registration.pushManager.getSubscription()
        .then((sub) => (sub ? sub.unsubscribe() : false))
        .catch(() => false),
    ]));
  }
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;

  // Full-page loads: real navigations, and htmx boosted ones (same page, fetched by htmx).
  const boosted = req.headers.get("HX-Boosted") === "true";
  if (req.mode === "navigate" || boosted) {
    const key = url.href;
    event.respondWith(
      fetch(req).then((res) => {
        if (res.ok && res.headers.get("X-TV-Offline") === "1") {
          const copy = res.clone();
          event.waitUntil(caches.open(CACHE).then((c) => c.put(key, copy)));
        } else if (res.ok) {
          // A page that must not be kept: drop any older copy of it.
          event.waitUntil(caches.open(CACHE).then((c) => c.delete(key, { ignoreVary: true })));
        }
        return res;
      }).catch(() =>
        caches.match(key, { ignoreVary: true })
          .then((hit) => hit || caches.match(OFFLINE_URL, { ignoreVary: true }))
      )
    );
    return;
  }

  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(req, { ignoreVary: true }).then((hit) => hit || fetch(req)));
  }
});

// Web push: the payload is {title, body, url, tag}; only kind and body, never details.
self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  event.waitUntil(self.registration.showNotification(data.title || "TenantVoice", {
    body: data.body || "",
    tag: data.tag || undefined,
    icon: "/static/pwa/icons/icon-192.png",
    data: { url: data.url || "/" },
  }).then(() => self.clients.matchAll({ type: "window" }))
    .then((windows) => windows.forEach((w) => w.postMessage({ type: "tv-notification" }))));
});

// The push service replaced this browser's subscription (keys rotated, or it expired): take
// the new one (or subscribe again with the old options) and hand it to the server through the
// same CSRF-checked POST as app.js, naming the old endpoint so the server forgets it. The token
// comes from the server (a worker has no page to read it from); logged out, nothing is sent.
self.addEventListener("pushsubscriptionchange", (event) => {
  const old = event.oldSubscription;
  const fresh = event.newSubscription
    ? Promise.resolve(event.newSubscription)
    : old && old.options && old.options.applicationServerKey
      ? self.registration.pushManager.subscribe({
          userVisibleOnly: true, applicationServerKey: old.options.applicationServerKey,
        })
      : Promise.reject(new Error("no subscription"));
  event.waitUntil(
    fresh.then((sub) =>
      fetch("/notifications/push/token", { credentials: "same-origin", redirect: "error" })
        .then((res) => (res.ok ? res.json() : Promise.reject(new Error("HTTP " + res.status))))
        .then((data) => {
          const body = sub.toJSON();
          if (old && old.endpoint) body.oldEndpoint = old.endpoint;
          return fetch("/notifications/push/subscribe", {
            method: "POST", credentials: "same-origin", redirect: "error",
            headers: { "Content-Type": "application/json", "X-CSRFToken": data.csrf_token },
            body: JSON.stringify(body),
          });
        })
    ).catch(() => null)
  );
});

// Tapping it opens its page: in a window of the app already open, else a new one. Only our
// own pages are ever opened.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  let target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (target.origin !== self.location.origin) target = new URL("/", self.location.origin);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const mine = windows.find((w) => new URL(w.url).origin === self.location.origin && "navigate" in w);
      if (mine) {
        return mine.navigate(target.href)
          .then((w) => (w || mine).focus().catch(() => null))
          .catch(() => self.clients.openWindow(target.href));
      }
      return self.clients.openWindow(target.href);
    })
  );
});
