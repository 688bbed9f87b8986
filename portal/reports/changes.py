"""Every change to a report kept with who made it, shown as a readable word-by-word difference.

Source: issue "Reports" (every change kept with who made it and a readable diff; earlier
versions stay readable by staff).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.db import db
from portal.reports.models import Report, ReportVersion, sections_of

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Piece:
    """A run of text that was kept ("same"), added ("added") or taken out ("removed")."""

    change: str
    text: str


def word_diff(before: str, after: str) -> list[Piece]:
    """The words of `after` compared with `before`, whole words at a time (readable, not character soup)."""
    old, new = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(new[j1:j2])))
            continue
        if tag in ("delete", "replace"):
            pieces.append(Piece("removed", "".join(old[i1:i2])))
        if tag in ("insert", "replace"):
            pieces.append(Piece("added", "".join(new[j1:j2])))
    return pieces


@dataclass
class Change:
    """One saved version: who saved it, when, and what changed in each section since the one before."""

    version: ReportVersion
    sections: dict[str, list[Piece]]


def history(report: Report, limit: int = 50) -> list[Change]:
    """The report's versions, newest first, each with what changed (only sections that changed)."""
    versions = list(db.session.scalars(select(ReportVersion).options(joinedload(ReportVersion.saved_by))
                                       .where(ReportVersion.report_id == report.id)
                                       .order_by(ReportVersion.number.desc()).limit(limit + 1)))
    changes = []
    for newer, older in zip(versions, versions[1:] + [None]):
        if newer.number == 1 and older is None and not any(getattr(newer, s) for s in sections_of(report.kind)):
            continue  # the empty first version made when the report was started
        diffs = {}
        for name in sections_of(report.kind):
            before, after = (getattr(older, name) if older else ""), getattr(newer, name)
            if before != after:
                diffs[name] = word_diff(before, after)
        changes.append(Change(newer, diffs))
    return changes[:limit]
