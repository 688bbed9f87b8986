// The portal's service worker. It keeps only public files: the built CSS, JS and icon, and one offline
// page, in the language the page says it is in. Pages, form posts and htmx partials always go to the
// network and are never kept, because they carry personal data and the phone may be shared. When a page
// cannot load, the offline page says so in the person's language. Signing out or "Exit this page"
// removes this worker and its cache (Clear-Site-Data).
// One worker serves every language: a change of language only swaps the offline page it keeps, so the
// worker is never replaced while a page is loading (a replaced worker could leave that page hanging).
"use strict";
const CACHE = {{ cache_name | tojson }};
const PRECACHE = {{ precache | tojson }};
const OFFLINE_PAGES = {{ offline_pages | tojson }};
const EXIT = {{ url_for("pages.exit_this_page") | tojson }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
  );
});

// A page tells the worker its offline page (its language): keep that one, fetched without cookies, and
// let go of any other. Only the shipped offline pages are accepted.
self.addEventListener("message", (event) => {
  const wanted = event.data && event.data.offlinePage;
  if (!OFFLINE_PAGES.includes(wanted)) {
    return;
  }
  event.waitUntil(caches.open(CACHE).then(async (cache) => {
    if (!(await cache.match(wanted))) {
      await cache.add(new Request(wanted, { credentials: "omit" }));
    }
    const kept = await cache.keys();
    await Promise.all(kept.map((request) => new URL(request.url).pathname)
      .filter((path) => OFFLINE_PAGES.includes(path) && path !== wanted)
      .map((path) => cache.delete(path)));
  }));
});

async function offlinePage() {
  const cache = await caches.open(CACHE);
  const kept = (await cache.keys()).find((request) => OFFLINE_PAGES.includes(new URL(request.url).pathname));
  return (kept && (await cache.match(kept))) || Response.error();
}

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
    event.respondWith(fetch(request).catch(offlinePage));
    return;
  }
  if (PRECACHE.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((kept) => kept || fetch(request)));
  }
});
