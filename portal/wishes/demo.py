"""Demo data for young people: Sam (15) and Max (15) linked to their child records; Ruby (7) with her
own sign-in, to show the simpler pages; Cody Curlew, Sam's advocate (offered, accepted, Alice
consented); and Sam's wishes and feelings for the Appleby conference, shared, with his worries kept
from his parents and the good things shared with his mother, his grandmother and his advocate.
Ruby and the Bramble children have no advocacy offer yet, so the chairs' dashboards flag them."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.auth.models import User
from portal.auth.passwords import hash_password
from portal.cases.demo import DEMO_PASSWORD, FAMILIES, Person, _user
from portal.cases.models import Case, Child, Conference, Participant
from portal.db import db, utcnow
from portal.demo import DemoAccount, demo_accounts_lister, demo_loader
from portal.roles import Role
from portal.wishes.models import ChildAdvocacy, Wishes, WishesShare

RUBY = Person("yp_a_younger", "Ruby Appleby", Role.YOUNG_PERSON, username="ruby.appleby")
CODY = Person("child_advocate", "Cody Curlew", Role.ADVOCATE, "cody.curlew@example.org")


def _participant(case_id: int, user_id: int) -> Participant | None:
    return db.session.scalar(select(Participant).where(Participant.case_id == case_id, Participant.user_id == user_id))


def _by_login(person: Person) -> User | None:
    column, value = (User.email, person.email) if person.email else (User.username, person.username)
    return db.session.scalar(select(User).where(column == value))


@demo_loader("young people")
def load() -> int:
    """Link, add and write what is missing; nothing the second time."""
    created = 0
    cases = {}
    for family in FAMILIES:
        case = db.session.scalar(select(Case).where(Case.reference == family.reference))
        user = _by_login(family.young_person)
        if case is None or user is None:
            return created
        cases[family.surname] = case
        participant = _participant(case.id, user.id)
        first_name = family.young_person.name.split()[0]
        child = db.session.scalar(select(Child).where(Child.case_id == case.id, Child.first_name == first_name))
        if participant is not None and participant.child_id is None and child is not None:
            participant.child_id = child.id
            created += 1
    appleby = cases["Appleby"]
    children = {c.first_name: c for c in db.session.scalars(select(Child).where(Child.case_id == appleby.id))}
    password_hash = hash_password(DEMO_PASSWORD)
    for person, role, child_id, relationship in ((RUBY, Role.YOUNG_PERSON, children["Ruby"].id, "Young person"),
                                                 (CODY, Role.ADVOCATE, None, "Advocate for Sam")):
        user, new = _user(person, password_hash)
        created += new
        if _participant(appleby.id, user.id) is None:
            db.session.add(Participant(case_id=appleby.id, user_id=user.id, role=role.value, relationship_to_child=relationship,
                                       lives_with_child=role == Role.YOUNG_PERSON, child_id=child_id))
            created += 1
    db.session.flush()
    sam = children["Sam"]
    if db.session.scalar(select(ChildAdvocacy.id).where(ChildAdvocacy.child_id == sam.id)) is None:
        social_worker = db.session.scalar(select(User).where(User.email == "sally.sparrow@example.org"))
        alice = _participant(appleby.id, db.session.scalar(select(User.id).where(User.email == "alice.appleby@example.org")))
        cody = _participant(appleby.id, _by_login(CODY).id)
        cody.advocate_for_child_id = sam.id
        db.session.add(ChildAdvocacy(case_id=appleby.id, child_id=sam.id, offered_on=date.today() - timedelta(days=6),
                                     offered_by_id=social_worker.id, response="accepted", consent="given",
                                     consent_by_kind="parent", consent_by_participant_id=alice.id, consent_by_name="Alice Appleby",
                                     consent_on=date.today() - timedelta(days=5), consent_recorded_by_id=alice.user_id,
                                     advocate_participant_id=cody.id))
        created += 1
        created += _sams_wishes(appleby, sam, alice, cody)
    db.session.commit()
    return created


def _sams_wishes(case: Case, sam: Child, alice: Participant, cody: Participant) -> int:
    conference = db.session.scalar(select(Conference).where(Conference.case_id == case.id).order_by(Conference.starts_at).limit(1))
    sam_user = _by_login(FAMILIES[0].young_person)
    if conference is None or sam_user is None:
        return 0
    grace = _participant(case.id, db.session.scalar(select(User.id).where(User.email == "grace.appleby@example.org")))
    wishes = Wishes(
        case_id=case.id, conference_id=conference.id, child_id=sam.id, author_id=sam_user.id, written_by="child",
        status="shared", shared_at=utcnow(), revision=3, updated_by_id=sam_user.id,
        worries="When Dad shouts on the phone I feel scared, and I worry about Mum when I am at school.",
        good_things="Football on Saturdays. Gran's dinners. My friend Jay.",
        dreams="To stay at my school and for things at home to be calm.",
        meeting_should_know="I want to keep living with Mum and Gran.",
        who_there="Mum, Gran and Cody. I do not want to be in the room when they talk about Dad.",
        need_plan="not_sure", need_plan_why="I think it helps that people check on us, but I do not want it to go on forever.",
    )
    db.session.add(wishes)
    db.session.flush()
    for part, people in {"good_things": (alice, grace, cody), "dreams": (alice, grace, cody),
                         "meeting_should_know": (alice, grace, cody), "who_there": (cody,), "need_plan": (cody,)}.items():
        for participant in people:
            db.session.add(WishesShare(wishes_id=wishes.id, part=part, participant_id=participant.id))
    return 1


@demo_accounts_lister
def accounts() -> list[DemoAccount]:
    return [DemoAccount(login=RUBY.username or "", password=DEMO_PASSWORD, role=RUBY.role.value, name=RUBY.name,
                        cases=[FAMILIES[0].reference]),
            DemoAccount(login=CODY.email or "", password=DEMO_PASSWORD, role=CODY.role.value, name=CODY.name,
                        cases=[FAMILIES[0].reference])]
