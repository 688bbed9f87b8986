// The portal's one script. Every page works without it: it only enhances.
import { initAll } from "govuk-frontend";
import htmx from "htmx.org";

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
