"""Language choice: saved choice, cookie, browser, English; always one of the shipped languages."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest

SHIPPED = ["en", "bn", "so", "ar", "ur", "pl", "ro"]


def html_lang_dir(response) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]+)" dir="([^"]+)"', response.get_data(as_text=True))
    assert match
    return match.group(1), match.group(2)


@pytest.mark.parametrize(("header", "expected"), [
    ("bn-BD,bn;q=0.9,en;q=0.5", ("bn", "ltr")),
    ("ar", ("ar", "rtl")),
    ("ur-PK", ("ur", "rtl")),
    ("so", ("so", "ltr")),
    ("de-DE,fr;q=0.8", ("en", "ltr")),
    ("", ("en", "ltr")),
])
def test_browser_language_is_used_when_nothing_was_chosen(client, header, expected):
    assert html_lang_dir(client.get("/", headers={"Accept-Language": header})) == expected


def test_a_chosen_language_beats_the_browser(client, app):
    client.set_cookie(app.config["LANGUAGE_COOKIE"], "ar")
    assert html_lang_dir(client.get("/", headers={"Accept-Language": "pl"})) == ("ar", "rtl")


@pytest.mark.parametrize("value", ["xx", "../../etc", "en<script>", ""])
def test_an_unsupported_cookie_value_is_ignored(client, app, value):
    client.set_cookie(app.config["LANGUAGE_COOKIE"], value)
    assert html_lang_dir(client.get("/", headers={"Accept-Language": "so"})) == ("so", "ltr")


def test_choosing_a_language_remembers_it_and_returns_to_the_page(client, post_form, app):
    response = post_form("/language", {"language": "bn", "next": "/privacy"}, from_url="/privacy")
    assert response.status_code == 303
    assert response.headers["Location"] == "/privacy"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(app.config["LANGUAGE_COOKIE"]))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert html_lang_dir(client.get("/privacy")) == ("bn", "ltr")


def test_choosing_without_a_language_shows_the_error_and_keeps_the_page(client, post_form):
    response = post_form("/language", {"next": "/"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "<title>Error:" in html
    assert "There is a problem" in html
    assert "Select the language you want to use" in html
    assert 'href="#language"' in html


def test_a_language_the_portal_does_not_ship_is_refused(client, post_form, app):
    response = post_form("/language", {"language": "de", "next": "/"})
    assert response.status_code == 400
    assert app.config["LANGUAGE_COOKIE"] not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize("target", [
    "//x.example", "/\\x.example", "https:x.example", "https://x.example/", "%2F%2Fx.example",
    "/ok\r\nSet-Cookie: a=b", "javascript:alert(1)", "\\\\x.example",
])
def test_language_choice_never_redirects_off_the_site(post_form, target):
    response = post_form("/language", {"language": "pl", "next": target})
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "\\" not in location
    assert "\n" not in location and "x.example" not in location


def test_every_page_sets_language_and_direction_for_each_language(client, app):
    from tests.helpers import html_urls

    checked = 0
    for code in SHIPPED:
        client.set_cookie(app.config["LANGUAGE_COOKIE"], code)
        for url in html_urls(app) + ["/no-such-page"]:
            response = client.get(url)
            assert response.status_code in (200, 404), (code, url)
            assert html_lang_dir(response) == (code, "rtl" if code in ("ar", "ur") else "ltr")
            checked += 1
    print(f"\npages rendered in every language: {checked}")


def test_pages_are_translated_not_left_in_english(client, app):
    """In each shipped language the start page's heading and footer differ from the English ones."""
    english = client.get("/").get_data(as_text=True)
    assert "What you can do here" in english
    for code in SHIPPED[1:]:
        client.set_cookie(app.config["LANGUAGE_COOKIE"], code)
        html = client.get("/").get_data(as_text=True)
        for phrase in ("What you can do here", "Accessibility statement", "Skip to main content", "Exit this page"):
            assert phrase not in html, (code, phrase)


