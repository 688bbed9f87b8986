"""Checks that every shipped language translates every string, and that messages.pot is current.

Source: CONVENTIONS.md, Languages 12 (CI fails when the .pot is stale or a language has gaps).
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _keys(catalog: Catalog) -> set[tuple]:
    return {(message.id if isinstance(message.id, str) else tuple(message.id), message.context) for message in catalog if message.id}


def check_catalogues(fresh_pot: Path, committed_pot: Path, translations: Path, languages) -> tuple[list[str], int]:
    """Return (problems, number of strings) comparing a fresh extraction with the committed catalogues."""
    problems: list[str] = []
    fresh = _read(fresh_pot)
    wanted = _keys(fresh)
    if not committed_pot.exists():
        problems.append("translations/messages.pot is missing: run `flask --app wsgi translate update`.")
    else:
        committed = _keys(_read(committed_pot))
        if committed != wanted:
            added, removed = len(wanted - committed), len(committed - wanted)
            problems.append(
                f"translations/messages.pot is stale ({added} new, {removed} removed): run `flask --app wsgi translate update`."
            )
    for code in languages:
        po_path = translations / code / "LC_MESSAGES" / "messages.po"
        if not po_path.exists():
            problems.append(f"{code}: messages.po is missing.")
            continue
        catalog = _read(po_path, locale=code)
        have = {key: message for key, message in zip(_keys_in_order(catalog), (m for m in catalog if m.id))}
        for key in sorted(wanted, key=str):
            message = have.get(key)
            label = key[0] if isinstance(key[0], str) else key[0][0]
            if message is None:
                problems.append(f"{code}: missing {label!r}")
            elif message.fuzzy:
                problems.append(f"{code}: fuzzy {label!r}")
            elif not _translated(message.string):
                problems.append(f"{code}: untranslated {label!r}")
            elif _left_in_english(message):
                problems.append(f"{code}: still in English {label!r}")
        for message, errors in catalog.check():
            for error in errors:
                problems.append(f"{code}: {message.id!r}: {error}")
    return problems, len(wanted)


def _keys_in_order(catalog: Catalog) -> list[tuple]:
    return [(m.id if isinstance(m.id, str) else tuple(m.id), m.context) for m in catalog if m.id]


def _translated(string) -> bool:
    if isinstance(string, (tuple, list)):
        return bool(string) and all(part for part in string)
    return bool(string)


def _left_in_english(message) -> bool:
    """A 'translation' that is the English text itself (names of languages and the like excepted)."""
    if isinstance(message.string, (tuple, list)):
        return False
    letters = sum(ch.isascii() and ch.isalpha() for ch in message.id)
    return message.string == message.id and letters >= 4 and " " in message.id
