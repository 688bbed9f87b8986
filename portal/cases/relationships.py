"""How a person is related to the children, shown in the reader's language where the words are common ones.

The relationship is typed as free text when someone is invited ("Mother", "school nurse"); a Bengali- or
Somali-speaking parent should still read "Mother" in their language. Common words are looked up here;
anything else is shown exactly as it was typed.
Source: issue "Every page in the family's language", 1 (every string on every family page).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

COMMON_RELATIONSHIPS = {
    # i18n: how someone is related to the children in the case, shown beside their name
    "mother": _l("Mother"),
    "mum": _l("Mother"),
    "father": _l("Father"),
    "dad": _l("Father"),
    "stepmother": _l("Stepmother"),
    "stepfather": _l("Stepfather"),
    "grandmother": _l("Grandmother"),
    "grandfather": _l("Grandfather"),
    "aunt": _l("Aunt"),
    "uncle": _l("Uncle"),
    "sister": _l("Sister"),
    "brother": _l("Brother"),
    "foster carer": _l("Foster carer"),
    "kinship carer": _l("Kinship carer"),
    "young person": _l("Young person"),
    "friend of the family": _l("Friend of the family"),
    "family friend": _l("Friend of the family"),
    "social worker": _l("Social worker"),
    "conference chair": _l("Conference chair"),
    # i18n: how someone is related to the children: someone from the child's school
    "school": _l("School"),
    "school nurse": _l("School nurse"),
    "health visitor": _l("Health visitor"),
    "teacher": _l("Teacher"),
    "gp": _l("GP (family doctor)"),
}


def relationship_label(typed: str | None) -> str:
    """The relationship in the reader's language when it is a common one, else as typed."""
    if not typed:
        return ""
    key = " ".join(typed.lower().replace("-", " ").split())
    known = COMMON_RELATIONSHIPS.get(key)
    return str(known) if known is not None else typed


ROLE_NAMES = {
    "parent": _l("Parent"), "carer": _l("Carer"), "young_person": _l("Young person"), "advocate": _l("Advocate"),
    "social_worker": _l("Social worker"), "professional": _l("Professional"), "chair": _l("Conference chair"),
}


def who_they_are(relationship: str | None, role: str) -> str:
    """What to show after a name in a list of people: their relationship, else their part in the case."""
    return relationship_label(relationship) or str(ROLE_NAMES.get(role, role))
