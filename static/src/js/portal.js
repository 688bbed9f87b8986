// The portal's one script. Every page works without it: it only enhances.
import { initAll } from "govuk-frontend";
import htmx from "htmx.org";
import "./autosave.js";
import "./read-aloud.js";

window.htmx = htmx;

// Send the CSRF token with every htmx request (Flask-WTF reads X-CSRFToken).
document.addEventListener("htmx:configRequest", (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRFToken"] = meta.content;
  }
});

if (document.body.classList.contains("govuk-frontend-supported")) {
  initAll();
}

// The service worker keeps the public CSS, JS and an offline page (never a page with personal data).
// Pages that must not bring it back (signed out, offline) leave out the meta tag.
const serviceWorker = document.querySelector('meta[name="service-worker"]');
if (serviceWorker && "serviceWorker" in navigator) {
  // Registered once: registering again on every page would fetch the worker's script each time (a request
  // on every page over slow mobile data). The browser checks for a new worker by itself (at least daily).
  const script = new URL(serviceWorker.content, window.location.href).href;
  const registered = (registration) => registration && [registration.active, registration.waiting, registration.installing]
    .some((worker) => worker && worker.scriptURL === script);
  window.addEventListener("load", () => {
    navigator.serviceWorker.getRegistration("/")
      .then((registration) => (registered(registration) ? registration : navigator.serviceWorker.register(script, { scope: "/" })))
      .then(() => navigator.serviceWorker.ready)
      // One worker for every language: this page tells it which offline page to keep.
      .then((registration) => registration.active.postMessage({ offlinePage: serviceWorker.dataset.offlinePage }))
      .catch(() => {});
  });
}
