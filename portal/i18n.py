"""Languages the portal ships, how one is chosen for a request, and its text direction."""

from __future__ import annotations

import unicodedata
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


# The digits of the numbering systems CLDR gives as a shipped locale's default (Babel names the system;
# it writes numbers and dates with 0-9 whatever the system, so the digits are swapped here).
DIGITS = {"latn": "0123456789", "beng": "০১২৩৪৫৬৭৮৯", "arab": "٠١٢٣٤٥٦٧٨٩", "arabext": "۰۱۲۳۴۵۶۷۸۹"}


def local_digits(text: str, locale=None) -> str:
    """Text with 0-9 written in the digits the locale uses (Bengali: ০-৯), per CLDR's default numbering system.

    Source: CLDR via Babel (`Locale.default_numbering_system`); issue "Every page in the family's language" 7.
    """
    from babel import Locale
    from flask_babel import get_locale

    locale = Locale.parse(locale) if locale else get_locale()
    digits = DIGITS.get(getattr(locale, "default_numbering_system", "latn"), DIGITS["latn"]) if locale else DIGITS["latn"]
    if digits == DIGITS["latn"]:
        return text
    return text.translate(str.maketrans(DIGITS["latn"], digits))


def local_numbers(variables: dict) -> dict:
    """The whole numbers among a message's values written in the locale's digits (names and text unchanged)."""
    return {key: local_digits(str(value)) if isinstance(value, int) and not isinstance(value, bool) else value
            for key, value in variables.items()}


def install_local_digits_domain(app) -> None:
    """Make Flask-Babel's gettext family (used by Python code: texts, emails, flashes, form errors) write the
    whole numbers put into a message in the locale's digits, as the templates do."""
    from flask_babel import Domain

    class LocalDigitsDomain(Domain):
        def gettext(self, string, /, **variables):
            return super().gettext(string, **local_numbers(variables))

        def ngettext(self, singular, plural, num, /, **variables):
            variables.setdefault("num", num)  # Flask-Babel's own would clash with a localised "num"
            return self.get_translations().ungettext(singular, plural, num) % local_numbers(variables)

        def pgettext(self, context, string, /, **variables):
            return super().pgettext(context, string, **local_numbers(variables))

        def npgettext(self, context, singular, plural, num, /, **variables):
            variables.setdefault("num", num)
            return self.get_translations().unpgettext(context, singular, plural, num) % local_numbers(variables)

    configuration = app.extensions["babel"]
    configuration.instance.domain_instance = LocalDigitsDomain(domain=configuration.default_domain)


def isolate(text: str):
    """A name or anything else people wrote, in <bdi> (the `bdi` filter in templates; this in Python, e.g. for a
    radio or checkbox label): inside an Arabic or Urdu page a Latin name keeps its own direction, and its
    brackets and full stops stay where they belong."""
    from markupsafe import Markup

    return Markup("<bdi>%s</bdi>") % text


def ascii_digits(text: str) -> str:
    """Digits typed in any script (Bengali ০-৯, Arabic ٠-٩, Urdu ۰-۹) as 0-9: a date or a phone number typed
    on a phone's own keyboard means the same as one typed in 0-9."""
    return "".join(str(unicodedata.decimal(char)) if not char.isascii() and char.isdecimal() else char for char in text)
