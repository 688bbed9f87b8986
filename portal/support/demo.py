"""Demo data for support: advocacy offered to both Appleby parents (the mother's arranged, the father's
declined, so the chair is asked to review it), an interpreter the mother asked for and nobody has
arranged yet, a friend the grandmother asked to bring, and an FGC the mother said yes to."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.auth.models import User
from portal.cases.models import Case, Conference, Participant
from portal.db import db
from portal.demo import demo_loader
from portal.support.models import SupportRequest, SupportStatusChange
from portal.support.services import Kind, Status

APPLEBY = "FC-7KQ3-M9XD"


def _participant(case_id: int, email: str) -> Participant | None:
    return db.session.scalar(select(Participant).join(User).where(Participant.case_id == case_id, User.email == email))


@demo_loader("support")
def load() -> int:
    """Create the demo requests once (nothing if the Appleby conference already has one)."""
    case = db.session.scalar(select(Case).where(Case.reference == APPLEBY))
    conference = db.session.scalar(select(Conference).where(Conference.case_id == case.id)) if case else None
    if conference is None or db.session.scalar(select(SupportRequest.id).where(SupportRequest.conference_id == conference.id).limit(1)):
        return 0
    social_worker = _participant(case.id, "sally.sparrow@example.org")
    alice = _participant(case.id, "alice.appleby@example.org")
    arthur = _participant(case.id, "arthur.appleby@example.org")
    grace = _participant(case.id, "grace.appleby@example.org")
    advocate = _participant(case.id, "ada.avocet@example.org")
    offered_on = (date.today() - timedelta(days=5)).isoformat()
    rows = [
        (alice, Kind.ADVOCACY, [(Status.OFFERED, social_worker), (Status.ACCEPTED, alice), (Status.ARRANGED, social_worker)],
         {"offered_on": offered_on, "advocate_participant_id": advocate.id, "advocate_name": "Ada Avocet"}),
        (arthur, Kind.ADVOCACY, [(Status.OFFERED, social_worker), (Status.DECLINED, arthur)], {"offered_on": offered_on}),
        (alice, Kind.INTERPRETER, [(Status.ASKED, alice)],
         {"language": "Bengali", "dialect": "Sylheti", "preferred": "", "purposes": ["conference", "talk_through"]}),
        (grace, Kind.SUPPORTER, [(Status.ASKED, grace)], {"name": "Nadia Begum", "relationship": "Friend of the family"}),
        (alice, Kind.FGC, [(Status.OFFERED, social_worker), (Status.ACCEPTED, alice)], {"offered_on": offered_on}),
    ]
    for participant, kind, steps, details in rows:
        request = SupportRequest(case_id=case.id, conference_id=conference.id, participant_id=participant.id, kind=kind,
                                 status=steps[-1][0], details=details, created_by_id=steps[0][1].user_id)
        db.session.add(request)
        db.session.flush()
        for status, by in steps:
            db.session.add(SupportStatusChange(request_id=request.id, status=status, changed_by_id=by.user_id))
    db.session.commit()
    return len(rows)
