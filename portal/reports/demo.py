"""Demo data for reports: a report shared with the Appleby parents and carer, a question on it
from the mother, and the mother's own views in draft with her advocate invited to help."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.auth.models import User
from portal.cases.models import Case, Conference, Participant
from portal.db import db, utcnow
from portal.demo import demo_loader
from portal.reports.models import FAMILY_VIEWS, PROFESSIONAL, Comment, Report, ReportHelper, ReportShare, ReportVersion

APPLEBY = "FC-7KQ3-M9XD"

PROFESSIONAL_REPORT = {
    "what_happened": "Sam has missed 12 school days this term. On 3 November Sam came to school with a bruise on the arm and said it happened at home.",
    "going_well": "Sam is kind to other children and loves football. Alice comes to every meeting at school and answers our calls.",
    "worries": "We are worried that Sam is often tired and hungry in the morning. We do not yet know how the bruise happened.",
    "impact": "When Sam misses school, Sam falls behind with reading and feels left out by friends.",
    "next_steps": "A school nurse check every month. A meeting with Alice every two weeks to see how mornings are going.",
}

VIEWS_DRAFT = {
    "going_well": "Sam goes to football every Saturday and I take him. His grandmother helps me in the mornings.",
    "worries": "I work late two nights a week and mornings are hard.",
    "would_like": "",
    "help_wanted": "",
}


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


@demo_loader("reports")
def load() -> int:
    """Create the demo reports once (nothing if the Appleby conference already has a report)."""
    case = db.session.scalar(select(Case).where(Case.reference == APPLEBY))
    conference = case and db.session.scalar(select(Conference).where(Conference.case_id == case.id).order_by(Conference.id).limit(1))
    if conference is None or db.session.scalar(select(Report.id).where(Report.conference_id == conference.id).limit(1)):
        return 0
    professional, alice, advocate = (_user("priya.plover@example.org"), _user("alice.appleby@example.org"),
                                     _user("ada.avocet@example.org"))
    now = utcnow()
    report = Report(case_id=case.id, conference_id=conference.id, author_id=professional.id, kind=PROFESSIONAL,
                    status="submitted", submitted_at=now - timedelta(days=1), shared_at=now - timedelta(days=1))
    db.session.add(report)
    db.session.flush()
    db.session.add(ReportVersion(report_id=report.id, number=1, saved_by_id=professional.id, saved_at=now - timedelta(days=2)))
    db.session.add(ReportVersion(report_id=report.id, number=2, saved_by_id=professional.id, saved_at=now - timedelta(days=1),
                                 **PROFESSIONAL_REPORT))
    # Shared as the default would: the mother and the grandmother (the restriction keeps the father out).
    family = {p.user.email: p for p in db.session.scalars(select(Participant).where(Participant.case_id == case.id))}
    for email in ("alice.appleby@example.org", "grace.appleby@example.org"):
        db.session.add(ReportShare(report_id=report.id, participant_id=family[email].id, shared_at=now - timedelta(days=1)))
    db.session.add(Comment(report_id=report.id, section="what_happened", thread_owner_id=alice.id, kind="question",
                           author_id=alice.id, body="Sam missed school because he was ill with flu. Can this be added?"))
    views = Report(case_id=case.id, conference_id=conference.id, author_id=alice.id, kind=FAMILY_VIEWS, language="en")
    db.session.add(views)
    db.session.flush()
    db.session.add(ReportVersion(report_id=views.id, number=1, saved_by_id=alice.id))
    db.session.add(ReportVersion(report_id=views.id, number=2, saved_by_id=alice.id, **VIEWS_DRAFT))
    db.session.add(ReportHelper(report_id=views.id, user_id=advocate.id))
    db.session.commit()
    return 9
