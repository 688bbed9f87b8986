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
  window.addEventListener("load", () => {
    // One worker for every language: this page tells it which offline page to keep.
    navigator.serviceWorker.register(serviceWorker.content, { scope: "/" })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => registration.active.postMessage({ offlinePage: serviceWorker.dataset.offlinePage }))
      .catch(() => {});
  });
}
