"""Demo families and staff: two families, each with two children (7 and 15), two parents who
live apart with a contact restriction between them, and a grandparent; and one of each staff role.

All names are plainly fictional; every address is on example.org. Loading twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import select

from portal.auth.models import User
from portal.auth.passwords import hash_password
from portal.roles import Role


from portal.cases.conferences import Format, Kind, london_to_utc
from portal.cases.models import Case, Child, Conference, ContactRestriction, Participant, Venue
from portal.db import utcnow
from portal.db import db
from portal.demo import DemoAccount, demo_accounts_lister, demo_loader
from portal.notify.models import SentNotification
from portal.roles import FAMILY_ROLES

FAMILY_ROLE_VALUES = {role.value for role in FAMILY_ROLES}

DEMO_PASSWORD = "demo-portal-2026"


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    role: Role
    email: str | None = None
    username: str | None = None
    mobile: str | None = None
    address: str | None = None


STAFF = [
    Person("sw_a", "Sally Sparrow", Role.SOCIAL_WORKER, "sally.sparrow@example.org"),
    Person("sw_b", "Simon Swift", Role.SOCIAL_WORKER, "simon.swift@example.org"),
    Person("chair_a", "Charlotte Chaffinch", Role.CHAIR, "charlotte.chaffinch@example.org"),
    Person("chair_b", "Colin Crane", Role.CHAIR, "colin.crane@example.org"),
    Person("school", "Priya Plover", Role.PROFESSIONAL, "priya.plover@example.org"),
    Person("health", "Harry Heron", Role.PROFESSIONAL, "harry.heron@example.org"),
    Person("advocate", "Ada Avocet", Role.ADVOCATE, "ada.avocet@example.org"),
    Person("sqa", "Quinn Quail", Role.SQA_MANAGER, "quinn.quail@example.org"),
    Person("admin", "Adam Auk", Role.ADMIN, "adam.auk@example.org"),
]


@dataclass(frozen=True)
class Family:
    reference: str
    surname: str
    children: tuple[tuple[str, int], ...]
    mother: Person
    father: Person
    grandparent: Person
    young_person: Person
    social_worker: str
    chair: str
    professional: str
    professional_relationship: str


def _years_ago(years: int, today: date) -> date:
    return date(today.year - years, 3, 1) if (today.month, today.day) >= (3, 1) else date(today.year - years - 1, 3, 1)


FAMILIES = [
    Family(
        reference="FC-7KQ3-M9XD",
        surname="Appleby",
        children=(("Ruby", 7), ("Sam", 15)),
        mother=Person("mother_a", "Alice Appleby", Role.PARENT, "alice.appleby@example.org", address="1 Orchard Row, London E1 0AA"),
        father=Person("father_a", "Arthur Appleby", Role.PARENT, "arthur.appleby@example.org", address="9 Cider Lane, London E2 0BB"),
        grandparent=Person("grand_a", "Grace Appleby", Role.CARER, "grace.appleby@example.org", mobile="+447700900101"),
        young_person=Person("yp_a", "Sam Appleby", Role.YOUNG_PERSON, username="sam.appleby"),
        social_worker="sw_a",
        chair="chair_a",
        professional="school",
        professional_relationship="School designated safeguarding lead",
    ),
    Family(
        reference="FC-4HNP-T6WB",
        surname="Bramble",
        children=(("Pip", 7), ("Max", 15)),
        mother=Person("mother_b", "Beth Bramble", Role.PARENT, "beth.bramble@example.org", address="4 Hedge Walk, London E3 0CC"),
        father=Person("father_b", "Ben Bramble", Role.PARENT, "ben.bramble@example.org", address="7 Thorn Close, London E14 0DD"),
        grandparent=Person("grand_b", "George Bramble", Role.CARER, "george.bramble@example.org", mobile="+447700900102"),
        young_person=Person("yp_b", "Max Bramble", Role.YOUNG_PERSON, username="max.bramble"),
        social_worker="sw_b",
        chair="chair_b",
        professional="health",
        professional_relationship="Health visitor",
    ),
]


def _user(person: Person, password_hash: str) -> tuple[User, bool]:
    column, value = (User.email, person.email) if person.email else (User.username, person.username)
    user = db.session.scalar(select(User).where(column == value))
    if user:
        return user, False
    user = User(name=person.name, role=person.role.value, email=person.email, username=person.username,
                mobile=person.mobile, address=person.address, password_hash=password_hash, preferred_language="en")
    db.session.add(user)
    db.session.flush()
    return user, True


@demo_loader("accounts and cases")
def load() -> int:
    """Create the demo staff, families, cases and participants that are missing."""
    created = 0
    password_hash = hash_password(DEMO_PASSWORD)
    staff = {}
    for person in STAFF:
        staff[person.key], new = _user(person, password_hash)
        created += new
    today = date.today()
    for family in FAMILIES:
        case = db.session.scalar(select(Case).where(Case.reference == family.reference))
        if case is not None:
            continue
        case = Case(reference=family.reference)
        db.session.add(case)
        db.session.flush()
        created += 1
        for first_name, age in family.children:
            db.session.add(Child(case_id=case.id, first_name=first_name, last_name=family.surname, date_of_birth=_years_ago(age, today)))
            created += 1
        members = {}
        for person, relationship, lives_with in (
            (family.mother, "Mother", True),
            (family.father, "Father", False),
            (family.grandparent, "Grandmother" if family.surname == "Appleby" else "Grandfather", True),
            (family.young_person, "Young person", True),
        ):
            user, new = _user(person, password_hash)
            created += new
            members[person.key] = Participant(case_id=case.id, user_id=user.id, role=person.role.value,
                                               relationship_to_child=relationship, lives_with_child=lives_with)
            db.session.add(members[person.key])
        for key, relationship in ((family.social_worker, "Social worker"), (family.chair, "Conference chair"),
                                  (family.professional, family.professional_relationship)):
            db.session.add(Participant(case_id=case.id, user_id=staff[key].id, role=staff[key].role, relationship_to_child=relationship))
        db.session.flush()
        if family.surname == "Appleby":
            db.session.add(Participant(case_id=case.id, user_id=staff["advocate"].id, role=Role.ADVOCATE.value,
                                       relationship_to_child="Advocate for Alice", advocate_for_id=members["mother_a"].id))
        # The father must never see how to reach the mother.
        db.session.add(ContactRestriction(case_id=case.id, protected_id=members[family.mother.key].id,
                                          hidden_from_id=members[family.father.key].id))
        created += 8
    db.session.commit()
    created += _load_venues_and_conferences(staff, today)
    db.session.commit()
    return created


VENUES = [
    ("Council offices (demo), Room 1", "1 Example Square, London E1 0AA", "Step-free entrance. Hearing loop. Quiet room next door.", True),
    ("Council offices (demo), Room 2", "1 Example Square, London E1 0AA", "Step-free entrance. Baby changing room.", True),
    ("Family hub (demo)", "20 Example Road, London E3 0BB", "Two steps at the door, with a ramp on request. Play room.", False),
]


DIRECTIONS = {
    "Council offices (demo), Room 1": "Bus 25 or 205 to Example Square. The entrance is next to the library. Ask at the front desk.",
    "Council offices (demo), Room 2": "Bus 25 or 205 to Example Square. The entrance is next to the library. Ask at the front desk.",
    "Family hub (demo)": "A 5 minute walk from Example Road station. The hub is behind the park, with a green door.",
}


def _load_venues_and_conferences(staff: dict, today: date) -> int:
    """Venues, and one upcoming initial conference per demo family (the second at short notice)."""
    created = 0
    venues = {}
    for name, address, notes, council_office in VENUES:
        venue = db.session.scalar(select(Venue).where(Venue.name == name))
        if venue is None:
            venue = Venue(name=name, address=address, accessibility_notes=notes, council_office=council_office,
                          directions=DIRECTIONS.get(name))
            db.session.add(venue)
            db.session.flush()
            created += 1
        venues[name] = venue
    plans = [
        (FAMILIES[0], 14, time(10, 0), venues[VENUES[0][0]], None),
        (FAMILIES[1], 9, time(14, 0), venues[VENUES[1][0]], "The strategy discussion was late; the family agreed to meet sooner."),
    ]
    for family, days_ahead, at, venue, short_notice_reason in plans:
        case = db.session.scalar(select(Case).where(Case.reference == family.reference))
        if case is None or db.session.scalar(select(Conference.id).where(Conference.case_id == case.id).limit(1)):
            continue
        day = today + timedelta(days=days_ahead)
        if case.strategy_discussion_on is None:
            case.strategy_discussion_on = day - timedelta(days=14)
        conference = Conference(
            case_id=case.id, kind=Kind.ICPC.value, starts_at=london_to_utc(day, at), format=Format.IN_PERSON.value,
            venue_id=venue.id, chair_id=staff[family.chair].id, short_notice_reason=short_notice_reason,
            family_notified_at=utcnow(), created_by_id=staff[family.social_worker].id,
        )
        db.session.add(conference)
        db.session.flush()
        # The demo family "was told" when it was scheduled: record it, so send-due does not tell them again.
        for participant in db.session.scalars(select(Participant).where(Participant.case_id == case.id)):
            if participant.role in FAMILY_ROLE_VALUES:
                db.session.add(SentNotification(key=f"notice:{conference.id}:{participant.user_id}", user_id=participant.user_id,
                                                event="notice", channel="demo"))
        created += 1
    return created


@demo_accounts_lister
def accounts() -> list[DemoAccount]:
    """Every demo sign-in with the cases it reaches."""
    listed: list[DemoAccount] = []
    for person in STAFF:
        cases = [f.reference for f in FAMILIES if person.key in (f.social_worker, f.chair, f.professional)]
        if person.key == "advocate":
            cases = [FAMILIES[0].reference]
        if person.role == Role.SQA_MANAGER:
            cases = [f.reference for f in FAMILIES]
        listed.append(DemoAccount(login=person.email or "", password=DEMO_PASSWORD, role=person.role.value, name=person.name, cases=cases))
    for family in FAMILIES:
        for person in (family.mother, family.father, family.grandparent, family.young_person):
            listed.append(DemoAccount(login=person.email or person.username or "", password=DEMO_PASSWORD,
                                      role=person.role.value, name=person.name, cases=[family.reference]))
    return listed
