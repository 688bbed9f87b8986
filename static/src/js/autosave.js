// No lost words: forms marked data-autosave (templates/macros/autosave.html) are posted by htmx as the
// person types. This script says plainly when the phone is offline, keeps the words on the page, saves
// them again as soon as the connection comes back, and asks before leaving a page whose words are not
// saved yet. Nothing is kept in the browser's storage: the words are on the page, then on the server.
// A save counts only when the server says it kept the words (the X-Autosave-Saved header, or 204
// when the form was sent already); a refusal (signed out, closed, changed) is said and not retried.
const FORMS = "form[data-autosave]";
const RETRY_MS = 10000;
const progress = new WeakMap();
let sentForm = null;

function track(form) {
  if (!progress.has(form)) {
    progress.set(form, { edits: 0, sent: 0, saved: 0, offline: false });
  }
  return progress.get(form);
}

function unsaved(form) {
  const state = track(form);
  return state.edits > state.saved;
}

function statusOf(form) {
  return form.querySelector(".app-autosave-status");
}

function say(form, message) {
  const status = statusOf(form);
  if (!status) {
    return;
  }
  if (message === "offline" && status.textContent === status.dataset.notSent) {
    return; // "not sent" already says they are offline, and more
  }
  status.textContent = message ? status.dataset[message] || "" : "";
}

function autosaveForm(element) {
  return element && element.closest ? element.closest(FORMS) : null;
}

function saveAgain() {
  if (navigator.onLine === false || document.hidden) {
    return;
  }
  document.querySelectorAll(FORMS).forEach((form) => {
    if (track(form).offline && unsaved(form) && form !== sentForm && window.htmx) {
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

// Once a form is sent, its late autosaves are not: the words are on their way already.
document.addEventListener("htmx:confirm", (event) => {
  if (sentForm && autosaveForm(event.detail.elt) === sentForm) {
    event.preventDefault();
  }
});

document.addEventListener("htmx:beforeRequest", (event) => {
  const form = autosaveForm(event.detail.elt);
  if (form) {
    track(form).sent = track(form).edits;
  }
});

document.addEventListener("htmx:afterRequest", (event) => {
  const form = autosaveForm(event.detail.elt);
  const xhr = event.detail.xhr;
  if (!form || !xhr || !xhr.status) {
    return; // a network error: htmx:sendError says so
  }
  const state = track(form);
  state.offline = false;
  if (xhr.status === 204 || xhr.getResponseHeader("X-Autosave-Saved") === "1") {
    state.saved = Math.max(state.saved, state.sent);
  } else if (xhr.status === 401) {
    say(form, "signedOut");
  } else if (!event.detail.successful) {
    say(form, "notSaved");
  }
});

document.addEventListener("htmx:sendError", (event) => {
  const form = autosaveForm(event.detail.elt);
  if (form) {
    track(form).offline = true;
    say(form, "offline");
  }
});

window.addEventListener("offline", () => document.querySelectorAll(FORMS).forEach((form) => say(form, "offline")));
window.addEventListener("online", () => {
  document.querySelectorAll(FORMS).forEach((form) => {
    const status = statusOf(form);
    if (!unsaved(form) && status && [status.dataset.offline, status.dataset.notSent].includes(status.textContent)) {
      say(form, null);
    }
  });
  saveAgain();
});
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
  sentForm = form;
});

// "Exit this page" must leave at once, whatever is on the page.
let exiting = false;
document.addEventListener("click", (event) => {
  if (event.target.closest && event.target.closest(".govuk-exit-this-page__button")) {
    exiting = true;
  }
});

window.addEventListener("beforeunload", (event) => {
  if (exiting || document.querySelector(".govuk-exit-this-page-overlay")
      || document.body.classList.contains("govuk-exit-this-page-hide-content")) {
    return;
  }
  if (Array.from(document.querySelectorAll(FORMS)).some((form) => form !== sentForm && unsaved(form))) {
    event.preventDefault();
    event.returnValue = "";
  }
});
