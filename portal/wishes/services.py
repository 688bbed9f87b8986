"""The rules of a young person's wishes and feelings, and of advocacy for children.

Sources: practice guide ("The child is the most important person at the conference ... their wishes
and feelings [must be] shared"; "All children over the age of 5 should be offered a referral for
advocacy, they will need parental consent unless they are over the age of 16"; "From around the age
of 14 ... whether they feel they need a Child Protection plan"); DESIGN.md (Domain: Wishes and
feelings; Access and safety); issue "Young people".

Every age rule is worked out on the day of the conference the wishes are for (or, with no conference
booked, on today's date in London), so a child who has a birthday before the meeting is treated as
the age they will be at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import Integer, cast, delete, null, select, union_all, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal import audit
from portal.access import participant_for
from portal.cases.models import Child, Conference, Participant
from portal.cases.services import age_on
from portal.db import db, utcnow
from portal.cases.restrictions import restrictions_of
from portal.request_memo import remember, remembered, remembered_many
from portal.roles import Role
from portal.timeline import london_date
from portal.wishes.models import ChildAdvocacy, Wishes, WishesShare
from portal.cases.conferences import Status, conference_day, conferences_of, has_started
from portal.cases import restrictions
from portal.notify.messages import send_news

# "Over the age of 5" is read as from the fifth birthday: DESIGN.md's young people are 5 to 17.
ADVOCACY_FROM_AGE = 5
NEED_PLAN_FROM_AGE = 14
OWN_CONSENT_FROM_AGE = 16
# Simpler words, pictures and bigger buttons up to this age (issue "Young people": 5 to 10).
YOUNGER_UP_TO_AGE = 10

HOUSES = ("worries", "good_things", "dreams")
TEXT_PARTS = HOUSES + ("meeting_should_know", "who_there")
PARTS = TEXT_PARTS + ("need_plan",)
# The chair and the social worker always read what a young person shares (they are told so first).
ALWAYS_READ_BY = (Role.CHAIR.value, Role.SOCIAL_WORKER.value)
# Who a young person may also let see a part: their parents and carers, and their advocate.
CHOOSABLE_ROLES = (Role.PARENT.value, Role.CARER.value)


class NeedPlan(StrEnum):
    YES = "yes"
    NO = "no"
    NOT_SURE = "not_sure"


class WrittenBy(StrEnum):
    CHILD = "child"
    ADVOCATE_WROTE = "advocate_wrote"
    ADVOCATE_SPEAKING = "advocate_speaking"


# --- ages -----------------------------------------------------------------------------------

def rules_day(case_id: int, conference: Conference | None = None) -> date:
    """The day age rules are worked out on: the conference's, else the next booked one's, else today (London)."""
    if conference is None:
        conference = next((c for c in conferences_of(case_id) if c.status == Status.SCHEDULED), None)
    return conference_day(conference) if conference is not None else london_date(utcnow())


def age_at(child: Child, day: date) -> int:
    return age_on(child.date_of_birth, day)


def is_younger(age: int) -> bool:
    return age <= YOUNGER_UP_TO_AGE


def asks_need_plan(age: int) -> bool:
    """From 14 the young person is asked whether they feel they need a plan (practice guide)."""
    return age >= NEED_PLAN_FROM_AGE


def advocacy_due(age: int) -> bool:
    """Every child from 5 is offered advocacy (practice guide)."""
    return age >= ADVOCACY_FROM_AGE


def consents_for_self(age: int) -> bool:
    """From 16 a young person consents to advocacy themselves; younger, a person with parental responsibility does."""
    return age >= OWN_CONSENT_FROM_AGE


def parts_for(age: int) -> tuple[str, ...]:
    return PARTS if asks_need_plan(age) else TEXT_PARTS


# --- who is who -------------------------------------------------------------------------------

def own_child(user, case_id: int) -> Child | None:
    """The child record of a signed-in young person in this case (None for anyone else)."""
    participant = participant_for(user, case_id)
    if participant is None or participant.role != Role.YOUNG_PERSON.value or participant.child_id is None:
        return None
    return db.session.get(Child, participant.child_id)


def own_child_row(user, case_id: int, conference: Conference | None = None) -> tuple | None:
    """(the young person's child record, their advocacy or None, their wishes for the conference or None) for a
    signed-in young person in this case; None for anyone else. From the case's children, read once per request."""
    participant = participant_for(user, case_id)
    if participant is None or participant.role != Role.YOUNG_PERSON.value or participant.child_id is None:
        return None
    return next((row for row in _children_of_case(case_id, conference) if row[0].id == participant.child_id), None)


def advocate_of(child: Child) -> Participant | None:
    """The advocate allocated to this child, if any."""
    return _people_of(child).get(Role.ADVOCATE.value)


def young_person_of(child: Child) -> Participant | None:
    """The young person's own account in the case, if they have one."""
    return _people_of(child).get(Role.YOUNG_PERSON.value)


def has_own_account(child: Child) -> bool:
    """Whether the child takes part with an account of their own (read with the case's children, where it was)."""
    return remembered("child_has_own_account", child.id, lambda: young_person_of(child) is not None,
                      depends_on=(Participant,))


def _people_of(child: Child) -> dict[str, Participant]:
    """The child's own account and their allocated advocate, by role: one statement, read once per request."""
    def read() -> dict[str, Participant]:
        people: dict[str, Participant] = {}
        for person in db.session.scalars(
                select(Participant).options(joinedload(Participant.user))
                .where(Participant.case_id == child.case_id,
                       ((Participant.role == Role.YOUNG_PERSON.value) & (Participant.child_id == child.id))
                       | ((Participant.role == Role.ADVOCATE.value) & (Participant.advocate_for_child_id == child.id)))
                .order_by(Participant.id)):
            people.setdefault(person.role, person)
        return people

    return remembered("people_of_child", child.id, read, depends_on=(Participant,))


def writes_for(user, child: Child) -> bool:
    """The young person themselves, or the advocate allocated to the child."""
    participant = participant_for(user, child.case_id)
    if participant is None:
        return False
    if participant.role == Role.YOUNG_PERSON.value:
        return participant.child_id == child.id
    return participant.role == Role.ADVOCATE.value and participant.advocate_for_child_id == child.id


def may_start(user, child: Child) -> bool:
    """The young person starts their own; their advocate starts them only for a child with no account
    (a child who writes for themselves alone chooses who sees each part, their advocate included)."""
    participant = participant_for(user, child.case_id)
    if participant is None or not writes_for(user, child):
        return False
    return participant.role == Role.YOUNG_PERSON.value or not has_own_account(child)


def children_written_for(user, case_id: int) -> list[Child]:
    """The children whose wishes this person may write: their own (a young person), or those they advocate for."""
    participant = participant_for(user, case_id)
    if participant is None:
        return []
    if participant.role == Role.YOUNG_PERSON.value and participant.child_id:
        child_id = participant.child_id
    elif participant.role == Role.ADVOCATE.value and participant.advocate_for_child_id:
        child_id = participant.advocate_for_child_id
    else:
        return []
    child = db.session.get(Child, child_id)  # often already loaded with the wishes on the page: no query then
    return [child] if child is not None else []


# --- the wishes -------------------------------------------------------------------------------

def wishes_for(conference: Conference, child: Child) -> Wishes | None:
    return db.session.scalar(select(Wishes).where(Wishes.conference_id == conference.id, Wishes.child_id == child.id))


def start(conference: Conference, child: Child, by) -> Wishes:
    """The child's wishes for this conference: the ones already started (by them or their advocate), or new.

    One set per child per conference (a unique constraint), so two taps at once end on the same one.
    """
    existing = wishes_for(conference, child)
    if existing is not None:
        return existing
    if not may_start(by, child):
        raise PermissionError("a child with their own account starts their own wishes")
    young_person = participant_for(by, child.case_id)
    wishes = Wishes(case_id=child.case_id, conference_id=conference.id, child_id=child.id, author_id=by.id,
                    written_by=WrittenBy.CHILD if young_person and young_person.role == Role.YOUNG_PERSON.value
                    else WrittenBy.ADVOCATE_WROTE, updated_by_id=by.id)
    db.session.add(wishes)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return wishes_for(conference, child)
    audit.record("wishes.start", actor=by, object_kind="wishes", object_id=wishes.id, case_id=child.case_id)
    db.session.commit()
    return wishes


def is_open(wishes: Wishes) -> bool:
    """Words and choices can change until the conference starts (issue: "until the conference")."""
    return wishes.conference.status == Status.SCHEDULED and not has_started(wishes.conference)


def _shared_parts(wishes: Wishes, participant_id: int) -> frozenset[str]:
    return _shared_parts_of([(wishes.id, participant_id)])[(wishes.id, participant_id)]


def _shared_parts_of(keys: list[tuple[int, int]]) -> dict[tuple[int, int], frozenset[str]]:
    """{(wishes id, participant id): the parts the young person chose to share with that person}: one statement
    for the pairs this request has not read yet."""
    def read(unknown: list[tuple[int, int]]) -> dict:
        found: dict[tuple[int, int], set[str]] = {key: set() for key in unknown}
        for wishes_id, participant_id, part in db.session.execute(
                select(WishesShare.wishes_id, WishesShare.participant_id, WishesShare.part)
                .where(WishesShare.wishes_id.in_({w for w, _ in unknown}),
                       WishesShare.participant_id.in_({p for _, p in unknown}))):
            if (wishes_id, participant_id) in found:
                found[(wishes_id, participant_id)].add(part)
        return {key: frozenset(parts) for key, parts in found.items()}

    return remembered_many("wishes_shared_parts", keys, read, depends_on=(WishesShare,))


def _is_the_child(participant: Participant | None, wishes: Wishes) -> bool:
    return (participant is not None and participant.role == Role.YOUNG_PERSON.value
            and participant.child_id == wishes.child_id)


def _advocate_writes_alone(wishes: Wishes) -> bool:
    """The advocate started these wishes for a child who has no account of their own."""
    return wishes.written_by != WrittenBy.CHILD and not has_own_account(wishes.child)


def kept_from_child(case_id: int) -> frozenset[int]:
    """Participants a contact restriction keeps from someone in the case, and their advocates: never
    offered, and never shown, a part of a child's wishes (they can reveal where the child or a parent
    lives). Source: DESIGN.md, Access and safety (parents may be a risk to each other). Read once per
    request, with the case's other restrictions (cases/restrictions.py)."""
    return restrictions_of(case_id).kept_from_someone()


def _read_sharing(case_id: int, keys: list[tuple[int, int]]) -> None:
    """Read, in one statement, the two facts visible_parts asks for a family member or advocate: the case's
    contact restrictions (for kept_from_child) and the parts each young person chose to share with these people
    ((wishes id, participant id) keys, for _shared_parts_of). Both are kept for the request; the rules that use
    them are unchanged."""
    shared = (select(*restrictions.fact_columns("shared", WishesShare.participant_id, WishesShare.wishes_id,
                                                cast(null(), Integer), WishesShare.part))
              .where(WishesShare.wishes_id.in_({w for w, _ in keys}), WishesShare.participant_id.in_({p for _, p in keys})))
    rows = db.session.execute(union_all(*restrictions.facts_selects(case_id), shared)).all()
    restrictions.keep_restrictions(case_id, rows)
    parts: dict[tuple[int, int], set[str]] = {key: set() for key in keys}
    for fact, participant_id, wishes_id, _, part in rows:
        if fact == "shared" and (wishes_id, participant_id) in parts:
            parts[(wishes_id, participant_id)].add(part)
    for key, found in parts.items():
        remember("wishes_shared_parts", key, frozenset(found), depends_on=(WishesShare,))


def _shared_with(wishes: Wishes, participant: Participant) -> frozenset[str]:
    if participant.id in kept_from_child(wishes.case_id):
        return frozenset()
    return _shared_parts(wishes, participant.id)


def visible_parts(user, wishes: Wishes) -> frozenset[str]:
    """The parts of the wishes this person may see; empty means the wishes are a 404 to them.

    The child: every part, draft or not; so does the advocate who writes for a child with no account.
    The child's advocate helping with the young person's own words: the parts the young person lets
    them see. Once shared: the case's chair and social worker and the SQA manager every part; a parent
    or carer only the parts the young person chose for them (never anyone a contact restriction keeps
    from someone in the case). Nobody else, ever.
    """
    participant = participant_for(user, wishes.case_id)
    if _is_the_child(participant, wishes):
        return frozenset(PARTS)
    if participant is not None and participant.role == Role.ADVOCATE.value:
        if participant.advocate_for_child_id != wishes.child_id:
            return frozenset()
        if user.id == wishes.author_id and _advocate_writes_alone(wishes):
            return frozenset(PARTS)
        return _shared_with(wishes, participant)
    if wishes.status != "shared":
        return frozenset()
    if user.role == Role.SQA_MANAGER or (participant is not None and participant.role in ALWAYS_READ_BY):
        return frozenset(PARTS)
    if participant is not None and participant.role in CHOOSABLE_ROLES:
        return _shared_with(wishes, participant)
    return frozenset()


def editable_parts(user, wishes: Wishes) -> frozenset[str]:
    """What this person may change now: the child (and the advocate writing for a child with no account)
    every part for their age; the child's advocate helping, the words the young person lets them see but
    never the young person's own answer on needing a plan; nobody once the conference has started."""
    if not is_open(wishes) or not writes_for(user, wishes.child):
        return frozenset()
    parts = visible_parts(user, wishes) & frozenset(parts_for(age_for(wishes)))
    if _is_the_child(participant_for(user, wishes.case_id), wishes) or (
            user.id == wishes.author_id and _advocate_writes_alone(wishes)):
        return parts
    return parts - {"need_plan"}


def age_for(wishes: Wishes) -> int:
    return age_at(wishes.child, rules_day(wishes.case_id, wishes.conference))


def save(wishes: Wishes, by, values: dict[str, str | None], based_on: int) -> bool:
    """Save the parts this person may change, only if nobody saved since they loaded (`based_on`).

    Only the parts in `values` (those on the person's page) are touched. False means someone else saved
    first: nothing is overwritten, and the caller keeps the words on screen. Saving what is already
    there (a second tap, a save racing its own autosave) is not a conflict.
    """
    allowed = editable_parts(by, wishes)
    changes = {name: (value or "").strip() or None for name, value in values.items()
               if name in allowed or (name == "need_plan_why" and "need_plan" in allowed)}
    if not changes or all(getattr(wishes, name) == value for name, value in changes.items()):
        return True
    moved = db.session.execute(update(Wishes).where(Wishes.id == wishes.id, Wishes.revision == based_on)
                               .values(**changes, revision=Wishes.revision + 1, updated_by_id=by.id,
                                       updated_at=utcnow())).rowcount
    if not moved:
        db.session.rollback()
        db.session.refresh(wishes)
        return all(getattr(wishes, name) == value for name, value in changes.items())
    audit.record("wishes.save", actor=by, object_kind="wishes", object_id=wishes.id, case_id=wishes.case_id)
    db.session.commit()
    db.session.refresh(wishes)
    return True


def parse_revision(value: str | None) -> int:
    """The revision a page was loaded at; anything else (odd digits, a huge number) counts as stale."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdecimal() and len(value) <= 9 else -1


def audience_choices(wishes: Wishes) -> list[Participant]:
    """Who the young person may also let see each part: the case's parents and carers, and their advocate."""
    kept = kept_from_child(wishes.case_id)
    people = [p for p in db.session.scalars(select(Participant).options(joinedload(Participant.user))
                                            .where(Participant.case_id == wishes.case_id,
                                                   Participant.role.in_(CHOOSABLE_ROLES)).order_by(Participant.id))
              if p.id not in kept]
    advocate = advocate_of(wishes.child)
    return people + ([advocate] if advocate is not None and advocate.id not in kept else [])


def audience(wishes: Wishes) -> dict[str, set[int]]:
    """For each part, the participants the young person lets see it."""
    chosen: dict[str, set[int]] = {part: set() for part in PARTS}
    for part, participant_id in db.session.execute(select(WishesShare.part, WishesShare.participant_id)
                                                   .where(WishesShare.wishes_id == wishes.id)):
        chosen.setdefault(part, set()).add(participant_id)
    return chosen


def may_choose_audience(user, wishes: Wishes) -> bool:
    """The young person, or the advocate who writes for a child (as the child asked)."""
    return is_open(wishes) and (_is_the_child(participant_for(user, wishes.case_id), wishes)
                                or (user.id == wishes.author_id and _advocate_writes_alone(wishes)))


def choose_audience(wishes: Wishes, by, chosen: dict[str, list[int]]) -> None:
    """Replace who may see each part; only parents, carers and the child's advocate can be chosen."""
    if not may_choose_audience(by, wishes):
        raise PermissionError("only the young person chooses who sees their wishes")
    allowed = {p.id for p in audience_choices(wishes)}
    db.session.execute(delete(WishesShare).where(WishesShare.wishes_id == wishes.id))
    for part in PARTS:
        for participant_id in sorted(set(chosen.get(part) or []) & allowed):
            db.session.add(WishesShare(wishes_id=wishes.id, part=part, participant_id=participant_id))
    audit.record("wishes.audience", actor=by, object_kind="wishes", object_id=wishes.id, case_id=wishes.case_id)
    try:
        db.session.commit()
    except IntegrityError:  # the same choice sent twice at once: the other one stands
        db.session.rollback()


def share(wishes: Wishes, by, written_by: str | None = None) -> bool:
    """Share the wishes with the chair and the social worker (and whoever else was chosen, part by part).

    The young person shares their own; an advocate who started them shares them as "written by me for
    the child" or "speaking for the child". A second share changes nothing and returns False.
    """
    if not may_choose_audience(by, wishes):
        raise PermissionError("only the young person (or the advocate writing for them) shares their wishes")
    if by.id == wishes.author_id and wishes.written_by != WrittenBy.CHILD and written_by in (
            WrittenBy.ADVOCATE_WROTE, WrittenBy.ADVOCATE_SPEAKING):
        wishes.written_by = written_by
    now = utcnow()
    changed = db.session.execute(update(Wishes).where(Wishes.id == wishes.id, Wishes.status == "draft")
                                 .values(status="shared", shared_at=now, written_by=wishes.written_by)).rowcount
    if changed:
        audit.record("wishes.share", actor=by, object_kind="wishes", object_id=wishes.id, case_id=wishes.case_id)
    db.session.commit()
    db.session.refresh(wishes)
    if changed:
        for reader in db.session.scalars(select(Participant).options(joinedload(Participant.user))
                                         .where(Participant.case_id == wishes.case_id, Participant.role.in_(ALWAYS_READ_BY))):
            send_news(reader.user)
    return bool(changed)


def record_read(user, wishes: Wishes) -> None:
    """Every read of wishes and feelings is audited (DESIGN.md, Access and safety); never the words."""
    audit.record_read("wishes.read", actor=user, object_kind="wishes", object_id=wishes.id, case_id=wishes.case_id,
                      outcome="success" if user.role != Role.SQA_MANAGER else "sqa_access")


@dataclass(frozen=True)
class Readable:
    wishes: Wishes
    parts: frozenset[str]


def readable_for(user, conference: Conference) -> list[Readable]:
    """The wishes of this conference this person may see something of, with what they may see."""
    rows = sorted((w for _, _, w in _children_of_case(conference.case_id, conference) if w is not None),
                  key=lambda w: w.id)
    participant = participant_for(user, conference.case_id)
    if participant is not None:
        # What visible_parts, below, will ask about the wishes a young person may have shared with this person,
        # read together (one statement): shared ones for a parent or carer; the child's own for their advocate.
        asked = [(w.id, participant.id) for w in rows
                 if (participant.role in CHOOSABLE_ROLES and w.status == "shared")
                 or (participant.role == Role.ADVOCATE.value and participant.advocate_for_child_id == w.child_id)]
        if asked:
            _read_sharing(conference.case_id, asked)
    readable = [Readable(w, visible_parts(user, w)) for w in rows]
    return [r for r in readable if r.parts]


def _children_of_case(case_id: int, conference: Conference | None) -> tuple:
    """(child, their advocacy or None, their wishes for the conference or None) for each child of the case, oldest
    first: one statement, kept for the request (the page's young people's part and its tasks both ask). Every
    wishes of a conference is a child's of its case, so these are all of the conference's wishes. Whether each
    child has an account of their own comes with them (kept for has_own_account)."""
    def read():
        own_account = (select(Participant.id).where(Participant.case_id == Child.case_id, Participant.child_id == Child.id,
                                                    Participant.role == Role.YOUNG_PERSON.value).correlate(Child).exists())
        query = (select(Child, ChildAdvocacy, own_account).outerjoin(ChildAdvocacy, ChildAdvocacy.child_id == Child.id)
                 .where(Child.case_id == case_id).order_by(Child.date_of_birth, Child.id))
        if conference is not None:
            query = (query.add_columns(Wishes)
                     .outerjoin(Wishes, (Wishes.child_id == Child.id) & (Wishes.conference_id == conference.id))
                     .options(joinedload(Wishes.author), joinedload(Wishes.updated_by)))
        rows = []
        for child, advocacy, has_account, *wishes in db.session.execute(query):
            remember("child_has_own_account", child.id, bool(has_account), depends_on=(Participant,))
            rows.append((child, advocacy, wishes[0] if wishes else None))
        return tuple(rows)

    return remembered("children_of_case", (case_id, conference.id if conference is not None else None), read,
                      depends_on=(Child, ChildAdvocacy, Wishes))


# --- advocacy for children ---------------------------------------------------------------------

class AdvocacyStatus(StrEnum):
    NOT_OFFERED = "not_offered"
    OFFERED = "offered"
    DECLINED = "declined"
    AWAITING_CONSENT = "awaiting_consent"
    CONSENT_REFUSED = "consent_refused"
    READY = "ready"
    ALLOCATED = "allocated"


class ConsentBy(StrEnum):
    YOUNG_PERSON = "young_person"
    PARENT = "parent"
    OTHER = "other"


def advocacy_of(child: Child) -> ChildAdvocacy | None:
    return db.session.scalar(select(ChildAdvocacy).where(ChildAdvocacy.child_id == child.id))


def _advocacy(child: Child) -> ChildAdvocacy:
    """The child's advocacy row, made the first time (two people acting at once end on the same row)."""
    advocacy = advocacy_of(child)
    if advocacy is None:
        advocacy = ChildAdvocacy(case_id=child.case_id, child_id=child.id)
        db.session.add(advocacy)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            advocacy = advocacy_of(child)
    advocacy.updated_at = utcnow()
    return advocacy


def consent_is_valid(advocacy: ChildAdvocacy | None, age: int) -> bool:
    """Consent given by the right person for the child's age: the young person from 16, else a person
    with parental responsibility (a parent's consent does not stand for a 16-year-old, nor a
    15-year-old's own consent for their parent's)."""
    if advocacy is None or advocacy.consent != "given":
        return False
    if consents_for_self(age):
        return advocacy.consent_by_kind == ConsentBy.YOUNG_PERSON
    return advocacy.consent_by_kind in (ConsentBy.PARENT, ConsentBy.OTHER)


def advocacy_status(advocacy: ChildAdvocacy | None, age: int) -> AdvocacyStatus:
    if advocacy is None or (advocacy.offered_on is None and advocacy.asked_by_young_person_at is None):
        return AdvocacyStatus.NOT_OFFERED
    if advocacy.advocate_participant_id is not None:
        return AdvocacyStatus.ALLOCATED
    if advocacy.response == "declined":
        return AdvocacyStatus.DECLINED
    if advocacy.response != "accepted":
        return AdvocacyStatus.OFFERED
    if consent_is_valid(advocacy, age):
        return AdvocacyStatus.READY
    if advocacy.consent == "refused" and (advocacy.consent_by_kind == ConsentBy.YOUNG_PERSON) == consents_for_self(age):
        return AdvocacyStatus.CONSENT_REFUSED
    return AdvocacyStatus.AWAITING_CONSENT


def record_offer(child: Child, by, offered_on: date, response: str) -> ChildAdvocacy:
    """The social worker records when advocacy was offered to the child, and the answer so far."""
    advocacy = _advocacy(child)
    advocacy.offered_on = offered_on
    advocacy.offered_by_id = by.id
    advocacy.response = response
    db.session.flush()
    audit.record(f"child_advocacy.offer.{response}", actor=by, object_kind="child_advocacy", object_id=advocacy.id,
                 case_id=child.case_id)
    db.session.commit()
    if response == "accepted":
        _ask_for_consent(child)
    return advocacy


def may_ask_for_advocate(status: AdvocacyStatus) -> bool:
    """A young person can ask while nothing is under way: not offered, not decided, or said no before."""
    return status in (AdvocacyStatus.NOT_OFFERED, AdvocacyStatus.OFFERED, AdvocacyStatus.DECLINED)


def young_person_asks(child: Child, by) -> ChildAdvocacy:
    """A young person asks for an advocate from their own space. From 16 asking is their consent too;
    younger, a person with parental responsibility is asked (parents see it on their home page)."""
    advocacy = _advocacy(child)
    advocacy.asked_by_young_person_at = utcnow()
    advocacy.response = "accepted"
    age = age_at(child, rules_day(child.case_id))
    if consents_for_self(age):
        _set_consent(advocacy, "given", ConsentBy.YOUNG_PERSON, participant_for(by, child.case_id), None,
                     london_date(utcnow()), by)
    db.session.flush()
    audit.record("child_advocacy.asked", actor=by, object_kind="child_advocacy", object_id=advocacy.id, case_id=child.case_id)
    db.session.commit()
    for worker in db.session.scalars(select(Participant).options(joinedload(Participant.user))
                                     .where(Participant.case_id == child.case_id, Participant.role == Role.SOCIAL_WORKER.value)):
        send_news(worker.user)
    if not consents_for_self(age):
        _ask_for_consent(child)
    return advocacy


def _ask_for_consent(child: Child) -> None:
    """Tell the parents there is something for them (neutral words) when their consent is needed."""
    if consents_for_self(age_at(child, rules_day(child.case_id))):
        return
    for parent in db.session.scalars(select(Participant).options(joinedload(Participant.user))
                                     .where(Participant.case_id == child.case_id, Participant.role == Role.PARENT.value)):
        send_news(parent.user)


def _set_consent(advocacy: ChildAdvocacy, answer: str, kind: str, participant: Participant | None, name: str | None,
                 on: date, by) -> None:
    advocacy.consent = answer
    advocacy.consent_by_kind = kind
    advocacy.consent_by_participant_id = participant.id if participant is not None else None
    advocacy.consent_by_name = name or (participant.user.name if participant is not None else None)
    advocacy.consent_on = on
    advocacy.consent_recorded_by_id = by.id


def may_consent(user, child: Child) -> bool:
    """Who may answer for consent in the portal: a parent while the child is under 16; the young
    person themselves from 16. Only once advocacy was accepted or asked for."""
    advocacy = advocacy_of(child)
    if advocacy is None or advocacy.response != "accepted" or advocacy.advocate_participant_id is not None:
        return False
    participant = participant_for(user, child.case_id)
    if participant is None:
        return False
    if consents_for_self(age_at(child, rules_day(child.case_id))):
        own_answer = advocacy.consent is not None and advocacy.consent_by_kind == ConsentBy.YOUNG_PERSON
        return participant.role == Role.YOUNG_PERSON.value and participant.child_id == child.id and not own_answer
    # The first parent's answer stands; a change after that goes through the social worker.
    return participant.role == Role.PARENT.value and advocacy.consent is None


def give_consent(child: Child, by, given: bool) -> ChildAdvocacy:
    """A parent (under 16) or the young person (16 and over) answers in the portal."""
    if not may_consent(by, child):
        raise PermissionError("this person cannot consent to advocacy for this child")
    advocacy = _advocacy(child)
    participant = participant_for(by, child.case_id)
    kind = ConsentBy.YOUNG_PERSON if participant.role == Role.YOUNG_PERSON.value else ConsentBy.PARENT
    _set_consent(advocacy, "given" if given else "refused", kind, participant, None, london_date(utcnow()), by)
    audit.record(f"child_advocacy.consent.{advocacy.consent}", actor=by, object_kind="child_advocacy",
                 object_id=advocacy.id, case_id=child.case_id)
    db.session.commit()
    return advocacy


def consent_givers(child: Child) -> list[Participant]:
    """Whose consent the social worker can record: the young person from 16, else the case's parents."""
    if consents_for_self(age_at(child, rules_day(child.case_id))):
        young_person = young_person_of(child)
        return [young_person] if young_person is not None else []
    return list(db.session.scalars(select(Participant).options(joinedload(Participant.user))
                                   .where(Participant.case_id == child.case_id, Participant.role == Role.PARENT.value)
                                   .order_by(Participant.id)))


def record_consent(child: Child, by, *, participant: Participant | None, other_name: str | None, on: date,
                   given: bool) -> ChildAdvocacy:
    """The social worker records consent given or refused outside the portal: from 16 the young person's
    own answer (whatever else is posted); under 16, a parent of the case or another person with parental
    responsibility, named."""
    advocacy = _advocacy(child)
    if consents_for_self(age_at(child, rules_day(child.case_id))):
        young_person = young_person_of(child)
        kind, participant, other_name = ConsentBy.YOUNG_PERSON, young_person, None if young_person else child.first_name
    elif participant is not None and participant.role == Role.PARENT.value:
        kind, other_name = ConsentBy.PARENT, None
    else:
        if not other_name:
            raise ValueError("the name of the person with parental responsibility is needed")
        kind, participant = ConsentBy.OTHER, None
    _set_consent(advocacy, "given" if given else "refused", kind, participant, other_name, on, by)
    advocacy.response = advocacy.response or "accepted"
    db.session.flush()
    audit.record(f"child_advocacy.consent.{advocacy.consent}", actor=by, object_kind="child_advocacy",
                 object_id=advocacy.id, case_id=child.case_id)
    db.session.commit()
    return advocacy


def sees_child_advocacy(user, case_id: int) -> bool:
    """Where each child's advocacy stands is for the case's chair and social worker and the SQA manager."""
    if user.role == Role.SQA_MANAGER:
        return True
    participant = participant_for(user, case_id)
    return participant is not None and participant.role in (Role.SOCIAL_WORKER.value, Role.CHAIR.value)


def free_advocates(child: Child) -> list[Participant]:
    """The case's advocates who act for nobody else (or already for this child): one advocate, one person."""
    return list(db.session.scalars(
        select(Participant).options(joinedload(Participant.user))
        .where(Participant.case_id == child.case_id, Participant.role == Role.ADVOCATE.value,
               Participant.advocate_for_id.is_(None),
               Participant.advocate_for_child_id.is_(None) | (Participant.advocate_for_child_id == child.id))
        .order_by(Participant.id)))


class NoConsent(Exception):
    """Advocacy for this child cannot be referred without consent from the right person."""


def allocate(child: Child, by, advocate: Participant) -> ChildAdvocacy:
    """Refer the child to advocacy and allocate the advocate, only with valid consent for the child's age."""
    advocacy = advocacy_of(child)
    if not consent_is_valid(advocacy, age_at(child, rules_day(child.case_id))):
        raise NoConsent
    if advocate.id not in {p.id for p in free_advocates(child)}:
        raise PermissionError("this advocate acts for someone else")
    # Conditional updates: two allocations at once (two tabs, two social workers) allocate one advocate.
    taken = db.session.execute(update(ChildAdvocacy).where(ChildAdvocacy.id == advocacy.id,
                                                           ChildAdvocacy.advocate_participant_id.is_(None))
                               .values(advocate_participant_id=advocate.id, response="accepted", updated_at=utcnow())).rowcount
    freed = taken and db.session.execute(update(Participant).where(
        Participant.id == advocate.id, Participant.advocate_for_id.is_(None),
        Participant.advocate_for_child_id.is_(None) | (Participant.advocate_for_child_id == child.id))
        .values(advocate_for_child_id=child.id)).rowcount
    if not (taken and freed):
        db.session.rollback()
        raise PermissionError("an advocate was allocated at the same moment")
    db.session.refresh(advocacy)
    audit.record("child_advocacy.allocated", actor=by, object_kind="child_advocacy", object_id=advocacy.id,
                 case_id=child.case_id)
    db.session.commit()
    send_news(advocate.user)
    return advocacy


@dataclass(frozen=True)
class ChildRow:
    child: Child
    age: int
    advocacy: ChildAdvocacy | None
    status: AdvocacyStatus


def children_advocacy(case_id: int, conference: Conference | None = None) -> list[ChildRow]:
    """Each child of the case with their age on the rules day and where their advocacy stands (one query, the
    same as readable_for's)."""
    day = rules_day(case_id, conference)
    rows = []
    for child, advocacy, _ in _children_of_case(case_id, conference):
        age = age_at(child, day)
        rows.append(ChildRow(child, age, advocacy, advocacy_status(advocacy, age)))
    return rows


def missing_offers(conferences: list[Conference]) -> dict[int, list[str]]:
    """For each conference, the first names of the case's children of 5 or over (on its day) with no
    advocacy offer recorded. One query whatever the number of conferences (the chair's dashboard)."""
    case_ids = {c.case_id for c in conferences}
    if not case_ids:
        return {}
    offer = (select(ChildAdvocacy.id).where(ChildAdvocacy.child_id == Child.id,
                                             ChildAdvocacy.offered_on.is_not(None)
                                             | ChildAdvocacy.asked_by_young_person_at.is_not(None))
             .correlate(Child).exists())
    children, offered = [], set()
    for child, was_offered in db.session.execute(select(Child, offer).where(Child.case_id.in_(case_ids))
                                                 .order_by(Child.date_of_birth, Child.id)):
        children.append(child)
        if was_offered:
            offered.add(child.id)
    missing = {}
    for conference in conferences:
        day = conference_day(conference)
        missing[conference.id] = [child.first_name for child in children
                                  if child.case_id == conference.case_id and child.id not in offered
                                  and advocacy_due(age_at(child, day))]
    return missing
