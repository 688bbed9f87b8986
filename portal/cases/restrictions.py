"""A case's contact restrictions, read once per request: whom each keeps someone's details from.

A parent may be a risk to the other parent or to a child: a contact restriction names the participant it
protects and the one it hides them from. The rules that use it live with their features (a parent's views in
reports/family_views.py, a child's wishes in wishes/services.py); this reads what they need in one statement.
Source: DESIGN.md, Access and safety (parents may be a risk to each other).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, String, cast, literal_column, null, select, union_all

from portal.cases.models import ContactRestriction, Participant
from portal.db import db
from portal.request_memo import remember, remembered

DEPENDS_ON = (ContactRestriction, Participant)


@dataclass(frozen=True)
class CaseRestrictions:
    """Each restriction of a case as (protected participant, the protected person's account, hidden-from
    participant), and the advocates acting for each hidden-from participant."""

    restrictions: tuple[tuple[int, int | None, int], ...]
    advocates_of: dict[int, frozenset[int]]

    def _with_advocates(self, hidden: set[int]) -> frozenset[int]:
        return frozenset(hidden.union(*(self.advocates_of.get(h, frozenset()) for h in hidden)))

    def kept_from_someone(self) -> frozenset[int]:
        """The participants a restriction keeps someone's details from, and their advocates."""
        return self._with_advocates({hidden for _, _, hidden in self.restrictions})

    def kept_from_user(self, user_id: int) -> frozenset[int]:
        """The participants a restriction keeps this person's details from, and their advocates."""
        return self._with_advocates({hidden for _, protected_user, hidden in self.restrictions if protected_user == user_id})


def restrictions_of(case_id: int) -> CaseRestrictions:
    """The case's contact restrictions: one statement, kept for the request."""
    return remembered("case_restrictions", case_id, lambda: _build(db.session.execute(union_all(*facts_selects(case_id)))),
                      depends_on=DEPENDS_ON)


def facts_selects(case_id: int) -> list:
    """The SELECTs restrictions_of unites, each with the columns (fact, first, second, third, text), for a
    feature that reads more in the same statement (its own SELECTs have those columns and another fact name):
    pass the rows to keep_restrictions."""
    no_number, no_text = cast(null(), Integer), cast(null(), String)
    hidden = select(ContactRestriction.hidden_from_id).where(ContactRestriction.case_id == case_id)
    return [
        select(*fact_columns("restriction", ContactRestriction.protected_id, Participant.user_id,
                             ContactRestriction.hidden_from_id, no_text))
        .join(Participant, Participant.id == ContactRestriction.protected_id).where(ContactRestriction.case_id == case_id),
        select(*fact_columns("advocate", Participant.id, no_number, Participant.advocate_for_id, no_text))
        .where(Participant.case_id == case_id, Participant.advocate_for_id.in_(hidden)),
    ]


def fact_columns(fact: str, first, second, third, text) -> tuple:
    """The five labelled columns of a SELECT in facts_selects' statement."""
    return (literal_column(f"'{fact}'", String).label("fact"), first.label("first"), second.label("second"),
            third.label("third"), text.label("text"))


def keep_restrictions(case_id: int, rows) -> None:
    """Keep the restrictions among rows read with facts_selects, for restrictions_of."""
    remember("case_restrictions", case_id, _build(rows), depends_on=DEPENDS_ON)


def _build(rows) -> CaseRestrictions:
    restrictions, advocates_of = [], {}
    for fact, first, second, third, _ in rows:
        if fact == "restriction":
            restrictions.append((first, second, third))
        elif fact == "advocate":
            advocates_of.setdefault(third, set()).add(first)
    return CaseRestrictions(tuple(restrictions), {hidden: frozenset(ids) for hidden, ids in advocates_of.items()})
