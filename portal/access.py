"""The one access policy: every route declares who may use it.

A view is either public (anyone, signed in or not) or restricted to named roles.
The declaration lives on the view function so a test can walk app.url_map and fail
on any endpoint that has none (DESIGN.md, Access and safety). Object helpers such as
get_case_for(user, ref) join this module as the features that own those objects arrive;
they return the object or abort 404, never 403, so nobody learns that it exists.
"""

from __future__ import annotations

from typing import Callable, TypeVar

F = TypeVar("F", bound=Callable)

PUBLIC = "public"

# Endpoints that Flask itself adds: the built, content-hashed assets are public files.
FRAMEWORK_PUBLIC_ENDPOINTS = frozenset({"static"})


def public(view: F) -> F:
    """Declare that anyone may use this route, signed in or not. It must show no case content."""
    view.access_policy = PUBLIC  # type: ignore[attr-defined]
    return view


def policy_of(view: Callable | None) -> str | None:
    """The access declaration carried by a view function, or None when it has none."""
    return getattr(view, "access_policy", None)
