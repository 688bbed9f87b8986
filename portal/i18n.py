"""Languages the portal ships, how one is chosen for a request, and its text direction."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, request


@dataclass(frozen=True)
class Language:
    """A shipped language: its code, its name in itself, and its writing direction."""

    code: str
    native_name: str
    english_name: str
    direction: str = "ltr"


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "English", "English"),
        Language("bn", "বাংলা", "Bengali"),
        Language("so", "Soomaali", "Somali"),
        Language("ar", "العربية", "Arabic", "rtl"),
        Language("ur", "اردو", "Urdu", "rtl"),
        Language("pl", "Polski", "Polish"),
        Language("ro", "Română", "Romanian"),
    )
}


def supported(code: str | None) -> str | None:
    """The code if the portal ships that language, else None (never trust a stored or sent value)."""
    if not code:
        return None
    code = code.strip().lower().replace("_", "-").split("-")[0]
    return code if code in current_app.config["LANGUAGES"] else None


def select_locale() -> str:
    """Choose the language: the signed-in user's saved choice, then the cookie, then the browser, then English.

    English is British English, so dates read "Thursday 3 December 2026" and times "14:00".
    Source: CONVENTIONS.md, Languages 11.
    """
    return babel_locale(chosen_language())


def chosen_language() -> str:
    """The shipped language code for this request (see select_locale)."""
    saved = getattr(g, "saved_language", None)  # set by the accounts layer when someone is signed in
    for choice in (saved, request.cookies.get(current_app.config["LANGUAGE_COOKIE"])):
        code = supported(choice)
        if code:
            return code
    best = request.accept_languages.best_match(current_app.config["LANGUAGES"])
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def babel_locale(code: str) -> str:
    """The Babel locale for a shipped language: British English for English."""
    return "en_GB" if code == "en" else code


def direction(code: str) -> str:
    """'rtl' for Arabic and Urdu, 'ltr' for the rest."""
    lang = LANGUAGES.get(code)
    return lang.direction if lang else "ltr"


def shipped_languages() -> list[Language]:
    """The languages offered to users, in the order the configuration lists them."""
    return [LANGUAGES[code] for code in current_app.config["LANGUAGES"] if code in LANGUAGES]
