// The portal's service worker. It keeps only public files: the built CSS, JS, icon and the offline
// page. Pages, form posts and htmx partials always go to the network and are never kept, because
// they carry personal data and the phone may be shared. When a page cannot load, the offline page
// says so in the person's language. Signing out or "Exit this page" removes this worker and its
// cache (Clear-Site-Data).
"use strict";
const CACHE = {{ cache_name | tojson }};
const OFFLINE = {{ offline_url | tojson }};
const PRECACHE = {{ precache | tojson }};
const EXIT = {{ url_for("pages.exit_this_page") | tojson }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, url === OFFLINE ? { credentials: "omit" } : {}))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname === EXIT) {
    return; // "Exit this page" goes straight to the network, never waits for this worker
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE).then((page) => page || Response.error())));
    return;
  }
  if (PRECACHE.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((kept) => kept || fetch(request)));
  }
});
