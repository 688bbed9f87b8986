// No lost words: forms marked data-autosave (templates/macros/autosave.html) are posted by htmx as the
// person types. This script says plainly when the phone is offline, keeps the words on the page, saves
// them again as soon as the connection comes back, and asks before leaving a page whose words are not
// saved yet. Nothing is kept in the browser's storage: the words are on the page, then on the server.
const FORMS = "form[data-autosave]";
const RETRY_MS = 10000;
const progress = new WeakMap();
let leaving = false;

function track(form) {
  if (!progress.has(form)) {
    progress.set(form, { edits: 0, sent: 0, saved: 0 });
  }
  return progress.get(form);
}

function unsaved(form) {
  const state = track(form);
  return state.edits > state.saved;
}

function say(form, message) {
  const status = form.querySelector(".app-autosave-status");
  if (message === "offline" && status && status.textContent === status.dataset.notSent) {
    return; // "not sent" already says they are offline, and more
  }
  if (status && status.dataset[message]) {
    status.textContent = status.dataset[message];
  }
}

function autosaveForm(element) {
  return element && element.closest ? element.closest(FORMS) : null;
}

function saveAgain() {
  document.querySelectorAll(FORMS).forEach((form) => {
    if (unsaved(form) && navigator.onLine !== false && window.htmx) {
      window.htmx.trigger(form, "autosave");
    }
  });
}

function noteEdit(event) {
  const form = autosaveForm(event.target);
  if (form && event.target !== form) {
    track(form).edits += 1;
  }
}

document.addEventListener("input", noteEdit);
document.addEventListener("change", noteEdit);

document.addEventListener("htmx:beforeRequest", (event) => {
  const form = autosaveForm(event.detail.elt);
  if (form) {
    track(form).sent = track(form).edits;
  }
});

document.addEventListener("htmx:afterRequest", (event) => {
  const form = autosaveForm(event.detail.elt);
  if (form && event.detail.successful) {
    const state = track(form);
    state.saved = Math.max(state.saved, state.sent);
  }
});

document.addEventListener("htmx:sendError", (event) => {
  const form = autosaveForm(event.detail.elt);
  if (form) {
    say(form, "offline");
  }
});

window.addEventListener("offline", () => document.querySelectorAll(FORMS).forEach((form) => say(form, "offline")));
window.addEventListener("online", saveAgain);
window.setInterval(saveAgain, RETRY_MS);

// Sending while offline would land on the browser's error page: stay here, with the words, instead.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches || !form.matches(FORMS)) {
    return;
  }
  if (navigator.onLine === false) {
    event.preventDefault();
    say(form, "notSent");
    return;
  }
  leaving = true;
});

// "Exit this page" must leave at once, whatever is on the page.
function exiting() {
  return document.querySelector(".govuk-exit-this-page-overlay") !== null
    || document.body.classList.contains("govuk-exit-this-page-hide-content");
}
document.addEventListener("click", (event) => {
  if (event.target.closest && event.target.closest(".govuk-exit-this-page__button")) {
    leaving = true;
  }
});

window.addEventListener("beforeunload", (event) => {
  if (leaving || exiting()) {
    return;
  }
  if (Array.from(document.querySelectorAll(FORMS)).some(unsaved)) {
    event.preventDefault();
    event.returnValue = "";
  }
});
