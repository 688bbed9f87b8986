// Read aloud: the "Read aloud" button (templates/macros/read_aloud.html) reads the page's main text with
// the phone's own speech, in the page's language. Only voices on the phone itself are used (a voice
// that is not local would send the words to someone's server), and where the phone has no such voice
// for the language the button stays hidden. Nothing is recorded or sent anywhere.
const READABLE = "h1, h2, h3, h4, p, li, dt, dd, th, td, .govuk-inset-text, .govuk-warning-text__text";
const SKIPPED = "form, details, nav, .app-read-aloud, .govuk-visually-hidden, [hidden], [aria-hidden='true']";

function pageLanguage() {
  return (document.documentElement.lang || "en").toLowerCase();
}

export function localVoice(voices, language) {
  const local = voices.filter((voice) => voice.localService && voice.lang);
  const matches = local.filter((voice) => voice.lang.toLowerCase().replace("_", "-").split("-")[0] === language);
  const british = matches.find((voice) => voice.lang.toLowerCase().replace("_", "-") === "en-gb");
  return british || matches[0] || null;
}

function textsOf(root) {
  const texts = [];
  root.querySelectorAll(READABLE).forEach((element) => {
    if (element.closest(SKIPPED)) {
      return;
    }
    if (element.parentElement && element.parentElement.closest(READABLE)) {
      return; // read with its parent
    }
    const text = element.innerText.replace(/\s+/g, " ").trim();
    if (text) {
      texts.push(text);
    }
  });
  return texts;
}

function setUp(box) {
  const speech = window.speechSynthesis;
  const button = box.querySelector("button");
  const root = document.querySelector(box.dataset.readAloud) || document.querySelector("main");
  let reading = false;

  function stop() {
    reading = false;
    speech.cancel();
    button.textContent = box.dataset.startText;
  }

  function start(voice) {
    reading = true;
    button.textContent = box.dataset.stopText;
    const texts = textsOf(root);
    texts.forEach((text, index) => {
      // One utterance per paragraph: long ones are cut short by some phones.
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = voice.lang;
      try {
        utterance.voice = voice;
      } catch (error) {
        // a voice object the browser does not accept: its language is enough
      }
      if (index === texts.length - 1) {
        utterance.onend = () => reading && stop();
      }
      speech.speak(utterance);
    });
  }

  function offer() {
    const voice = localVoice(Array.from(speech.getVoices()), pageLanguage());
    box.hidden = voice === null;
    button.onclick = () => (reading ? stop() : voice && start(voice));
  }

  offer();
  speech.addEventListener("voiceschanged", offer);
  // Silence at once when the page is left, hidden, or "Exit this page" is used (by button or Shift x3).
  const silence = () => speech.cancel();
  window.addEventListener("pagehide", silence);
  document.addEventListener("visibilitychange", () => document.hidden && silence());
  document.addEventListener("click", (event) => event.target.closest && event.target.closest(".govuk-exit-this-page__button") && silence());
  new MutationObserver(() => document.body.classList.contains("govuk-exit-this-page-hide-content") && silence())
    .observe(document.body, { attributes: true, attributeFilter: ["class"] });
}

if ("speechSynthesis" in window && "SpeechSynthesisUtterance" in window) {
  document.querySelectorAll("[data-read-aloud]").forEach(setUp);
}
