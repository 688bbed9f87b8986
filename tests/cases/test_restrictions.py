"""A case's contact restrictions, read in one statement (portal/cases/restrictions.py), give the same people as
the rules' own definitions: whom a restriction hides someone from, and the advocates acting for them."""

from __future__ import annotations

from sqlalchemy import select

from portal.db import db


def _by_the_definitions(case_id: int, author_id: int | None) -> set[int]:
    """The participants kept from someone (or from this person's details), and their advocates, asked the long way."""
    from portal.cases.models import ContactRestriction, Participant

    query = select(ContactRestriction.hidden_from_id).where(ContactRestriction.case_id == case_id)
    if author_id is not None:
        query = query.join(Participant, Participant.id == ContactRestriction.protected_id).where(Participant.user_id == author_id)
    hidden = set(db.session.scalars(query))
    advocates = set(db.session.scalars(select(Participant.id).where(Participant.case_id == case_id,
                                                                    Participant.advocate_for_id.in_(hidden)))) if hidden else set()
    return hidden | advocates


def test_restrictions_read_together_keep_the_same_people_as_their_definitions(app, demo):
    from portal.cases.models import Case, ContactRestriction, Participant
    from portal.cases.restrictions import restrictions_of
    from portal.roles import Role

    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.reference == "FC-7KQ3-M9XD"))
        people = list(db.session.scalars(select(Participant).where(Participant.case_id == case.id).order_by(Participant.id)))
        parents = [p for p in people if p.role == Role.PARENT.value]
        advocates = [p for p in people if p.role == Role.ADVOCATE.value and p.advocate_for_id is not None]
        assert len(parents) >= 2 and advocates, "the demo case has two parents and an advocate acting for one"
        hidden = next(p for p in parents if p.id == advocates[0].advocate_for_id)
        protected = next(p for p in parents if p.id != hidden.id)
        added = ContactRestriction(case_id=case.id, protected_id=protected.id, hidden_from_id=hidden.id)
        db.session.add(added)
        db.session.commit()
        try:
            found = restrictions_of(case.id)
            assert set(found.kept_from_someone()) == _by_the_definitions(case.id, None)
            assert {hidden.id, advocates[0].id} <= set(found.kept_from_someone())
            for person in people:
                assert set(found.kept_from_user(person.user_id)) == _by_the_definitions(case.id, person.user_id)
            assert {hidden.id, advocates[0].id} <= set(found.kept_from_user(protected.user_id))
            assert hidden.id not in found.kept_from_user(hidden.user_id)
        finally:
            db.session.delete(db.session.get(ContactRestriction, added.id))
            db.session.commit()
