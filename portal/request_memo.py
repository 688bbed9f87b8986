"""Facts that several parts of one page ask for (the access check, the tasks, the timeline), read once per request.

A fact is kept on the request, never longer, and forgotten as soon as this request writes a row of a kind it
depends on, or rolls back. Source: issue "Fast on a cheap phone and ready for every council" (SQL budgets).
"""

from __future__ import annotations

from typing import Callable, TypeVar

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session
from portal.db import db

T = TypeVar("T")

_KEY = "portal_request_memo"
_DEPENDS_ON: dict[str, tuple[type, ...]] = {}


def remembered(fact: str, key: object, read: Callable[[], T], *, depends_on: tuple[type, ...]) -> T:
    """read() the first time this request asks for (fact, key); the same answer after that, until a row of a
    kind in depends_on is added, changed or removed. Outside a request it always reads."""
    if not has_request_context():
        return read()
    _DEPENDS_ON[fact] = depends_on
    answers = request.__dict__.setdefault(_KEY, {}).setdefault(fact, {})
    if key in answers and _unsaved(depends_on):
        del answers[key]  # read() flushes those changes first, as an uncached query would
    if key not in answers:
        answers[key] = read()
    return answers[key]


def remembered_many(fact: str, keys, read: Callable[[list], dict], *, depends_on: tuple[type, ...],
                    missing: object = None) -> dict:
    """{key: answer} for these keys: the keys this request has not asked for yet are read together, with one
    read(keys) (one statement), and kept like remembered()'s. A key read() leaves out gets `missing`."""
    keys = list(dict.fromkeys(keys))
    if not has_request_context():
        found = read(keys) if keys else {}
        return {key: found.get(key, missing) for key in keys}
    _DEPENDS_ON[fact] = depends_on
    answers = request.__dict__.setdefault(_KEY, {}).setdefault(fact, {})
    if answers and _unsaved(depends_on):
        answers.clear()
    unknown = [key for key in keys if key not in answers]
    if unknown:
        found = read(unknown)
        answers.update({key: found.get(key, missing) for key in unknown})
    return {key: answers[key] for key in keys}


def remember(fact: str, key: object, answer: T, *, depends_on: tuple[type, ...]) -> T:
    """Keep an answer read together with something else (a case and the person's place in it, in one
    statement), as if remembered() had read it."""
    if has_request_context():
        _DEPENDS_ON[fact] = depends_on
        request.__dict__.setdefault(_KEY, {}).setdefault(fact, {})[key] = answer
    return answer


def _unsaved(kinds: tuple[type, ...]) -> bool:
    """Changes of these kinds made in this request and not yet flushed."""
    session = db.session
    return any(isinstance(row, kinds) for row in (*session.new, *session.dirty, *session.deleted))


@event.listens_for(Session, "before_flush")
def _forget_written(session, flush_context, instances) -> None:  # noqa: ARG001
    if not has_request_context() or _KEY not in request.__dict__:
        return
    written = (*session.new, *session.dirty, *session.deleted)
    memo = request.__dict__[_KEY]
    for fact in list(memo):
        if any(isinstance(row, _DEPENDS_ON.get(fact, ())) for row in written):
            del memo[fact]


@event.listens_for(Session, "after_rollback")
def _forget_all(session) -> None:  # noqa: ARG001
    if has_request_context():
        request.__dict__.pop(_KEY, None)