# --- issue "Every page in the family's language" -------------------------------------------------------

def _save_language(app, login: str, code: str) -> None:
    from sqlalchemy import or_, select

    from portal.auth.models import User
    from portal.db import db

    with app.app_context():
        user = db.session.scalar(select(User).where(or_(User.email == login, User.username == login)))
        user.preferred_language = code
        db.session.commit()


@contextmanager
def speaking(app, login: str, code: str):
    """The demo account reads in `code` for the block, then in English again (the session database is shared)."""
    _save_language(app, login, code)
    try:
        yield
    finally:
        _save_language(app, login, "en")


@pytest.mark.parametrize("code", SHIPPED[1:])
def test_every_text_and_email_is_written_in_the_persons_language(app, code):
    """Each message (subject, email, text message) in each language: none is the English one, links intact."""
    from flask_babel import force_locale

    from portal.i18n import babel_locale
    from portal.notify import messages

    writers = [messages._invitation, messages._password_reset, messages._news, messages._reminder]
    with app.test_request_context("/"):
        with force_locale("en_GB"):
            english = [write("Council", "https://example.org/x") for write in writers]
        with force_locale(babel_locale(code)):
            translated = [write("Council", "https://example.org/x") for write in writers]
    for english_words, words in zip(english, translated):
        for english_part, part in zip(english_words, words):
            assert part != english_part and part.strip(), (code, english_part)
        assert all("https://example.org/x" in part for part in words[1:]), (code, words)


def test_bengali_pages_write_dates_times_and_counts_in_bengali_digits(app, demo, client, login_as):
    login_as("grace.appleby@example.org")
    with speaking(app, "grace.appleby@example.org", "bn"):
        html = client.get("/cases/FC-7KQ3-M9XD/conferences/1").get_data(as_text=True)
    from tests.helpers import visible_texts

    main = " ".join(visible_texts(html[html.index("<main"):]))
    assert re.search(r"[০-৯]{1,2} [^\s<]+ [০-৯]{4}", main), "a long date in Bengali digits"
    assert re.search(r"\b[০-৯]{1,2}:[০-৯]{2}\b", main), "a time in Bengali digits, on the 24-hour clock"
    assert "AM" not in main and "PM" not in main
    assert "FC-7KQ3-M9XD" in main  # references keep the digits people type and read out


def test_arabic_and_urdu_keep_the_digits_their_locale_uses(app):
    """CLDR (through Babel) gives Arabic and Urdu Latin digits by default, and Bengali its own."""
    from portal.i18n import local_digits

    assert local_digits("3 12 2026", "bn") == "৩ ১২ ২০২৬"
    assert local_digits("3 12 2026", "ar") == "3 12 2026"
    assert local_digits("3 12 2026", "ur") == "3 12 2026"
    assert local_digits("14:05", "en_GB") == "14:05"


def test_a_date_or_phone_number_typed_in_bengali_or_arabic_digits_is_understood(app):
    from portal.auth.services import normalise_mobile
    from portal.forms import GovDateField, FlaskForm

    assert normalise_mobile("০৭৭০০ ৯০০ ৯৮২") == "+447700900982"
    assert normalise_mobile("٠٧٧٠٠ ٩٠٠ ٩٨٢") == "+447700900982"
    assert normalise_mobile("۰۷۷۰۰ ۹۰۰ ۹۸۲") == "+447700900982"

    class DateForm(FlaskForm):
        class Meta:
            csrf = False

        day = GovDateField("Day")

    from werkzeug.datastructures import MultiDict

    with app.test_request_context("/"):
        form = DateForm(formdata=MultiDict([("day", "৩"), ("day", "১২"), ("day", "২০২৬")]))
        assert form.validate() and form.day.data.isoformat() == "2026-12-03"
        form = DateForm(formdata=MultiDict([("day", "٣"), ("day", "١٢"), ("day", "٢٠٢٦")]))
        assert form.validate() and form.day.data.isoformat() == "2026-12-03"


