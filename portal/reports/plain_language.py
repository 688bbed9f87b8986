"""The plain-language check for reports: jargon, very long sentences and a reading-ease figure.

Advisory, never blocking: it says where each flag is and offers a plain alternative.
Sources: practice guide ("clear, jargon free language"); issue "Reports" (plain-language check).
The glossary is data in `data/glossary.csv`, so anyone can add a word without changing code.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

GLOSSARY = Path(__file__).parent / "data" / "glossary.csv"
LONG_SENTENCE_WORDS = 25
SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.MULTILINE)
WORD = re.compile(r"[A-Za-z0-9'’-]+")


@dataclass(frozen=True)
class Term:
    term: str
    plain: str
    match_case: bool


@dataclass(frozen=True)
class Flag:
    """One thing to look at again: where it is (character offsets), what it is, and a suggestion."""

    kind: str  # "jargon" or "long_sentence"
    start: int
    end: int
    text: str
    suggestion: str = ""


@dataclass
class PlainLanguageCheck:
    """The result for one text."""

    flags: list[Flag] = field(default_factory=list)
    words: int = 0
    reading_ease: float | None = None

    @property
    def jargon(self) -> list[Flag]:
        return [flag for flag in self.flags if flag.kind == "jargon"]

    @property
    def long_sentences(self) -> list[Flag]:
        return [flag for flag in self.flags if flag.kind == "long_sentence"]


@lru_cache(maxsize=1)
def glossary() -> tuple[Term, ...]:
    """The jargon glossary, longest terms first (so 'section 47' wins over a shorter overlap)."""
    with GLOSSARY.open(encoding="utf-8", newline="") as handle:
        terms = [Term(row["term"], row["plain"], row["match_case"] == "yes") for row in csv.DictReader(handle)]
    return tuple(sorted(terms, key=lambda t: -len(t.term)))


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern, Term], ...]:
    compiled = []
    for term in glossary():
        flags = 0 if term.match_case else re.IGNORECASE
        compiled.append((re.compile(r"(?<![\w-])" + re.escape(term.term) + r"(?![\w-])", flags), term))
    return tuple(compiled)


def find_jargon(text: str) -> list[Flag]:
    """Every glossary term in the text, with its plain alternative; overlapping matches keep the longest."""
    taken: list[tuple[int, int]] = []
    flags = []
    for pattern, term in _patterns():
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            flags.append(Flag("jargon", start, end, match.group(0), term.plain))
    return sorted(flags, key=lambda flag: flag.start)


def find_long_sentences(text: str, limit: int = LONG_SENTENCE_WORDS) -> list[Flag]:
    """Sentences of more than `limit` words."""
    flags = []
    for match in SENTENCE.finditer(text):
        sentence = match.group(0)
        words = len(WORD.findall(sentence))
        if words > limit:
            start = match.start() + (len(sentence) - len(sentence.lstrip()))
            flags.append(Flag("long_sentence", start, match.end(), sentence.strip(), str(words)))
    return flags


def reading_ease(text: str) -> float | None:
    """Flesch reading ease (higher is easier; 60 or more suits most readers), or None for very short text."""
    import textstat

    if len(WORD.findall(text)) < 10:
        return None
    return round(float(textstat.flesch_reading_ease(text)), 1)


def check(text: str) -> PlainLanguageCheck:
    """Everything the author might want to look at again in this text."""
    text = text or ""
    flags = find_jargon(text) + find_long_sentences(text)
    return PlainLanguageCheck(sorted(flags, key=lambda flag: (flag.start, flag.kind)), len(WORD.findall(text)), reading_ease(text))
