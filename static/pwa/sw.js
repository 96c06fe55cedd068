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

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "clear") {
    event.waitUntil(caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k)))));
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
