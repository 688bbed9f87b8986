"""The access policy's core: who may use each route, a person's place in a case, and who reaches a case.

Every view declares its policy: @public, or @signed_in(roles...). A test walks app.url_map and fails on any
endpoint without one (DESIGN.md, Access and safety).

The rules flow one way. This core imports no feature: only the case's people (portal.cases.models), the roles,
the database and the request memo. Each feature owns the access helpers of its own objects beside its services,
built on this core: the case itself in portal/cases/access.py (get_case_for, get_child_for), reports in
portal/reports/access.py, support requests in portal/support/access.py, wishes and feelings in
portal/wishes/access.py and plans in portal/plans/access.py. Each get_*_for(user, ...) helper returns the object
or aborts 404 (never 403, so nobody learns that it exists), and audits the read.
"""

from __future__ import annotations

from functools import wraps
from typing import Callable, TypeVar

from flask import abort, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.auth.mfa import mfa_pending
from portal.cases.models import Participant
from portal.db import db
from portal.request_memo import remember, remembered
from portal.roles import ALL_ROLES, CASE_STAFF_ROLES, FAMILY_ROLES, Role

F = TypeVar("F", bound=Callable)

PUBLIC = "public"

# Endpoints that Flask itself adds: the built, content-hashed assets are public files.
FRAMEWORK_PUBLIC_ENDPOINTS = frozenset({"static"})


def public(view: F) -> F:
    """Declare that anyone may use this route, signed in or not. It must show no case content."""
    view.access_policy = PUBLIC  # type: ignore[attr-defined]
    return view


def signed_in(*roles: Role, before_mfa: bool = False) -> Callable[[F], F]:
    """Declare (and enforce) that only signed-in people with one of these roles may use the route.

    Signed out: sent to sign in, then back. Another role: 404. Staff who must give an
    MFA code are sent to do so first, unless the route is part of that step (before_mfa).
    """
    allowed = frozenset(roles) or ALL_ROLES

    def decorator(view: F) -> F:
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                if request.headers.get("HX-Request"):
                    # A request from a page's script (an autosave): no sign-in page swapped into the
                    # page; the script says the words are not saved.
                    return "", 401
                return redirect(url_for("auth.sign_in", next=request.path))
            if current_user.role not in allowed:
                abort(404)
            if not before_mfa:
                if mfa_pending(current_user):
                    endpoint = "auth.mfa_check" if current_user.mfa_secret else "auth.mfa_set_up"
                    return redirect(url_for(endpoint))
            return view(*args, **kwargs)

        guarded.access_policy = ("signed_in", allowed)  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorator


def policy_of(view: Callable | None) -> object | None:
    """The access declaration carried by a view function, or None when it has none."""
    return getattr(view, "access_policy", None)


# --- a person's place in a case ----------------------------------------------------------

def participant_for(user, case_id: int):
    """The user's Participant row in a case, or None. Several parts of one page ask, so it is read once per
    request (portal.request_memo)."""
    return remembered("participant_for", (user.id, case_id), lambda: db.session.scalar(
        select(Participant).where(Participant.case_id == case_id, Participant.user_id == user.id)),
        depends_on=(Participant,))


def remember_participant(user, case_id: int, participant) -> None:
    """Keep the user's place in a case, read in the same statement as the case, for participant_for."""
    remember("participant_for", (user.id, case_id), participant, depends_on=(Participant,))


def can_reach_case(user, case) -> bool:
    """Who reaches a case: its participants (family, advocate, allocated staff) and the SQA manager.

    The admin never reaches case content. Source: DESIGN.md, Access and safety.
    """
    if not getattr(user, "is_authenticated", False) or case is None:
        return False
    if user.role == Role.SQA_MANAGER:
        return True
    if user.role not in FAMILY_ROLES | CASE_STAFF_ROLES:
        return False
    return participant_for(user, case.id) is not None


def can_see_contact_details(viewer, participant) -> bool:
    """Contact details (email, mobile, address) are for the person themselves and case staff only.

    Family members never see each other's, so a parent who is a risk to the other never
    learns where they live. Source: DESIGN.md, Domain (Participant) and Access and safety.
    """
    if viewer.id == participant.user_id:
        return True
    return viewer.role in CASE_STAFF_ROLES - {Role.ADVOCATE} | {Role.SQA_MANAGER}


def can_invite_to_case(user, case) -> bool:
    """The allocated social worker and the case's chair invite people to it."""
    participant = participant_for(user, case.id)
    return participant is not None and participant.role in (Role.SOCIAL_WORKER, Role.CHAIR)


def can_schedule_conference(user, case) -> bool:
    """The allocated social worker schedules conferences (DESIGN.md, Who uses it)."""
    participant = participant_for(user, case.id)
    return participant is not None and participant.role == Role.SOCIAL_WORKER


def can_manage_conference(user, case) -> bool:
    """The allocated social worker and the case's chair change or cancel a conference."""
    return can_invite_to_case(user, case)


def is_staff_reader(user) -> bool:
    """Staff who work the case (not advocates: they act for one person) and the SQA manager.

    They see who has read a report, everyone's requests for help, and earlier versions.
    """
    return user.role in (Role.SOCIAL_WORKER, Role.PROFESSIONAL, Role.CHAIR, Role.SQA_MANAGER)
