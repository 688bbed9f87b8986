"""Rules about cases and who takes part in them.

Sources: DESIGN.md (Domain, Access and safety); issue "Accounts, roles, invitations and the access policy".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal import audit
from portal.access import can_see_contact_details, remember_participant
from portal.auth.models import User
from portal.roles import Role
from portal.cases.models import Case, ContactRestriction, Participant
from portal.db import db
from portal.i18n import supported
from portal.cases.conferences import keep_conferences, with_conferences
from portal.cases.models import Child

# Who staff may invite to a case (staff accounts are created by the admin).
INVITABLE_ROLES = (Role.PARENT, Role.CARER, Role.YOUNG_PERSON, Role.ADVOCATE, Role.PROFESSIONAL)


def age_on(date_of_birth: date, today: date) -> int:
    """Age in whole years on a day (a birthday on 29 February counts from 1 March)."""
    years = today.year - date_of_birth.year
    if (today.month, today.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def cases_for(user, *, with_their_conferences: bool = False) -> list[Case]:
    """The cases a person reaches, newest first: every case for the SQA manager, none for the admin. With
    with_their_conferences, a family member's cases bring their conferences in the same statement (the home page
    shows each case's next one)."""
    query = select(Case).order_by(Case.created_at.desc(), Case.id.desc())
    if user.role == Role.SQA_MANAGER:
        return list(db.session.scalars(query.limit(200)))
    if user.role == Role.ADMIN:
        return []
    # The person's place in each case comes in the same statement: the home page's tasks ask for it.
    query = query.add_columns(Participant).join(Participant).where(Participant.user_id == user.id)
    rows = db.session.execute(with_conferences(query, user) if with_their_conferences else query)
    cases = []
    for case, participant in keep_conferences(rows, user) if with_their_conferences else rows:
        remember_participant(user, case.id, participant)
        cases.append(case)
    return cases


@dataclass
class ParticipantView:
    """What one viewer may see of one participant."""

    name: str
    role: str
    relationship: str | None
    lives_with_child: bool | None
    email: str | None
    mobile: str | None
    address: str | None
    hidden_from: list[str]
    is_viewer: bool


def participants_as_seen_by(viewer, case: Case) -> list[ParticipantView]:
    """The case's participants, with contact details only where the policy allows."""
    participants = list(
        db.session.scalars(
            select(Participant).where(Participant.case_id == case.id).options(joinedload(Participant.user)).order_by(Participant.id)
        )
    )
    names = {p.id: p.user.name for p in participants}
    restrictions = list(db.session.scalars(select(ContactRestriction).where(ContactRestriction.case_id == case.id)))
    staff_view = viewer.is_staff
    views = []
    for participant in participants:
        details = can_see_contact_details(viewer, participant)
        hidden_from = [names[r.hidden_from_id] for r in restrictions if r.protected_id == participant.id] if staff_view else []
        views.append(
            ParticipantView(
                name=participant.user.name,
                role=participant.role,
                relationship=participant.relationship_to_child,
                lives_with_child=participant.lives_with_child if details else None,
                email=participant.user.email if details else None,
                mobile=participant.user.mobile if details else None,
                address=participant.user.address if details else None,
                hidden_from=hidden_from,
                is_viewer=participant.user_id == viewer.id,
            )
        )
    return views


def add_participant(case: Case, *, invited_by, name: str, role: str, relationship: str | None, lives_with_child: bool,
                    email: str | None, mobile: str | None, username: str | None, child_id: int | None = None,
                    language: str | None = None) -> User:
    """Create the person's account (no password yet) and their part in the case. Their language, when staff
    know it, is saved now: the invitation is written in it (issue "Every page in the family's language", 6)."""
    user = User(role=role, name=name, email=email or None, mobile=mobile or None, username=username or None,
                preferred_language=supported(language))
    db.session.add(user)
    db.session.flush()
    db.session.add(Participant(case_id=case.id, user_id=user.id, role=role, relationship_to_child=relationship or None,
                               lives_with_child=lives_with_child, child_id=child_id if role == Role.YOUNG_PERSON else None))
    audit.record("participant.add", actor=invited_by, object_kind="user", object_id=user.id, case_id=case.id)
    return user


def login_taken(email: str | None, mobile: str | None, username: str | None) -> bool:
    """True when another account already uses this email address, mobile number or username."""
    clauses = []
    if email:
        clauses.append(User.email == email)
    if mobile:
        clauses.append(User.mobile == mobile)
    if username:
        clauses.append(User.username == username)
    if not clauses:
        return False
    from sqlalchemy import or_

    return db.session.scalar(select(User.id).where(or_(*clauses)).limit(1)) is not None


def create_case(social_worker, strategy_discussion_on: date | None) -> Case:
    """A new case with its creator allocated as the social worker."""
    case = Case(strategy_discussion_on=strategy_discussion_on)
    db.session.add(case)
    db.session.flush()
    db.session.add(Participant(case_id=case.id, user_id=social_worker.id, role=Role.SOCIAL_WORKER.value,
                               relationship_to_child=None))
    audit.record("case.create", actor=social_worker, object_kind="case", object_id=case.id, case_id=case.id)
    db.session.commit()
    return case


def add_child(case: Case, by, first_name: str, last_name: str, date_of_birth: date):
    """Add a child to the case."""
    child = Child(case_id=case.id, first_name=first_name, last_name=last_name, date_of_birth=date_of_birth)
    db.session.add(child)
    db.session.flush()
    audit.record("child.add", actor=by, object_kind="child", object_id=child.id, case_id=case.id)
    db.session.commit()
    return child


def participants_with_users(case: Case) -> list[Participant]:
    """The case's participants with their accounts loaded, in the order they joined."""
    return list(db.session.scalars(
        select(Participant).where(Participant.case_id == case.id).options(joinedload(Participant.user)).order_by(Participant.id)
    ))
