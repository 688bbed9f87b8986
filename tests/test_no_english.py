"""No English left behind: every page a family member, young person or advocate reaches (and every staff
page too), in every shipped language, shows no English text of the portal's own. Names, references and what people wrote are theirs
and stay as written; the allow-list below says why each other exception is there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import JSON, String, Text, select, update

from portal.i18n import ascii_digits
from tests.conftest import sign_in
from tests.helpers import direction_isolation, visible_texts
from tests.test_crawl import crawl

TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"
LANGUAGES = ["bn", "so", "ar", "ur", "pl", "ro"]
FAMILY_ROLES = ("parent", "carer", "young_person", "advocate")
STAFF_ROLES = ("social_worker", "chair", "professional", "sqa_manager", "admin")

# Text that is the same in every language, with the reason.
ALLOWED = {
    "English": "the language bar names each language in itself",
    "Soomaali": "the language bar names each language in itself",
    "Polski": "the language bar names each language in itself",
    "Română": "the language bar names each language in itself",
    "GOV.UK": "the name of the design system credited in the footer",
    "portal_session": "the name of a cookie, listed on the cookies page as the browser shows it",
    "portal_lang": "the name of a cookie, listed on the cookies page as the browser shows it",
    "Initial Child Protection Conference": "the formal name the family sees in letters, kept in English on the conference page",
    "Review Child Protection Conference": "the formal name the family sees in letters, kept in English on the conference page",
    "Child Protection Conference": "the formal name the family sees in letters, kept in English on the conference page",
}
ALLOWED_IN = {
    "ro": {"Contact:": "the Romanian word is the English one", "Contact": "the Romanian word is the English one"},
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
NOT_WORDS = re.compile(
    r"[\w.+-]+@[\w-]+(\.[\w-]+)+"  # email addresses
    r"|https?://\S+"  # links
    r"|\bFC-[A-Z0-9]{4}-[A-Z0-9]{4}\b"  # case references
    r"|\bAP-\d+\b"  # appeal references
    r"|\d+"
)
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
REFERENCE = re.compile(r"\bFC-[A-Z0-9]{4}-[A-Z0-9]{4}\b")


def what_people_wrote(app) -> list[str]:
    """Every piece of text stored in the database (names, addresses, reports, wishes, services...), longest
    first. Stored codes such as "social_worker" are not text people read, so they are left out."""
    from portal.db import db

    values: set[str] = set()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [column for column in table.columns if isinstance(column.type, (String, Text, JSON))]
            if not columns:
                continue
            for row in db.session.execute(select(*columns)):
                for value in strings_in(list(row)):
                    if len(value.strip()) > 1 and not re.fullmatch(r"[a-z_]+", value):
                        values.add(" ".join(value.split()))
        values.add(app.config["COUNCIL_NAME"])  # the council's name is a name
    return sorted(values, key=len, reverse=True)


def strings_in(value) -> list[str]:
    """The strings in a column value, including those inside JSON (a supporter's name, a language typed)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in strings_in(item)]
    return []


def catalogue_english(code: str) -> set[str]:
    """The English strings of the catalogue whose translation differs: seeing one means it was not applied."""
    with open(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalogue = read_po(handle)
    return {
        " ".join(message.id.split())
        for message in catalogue
        if isinstance(message.id, str) and message.id and message.string and message.string != message.id
        and not PLACEHOLDER.search(message.id) and LATIN_WORD.search(message.id)
    }


def english_left(code: str, text: str, english_on_page: set[str], catalogue: set[str], written: list[str]) -> bool:
    """True when a text node of a translated page is English of the portal's own. Digits are compared as 0-9:
    an English sentence with a count in Bengali digits is still English."""
    text = ascii_digits(text)
    if text in ALLOWED or text in ALLOWED_IN.get(code, {}):
        return False
    if text not in catalogue and text not in english_on_page:
        return False  # translated
    if text in written or (text not in catalogue and any(text in value for value in written)):
        return False  # what someone wrote, or a piece of it (the changes between two versions of a report)
    if text in catalogue:
        return True
    rest = text
    for value in written:
        if value in rest:
            rest = rest.replace(value, " ")
    return LATIN_WORD.search(NOT_WORDS.sub(" ", rest)) is not None


def not_isolated(html: str, latin_written: list[str]) -> list[str]:
    """In a right-to-left page: text nodes holding a Latin-script name, address, reference or anything else
    people wrote, outside <bdi> or an element with dir= (the Unicode bidi algorithm would reorder it)."""
    found = []
    for text, isolated in direction_isolation(html):
        if not isolated and LATIN_WORD.search(text):
            if any(value in text for value in latin_written) or REFERENCE.search(text):
                found.append(text)
    return found


def set_everyones_language(app, code: str) -> None:
    from portal.auth.models import User
    from portal.db import db

    with app.app_context():
        db.session.execute(update(User).values(preferred_language=code))
        db.session.commit()


@pytest.mark.parametrize("roles", [FAMILY_ROLES, STAFF_ROLES], ids=["family", "staff"])
def test_no_english_is_left_in_any_language(app, demo, roles):
    accounts = [account for account in demo.values() if account["role"] in roles]
    assert {account["role"] for account in accounts} == set(roles)
    set_everyones_language(app, "en")
    clients, english = {}, {}
    for account in accounts:
        client = app.test_client()
        assert sign_in(client, account["login"]).status_code == 303, account["login"]
        clients[account["login"]] = client
        for path in sorted(crawl(client)):
            english[(account["login"], path)] = {ascii_digits(text) for text in visible_texts(client.get(path).get_data(as_text=True))}
    written = what_people_wrote(app)
    latin_written = [value for value in written if LATIN_WORD.search(value) and len(value) >= 3]
    pages = {path for _, path in english}
    assert len(pages) > 40, "the crawl reached too few pages"
    checked, texts, problems, mixed = 0, 0, [], []
    try:
        for code in LANGUAGES:
            set_everyones_language(app, code)
            catalogue = catalogue_english(code)
            for (login, path), english_on_page in english.items():
                response = clients[login].get(path)
                assert response.status_code == 200, (code, login, path)
                html = response.get_data(as_text=True)
                assert f'lang="{code}"' in html[:300], (code, path)
                if code in ("ar", "ur"):
                    mixed += [(code, path, text) for text in not_isolated(html, latin_written)]
                for text in visible_texts(html):
                    texts += 1
                    if english_left(code, text, english_on_page, catalogue, written):
                        problems.append((code, path, login, text))
                checked += 1
    finally:
        set_everyones_language(app, "en")
    print(f"\nno English left: {len(english)} pages (as {len(accounts)} accounts, {len(pages)} distinct URLs)"
          f" x {len(LANGUAGES)} languages = {checked} pages, {texts} text nodes checked, {len(problems)} English")
    by_text: dict[str, tuple[set[str], set[str]]] = {}
    for code, path, login, text in problems:
        paths, codes = by_text.setdefault(text, (set(), set()))
        paths.add(path)
        codes.add(code)
    for text, (paths, codes) in sorted(by_text.items()):
        print(f"   {text!r} in {','.join(sorted(codes))} on {len(paths)} pages, e.g. {min(paths)}")
    print(f"right-to-left pages: {len(mixed)} Latin names or texts not isolated with <bdi> or dir=")
    by_page: dict[str, set[str]] = {}
    for _, path, text in mixed:
        by_page.setdefault(re.sub(r"/\d+", "/N", path), set()).add(text[:70])
    for page, found in sorted(by_page.items()):
        print(f"   {page}: {len(found)} texts: {sorted(found)[:12]}")
    assert problems == []
    if roles == FAMILY_ROLES:  # staff pages in Arabic or Urdu: counted and printed, not yet all isolated
        assert mixed == []


def test_the_isolation_check_finds_a_latin_name_left_bare_in_arabic():
    written = ["Alice Appleby"]
    assert not_isolated("<p>مرحبًا، Alice Appleby</p>", written) == ["مرحبًا، Alice Appleby"]
    assert not_isolated("<p>مرحبًا، <bdi>Alice Appleby</bdi></p>", written) == []
    assert not_isolated('<p dir="auto">Alice Appleby</p><p>FC-7KQ3-M9XD</p>', written) == ["FC-7KQ3-M9XD"]
    page = '<html lang="ar" dir="rtl"><body><p>مرحبًا، Alice Appleby</p></body></html>'
    assert not_isolated(page, written) == ["مرحبًا، Alice Appleby"]  # the page's own dir isolates nothing


def test_english_left_is_found_and_names_are_not():
    catalogue = {"Your conference"}
    english_on_page = {"Your conference", "Read this first", "Alice Appleby", "Hello, Alice Appleby"}
    written = ["Alice Appleby", "Alice wrote this. Your conference is soon."]
    assert english_left("ar", "Your conference", english_on_page, catalogue, written)
    assert not english_left("ar", "Alice wrote", english_on_page | {"Alice wrote"}, catalogue, written)
    assert english_left("ar", "Read this first", english_on_page, catalogue, written)
    assert not english_left("ar", "Alice Appleby", english_on_page, catalogue, written)
    assert english_left("ar", "Hello, Alice Appleby", english_on_page, catalogue, written)
    assert not english_left("ar", "English", english_on_page, catalogue, written)
