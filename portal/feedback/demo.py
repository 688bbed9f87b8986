"""Demo feedback on the Chestnut family's initial conference: the mother's (her name kept from the chair),
the school's and the young person's; and what the chair will change for the review conference because of it."""

from __future__ import annotations

from sqlalchemy import select

from portal.auth.models import User
from portal.cases.models import Case, Conference
from portal.db import db
from portal.demo import demo_loader
from portal.feedback.models import Feedback, ReviewChange
from portal.plans.demo import REFERENCE

# (login, respondent, child-friendly, anonymous, welcomed, about the child, understood the reports, had a say, do better)
ANSWERS = [
    ("clara.chestnut@example.org", "parent", False, True, 3, 3, 2, 2, "Send the reports in Bengali too, and earlier."),
    ("priya.plover@example.org", "professional", False, False, 3, 3, 3, 2, "Start on time: the family waited 20 minutes."),
    ("cal.chestnut", "young_person", True, False, 2, 3, 1, 2, "Use easier words."),
]
CHANGES = ["We will meet at the family hub, which is easier to reach.",
           "A Sylheti interpreter will be there for the whole meeting.",
           "Reports will be shorter, and shared a week before."]


@demo_loader("feedback on the Chestnut family's conference")
def load() -> int:
    case = db.session.scalar(select(Case).where(Case.reference == REFERENCE))
    if case is None:
        return 0
    held = db.session.scalar(select(Conference).where(Conference.case_id == case.id, Conference.status == "held"))
    if held is None or db.session.scalar(select(Feedback.id).where(Feedback.conference_id == held.id).limit(1)):
        return 0
    for login, respondent, child_friendly, anonymous, *answers, do_better in ANSWERS:
        user = db.session.scalar(select(User).where((User.email == login) | (User.username == login)))
        db.session.add(Feedback(case_id=case.id, conference_id=held.id, user_id=user.id, respondent=respondent,
                                child_friendly=child_friendly, anonymous=anonymous, do_better=do_better,
                                **dict(zip(("welcomed", "about_child", "understood_reports", "had_say"), answers))))
    for text in CHANGES:
        db.session.add(ReviewChange(case_id=case.id, conference_id=held.id, text=text, created_by_id=held.chair_id))
    db.session.commit()
    return len(ANSWERS) + len(CHANGES)
