// Trellis service worker (scope /me/). Network first; the coping toolbox, the crisis page and
// the assets they need are kept for offline use. Nothing else is stored on the device.
"use strict";
const CACHE = "trellis-offline-{{ version }}";
const OFFLINE = {{ offline|safe }};
const ASSETS = {{ assets|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      cache.addAll(ASSETS).then(() =>
        Promise.all(OFFLINE.map((url) =>
          fetch(url, { credentials: "same-origin", redirect: "manual" }).then((response) => {
            if (response.ok) return cache.put(url, response);
          }).catch(() => undefined)))))
      .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(
      keys.filter((k) => k.startsWith("trellis-offline-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const keep = OFFLINE.includes(url.pathname) || ASSETS.includes(url.pathname);
  event.respondWith(
    fetch(request).then((response) => {
      if (keep && response.ok && !response.redirected) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
      }
      return response;
    }).catch(() =>
      caches.match(url.pathname).then((hit) => hit || caches.match(OFFLINE[1]) ||
        new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } }))));
});
