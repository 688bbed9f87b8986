"""Demo data after a conference: the Chestnut family, whose initial conference was held 44 days ago and
decided on a plan (three actions, the family group conference's own plan, the mother's say on one
action; the midway review is due), with a review conference booked; and a directory of local services.

All names are plainly fictional; every address is on example.org. Loading twice changes nothing.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from portal.auth.models import User
from portal.auth.passwords import hash_password
from portal.cases.conferences import Category, Decision, Format, Kind, Status, london_to_utc
from portal.cases.demo import DEMO_PASSWORD, _years_ago
from portal.cases.models import Case, Child, Conference, ContactRestriction, Participant, Venue
from portal.db import db, utcnow
from portal.demo import DemoAccount, demo_accounts_lister, demo_loader
from portal.notify.models import SentNotification
from portal.plans.models import ActionResponse, PlanAction, Service
from portal.roles import Role
from portal.support.models import SupportRequest

REFERENCE = "FC-3VJT-C8PA"
HELD_DAYS_AGO = 44
REVIEW_IN_DAYS = 40

SERVICES = [
    ("Family hub, Stepney (demo)", "Drop-in help with money, housing and benefits. Play sessions for children under 11.",
     "English, Bengali, Sylheti, Somali", "Stepney", "020 7946 0001"),
    ("Parenting Together course (demo)", "Eight weekly sessions for parents who live apart, about how arguments affect "
     "children. Each parent can join a different group.", "English, Bengali, Arabic", "Family hub (demo)", "parenting@example.org"),
    ("Young Carers Project (demo)", "Support, clubs and trips for children who look after someone at home.",
     "English, Somali", "Bow", "020 7946 0002"),
    ("Money advice (demo)", "Free, private help with debts, bills and benefits.", "English, Urdu, Polish, Romanian",
     "Whitechapel library", "020 7946 0003"),
    ("Sleep and bedtime clinic (demo)", "Health visitors help children who are frightened at night or cannot sleep.",
     "English, Bengali", "Mile End health centre", "020 7946 0004"),
]

# (login, name, role, relationship, lives with the children, address)
FAMILY = [
    ("clara.chestnut@example.org", "Clara Chestnut", Role.PARENT, "Mother", True, "3 Conker Court, London E1 0EE"),
    ("carl.chestnut@example.org", "Carl Chestnut", Role.PARENT, "Father", False, "8 Husk Street, London E2 0FF"),
    ("cal.chestnut", "Cal Chestnut", Role.YOUNG_PERSON, "Young person", True, None),
]
CHILDREN = (("Cora", 9), ("Cal", 14))
STAFF = (("sally.sparrow@example.org", "Social worker"), ("charlotte.chaffinch@example.org", "Conference chair"),
         ("priya.plover@example.org", "School designated safeguarding lead"))

ACTIONS = [
    ("Cora and Cal have often come to school hungry and tired, and Cal has missed lessons to look after Cora.",
     "Clara will get Cora and Cal to school on time each day. The school breakfast club will keep a place for both of them.",
     "Clara, with Priya Plover (school)", 28),
    ("Cal says he worries about money at home and feels he has to help.",
     "Sally will help Clara apply for the benefits and the school uniform grant the family is owed.",
     "Sally Sparrow (social worker)", 42),
    ("The children have heard loud arguments between their parents, and Cora is frightened at bedtime.",
     "Clara and Carl will each go to a course for parents who live apart, and agree a written plan for Cora and Cal "
     "to see their father.", "Clara and Carl, with Sally Sparrow", 84),
]

FAMILY_PLAN = ("Grandma Rose will collect Cora from school on Tuesdays and Thursdays.\n"
               "Uncle Dan will take Cal to football on Saturdays, so he has time for himself.\n"
               "If Clara feels she is not coping, she will call Rose first, then Sally.")


@demo_loader("the Chestnut family's plan, and local services")
def load() -> int:
    """Services, and the Chestnut family with a held conference, a plan and a review conference booked."""
    created = 0
    for name, offers, languages, where, contact in SERVICES:
        if db.session.scalar(select(Service.id).where(Service.name == name)) is None:
            db.session.add(Service(name=name, offers=offers, languages=languages, where=where, contact=contact))
            created += 1
    if db.session.scalar(select(Case.id).where(Case.reference == REFERENCE)) is not None:
        db.session.commit()
        return created
    today = date.today()
    case = Case(reference=REFERENCE, strategy_discussion_on=today - timedelta(days=HELD_DAYS_AGO + 14))
    db.session.add(case)
    db.session.flush()
    children = {}
    for first_name, age in CHILDREN:
        children[first_name] = Child(case_id=case.id, first_name=first_name, last_name="Chestnut", date_of_birth=_years_ago(age, today))
        db.session.add(children[first_name])
    db.session.flush()
    password_hash = hash_password(DEMO_PASSWORD)
    members = {}
    for login, name, role, relationship, lives_with, address in FAMILY:
        email = login if "@" in login else None
        user = User(name=name, role=role.value, email=email, username=None if email else login, address=address,
                    password_hash=password_hash, preferred_language="en")
        db.session.add(user)
        db.session.flush()
        members[login] = Participant(case_id=case.id, user_id=user.id, role=role.value, relationship_to_child=relationship,
                                     lives_with_child=lives_with,
                                     child_id=children["Cal"].id if role == Role.YOUNG_PERSON else None)
        db.session.add(members[login])
    staff = {}
    for email, relationship in STAFF:
        staff[email] = db.session.scalar(select(User).where(User.email == email))
        db.session.add(Participant(case_id=case.id, user_id=staff[email].id, role=staff[email].role,
                                   relationship_to_child=relationship))
    db.session.flush()
    clara, carl = members["clara.chestnut@example.org"], members["carl.chestnut@example.org"]
    db.session.add(ContactRestriction(case_id=case.id, protected_id=clara.id, hidden_from_id=carl.id))
    sally, chair = staff["sally.sparrow@example.org"], staff["charlotte.chaffinch@example.org"]
    office = db.session.scalar(select(Venue).where(Venue.council_office.is_(True)).order_by(Venue.id).limit(1))
    hub = db.session.scalar(select(Venue).where(Venue.council_office.is_(False)).order_by(Venue.id).limit(1)) or office
    held_on = today - timedelta(days=HELD_DAYS_AGO)
    icpc = Conference(case_id=case.id, kind=Kind.ICPC.value, starts_at=london_to_utc(held_on, time(10, 0)),
                      format=Format.IN_PERSON.value, venue_id=office.id, chair_id=chair.id, status=Status.HELD.value,
                      decision=Decision.PLAN.value, category=Category.NEGLECT.value,
                      decision_reasons="Cora and Cal need a plan so that they get to school fed and rested, and so that "
                                       "they are not caught up in their parents' arguments. Everyone agreed to work on this together.",
                      outcome_recorded_at=utcnow(), family_notified_at=utcnow() - timedelta(days=HELD_DAYS_AGO + 13),
                      created_by_id=sally.id, created_at=utcnow() - timedelta(days=HELD_DAYS_AGO + 13))
    review_on = today + timedelta(days=REVIEW_IN_DAYS)
    review = Conference(case_id=case.id, kind=Kind.REVIEW.value, starts_at=london_to_utc(review_on, time(10, 0)),
                        format=Format.IN_PERSON.value, venue_id=hub.id, chair_id=chair.id, family_notified_at=utcnow(),
                        created_by_id=sally.id)
    db.session.add_all([icpc, review])
    db.session.flush()
    # The family "was told" of both conferences, the outcome and the midway review: send-due does not tell them again.
    for conference, events in ((icpc, ("notice", "outcome", "midway_review")), (review, ("notice",))):
        for member in members.values():
            for event in events:
                db.session.add(SentNotification(key=f"{event}:{conference.id}:{member.user_id}", user_id=member.user_id,
                                                event=event, channel="demo"))
    actions = []
    for impact, action, by_whom, days in ACTIONS:
        actions.append(PlanAction(case_id=case.id, conference_id=icpc.id, impact=impact, action=action, by_whom=by_whom,
                                  due_on=held_on + timedelta(days=days), created_by_id=chair.id))
    db.session.add_all(actions)
    db.session.flush()
    money = db.session.scalar(select(Service).where(Service.name == SERVICES[3][0]))
    db.session.add(ActionResponse(action_id=actions[1].id, participant_id=clara.id, agreement="agree", service_id=money.id,
                                  updated_at=utcnow()))
    db.session.add(SupportRequest(case_id=case.id, conference_id=icpc.id, participant_id=clara.id, kind="fgc", status="arranged",
                                  details={"family_plan": FAMILY_PLAN, "for_plan": True}, created_by_id=sally.id,
                                  reason="The family group conference took place at the family hub."))
    db.session.commit()
    return created + 12


@demo_accounts_lister
def accounts() -> list[DemoAccount]:
    """The Chestnut family's sign-ins (their staff are the Appleby family's: Sally, Charlotte and Priya)."""
    return [DemoAccount(login=login, password=DEMO_PASSWORD, role=role.value, name=name, cases=[REFERENCE])
            for login, name, role, _relationship, _lives_with, _address in FAMILY]