@pytest.mark.parametrize("code", SHIPPED)
def test_wtforms_own_messages_are_in_the_pages_language(app, code):
    """A hand-made choice WTForms rejects, or text over a length with no message of ours: plain words, translated."""
    from flask_babel import force_locale
    from werkzeug.datastructures import MultiDict
    from wtforms import RadioField, SelectChoice, StringField
    from wtforms.validators import Length

    from portal.forms import FlaskForm
    from portal.i18n import babel_locale

    class Choice(FlaskForm):
        class Meta:
            csrf = False

        pick = RadioField("Pick", choices=[SelectChoice("a", "A")])
        words = StringField("Words", validators=[Length(max=5)])

    with app.test_request_context("/"), force_locale(babel_locale(code)):
        form = Choice(formdata=MultiDict({"pick": "z", "words": "far too long"}))
        assert not form.validate()
        pick, words = form.pick.errors[0], form.words.errors[0]
    assert "Not a valid choice" not in pick and "Field cannot be longer" not in words
    assert ("৫" if code == "bn" else "5") in words  # the limit in the page's digits
    if code == "en":
        assert pick == "Select one of the options shown" and words == "This must be 5 characters or fewer"
    else:
        assert pick != "Select one of the options shown" and "characters or fewer" not in words


def test_common_relationships_are_shown_in_the_readers_language(app, demo, client, login_as):
    login_as("grace.appleby@example.org")
    with speaking(app, "grace.appleby@example.org", "pl"):
        html = client.get("/cases/FC-7KQ3-M9XD").get_data(as_text=True)
    assert ">Mother<" not in html and "Conference chair" not in html
    from portal.cases.relationships import relationship_label

    assert relationship_label("my neighbour Tom") == "my neighbour Tom"  # anything else stays as typed
    assert relationship_label("") == ""


def test_the_font_stacks_name_system_fonts_for_bengali_and_arabic_script_and_no_web_font():
    from pathlib import Path

    css = next((Path(__file__).resolve().parents[1] / "static" / "dist").glob("portal.*.css")).read_text(encoding="utf-8")
    assert "@font-face" not in css
    for lang, font in (("bn", '"Noto Sans Bengali"'), ("ar", '"Noto Naskh Arabic"'), ("ur", '"Noto Naskh Arabic"')):
        rule = re.search(r"\[lang\|=\"?" + lang + r"\"?\][^{]*\{font-family:([^}]*)\}", css)
        assert rule, lang
        stack = rule.group(1)
        assert stack.startswith('"Noto') and font in stack and stack.endswith("sans-serif"), stack


def test_the_calendar_file_is_in_the_persons_language(app, demo, client, login_as):
    """The title and reminder of "Add to my calendar" are in the person's language (and still say nothing private)."""
    from icalendar import Calendar

    login_as("alice.appleby@example.org")
    with speaking(app, "alice.appleby@example.org", "bn"):
        response = client.get("/cases/FC-7KQ3-M9XD/conferences/1/calendar.ics")
    assert response.status_code == 200
    event = next(component for component in Calendar.from_ical(response.data).walk("VEVENT"))
    alarm = next(iter(event.walk("VALARM")))
    for text in (str(event["SUMMARY"]), str(alarm["DESCRIPTION"])):
        assert re.search(r"[\u0980-\u09FF]", text) and "Family meeting" not in text, text


def test_numbers_in_python_side_messages_use_the_locales_digits(app):
    """Texts written in Python (task hints, flashes, emails) put whole numbers in the page's digits too."""
    from flask_babel import force_locale, gettext, ngettext

    with app.test_request_context("/"):
        with force_locale("bn"):
            assert "১" in gettext("%(done)s of %(total)s read", done=1, total=2)
            assert "১২" in ngettext("%(num)s answer", "%(num)s answers", 12)
        with force_locale("ar"):
            assert "12" in ngettext("%(num)s answer", "%(num)s answers", 12)
