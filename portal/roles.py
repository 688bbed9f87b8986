"""Roles: the family side and the staff side (DESIGN.md, Who uses it)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a person is in the portal; their part in one case is a Participant."""

    PARENT = "parent"
    CARER = "carer"
    YOUNG_PERSON = "young_person"
    ADVOCATE = "advocate"
    SOCIAL_WORKER = "social_worker"
    PROFESSIONAL = "professional"
    CHAIR = "chair"
    SQA_MANAGER = "sqa_manager"
    ADMIN = "admin"


FAMILY_ROLES = frozenset({Role.PARENT, Role.CARER, Role.YOUNG_PERSON})
STAFF_ROLES = frozenset(Role) - FAMILY_ROLES
# Staff who work on cases through a Participant row (the SQA manager reaches all; the admin none).
CASE_STAFF_ROLES = frozenset({Role.ADVOCATE, Role.SOCIAL_WORKER, Role.PROFESSIONAL, Role.CHAIR})
ALL_ROLES = frozenset(Role)


def is_staff(role: str) -> bool:
    """True for every staff-side role (advocates included)."""
    return role in STAFF_ROLES
