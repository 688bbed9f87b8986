"""No lost words: what someone is typing in a long-text form is kept on the server as they type.

A form with autosave (see the `autosave` macro) posts to its own URL with the `X-Autosave` header
after a pause in typing, and again when the connection comes back. The route checks access to the
object as for a real submission, then hands over to `autosave` here, which keeps the typed fields
as a draft of that person's only. When the form is shown again, the draft fills it; when it is
sent, the words go and only the time it was sent stays, so that an autosave still on its way from
the page it was sent from does not bring the words back. Nothing is written to the browser's storage.

Source: issue "Installable, light and forgiving on a cheap phone" 3 (no lost words); DESIGN.md,
Access and safety (no personal data in browser storage).
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from flask import render_template, request
from werkzeug.datastructures import MultiDict
from sqlalchemy import JSON, DateTime, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, db, utcnow

AUTOSAVE_HEADER = "X-Autosave"
SAVED_HEADER = "X-Autosave-Saved"  # on a response that really kept the words (the page's script relies on it)
MAX_CHARACTERS = 20_000  # the longest text any form accepts; a draft never holds more


class Draft(Base):
    """What one person has typed so far in one form, not yet sent. Seen by nobody else."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("user_id", "form_key", name="uq_drafts_user_form"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    form_key: Mapped[str] = mapped_column(String(100))
    fields: Mapped[dict] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    # When the form was last sent: its words are gone from here, and older pages may not bring them back.
    sent_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))


def autosaving() -> bool:
    """True when this POST is an autosave of the form, not the person pressing its button."""
    return request.method == "POST" and request.headers.get(AUTOSAVE_HEADER) == "1"


def autosave(user, form_key: str, form, names: tuple[str, ...], extra: tuple[str, ...] = ()):
    """Keep the named fields of the posted form (and `extra` plain inputs) as this person's draft;
    answer with the status line and the saved header.

    The fields are kept as typed (not validated: a half-written answer is still worth keeping).
    An autosave from a page made before the form was last sent keeps nothing (204): those words
    were sent. Blank fields leave no draft."""
    fields = {}
    for name in names:
        value = request.form.get(form[name].name)
        if value is not None:
            fields[name] = value[:MAX_CHARACTERS]
    for name in extra:
        value = request.form.get(name)
        if value is not None:
            fields[name] = value[:200]
    draft = find(user, form_key)
    if draft is not None and draft.sent_at is not None and not _page_after(draft.sent_at):
        return "", 204
    if not any(value.strip() for name, value in fields.items() if name not in extra):
        if draft is not None:
            draft.fields = {}
            db.session.commit()
        return "", 200, {SAVED_HEADER: "1", "Vary": "HX-Request"}
    draft = _save(user.id, form_key, fields)
    return render_template("macros/_draft_status.html", draft=draft), 200, {SAVED_HEADER: "1", "Vary": "HX-Request"}


def _page_after(sent_at: datetime) -> bool:
    """True when the posting page was made after the form was last sent (its `draft_from` stamp)."""
    try:
        made = datetime.fromisoformat(request.form.get("draft_from", ""))
    except ValueError:
        return False
    if sent_at.tzinfo is None:  # SQLite gives naive UTC
        made = made.replace(tzinfo=None)
    return made > sent_at


def _save(user_id: int, form_key: str, fields: dict) -> Draft:
    draft = db.session.scalar(select(Draft).where(Draft.user_id == user_id, Draft.form_key == form_key))
    if draft is None:
        draft = Draft(user_id=user_id, form_key=form_key, fields=fields)
        db.session.add(draft)
        try:
            db.session.commit()
            return draft
        except IntegrityError:  # the same person's other tab saved first: update theirs
            db.session.rollback()
            draft = db.session.scalar(select(Draft).where(Draft.user_id == user_id, Draft.form_key == form_key))
    draft.fields = fields
    draft.saved_at = utcnow()
    db.session.commit()
    return draft


def drafts_for(user, prefix: str) -> dict[str, Draft]:
    """This person's drafts whose keys start with `prefix` (one query for a page of forms)."""
    rows = db.session.scalars(select(Draft).where(Draft.user_id == user.id, Draft.form_key.startswith(prefix, autoescape=True)))
    return {row.form_key: row for row in rows}


def restore(form, draft: Draft | None):
    """Fill a form being shown afresh with what the person had typed, each field read as if it had
    been posted (so numbers are numbers). Returns the form, with the draft as `form.draft` (its
    status line says when it was saved)."""
    form.draft = draft if draft is not None and draft.fields else None
    if form.draft is not None:
        for name, value in draft.fields.items():
            if name in form._fields and isinstance(value, str):
                field = form[name]
                field.process(MultiDict([(field.name, value)]))
    return form


def discard(user, form_key: str) -> None:
    """The form was sent: its words go; the time it was sent stays (see `autosave`)."""
    draft = find(user, form_key)
    if draft is None:
        db.session.add(Draft(user_id=user.id, form_key=form_key, fields={}, sent_at=utcnow()))
    else:
        draft.fields, draft.sent_at = {}, utcnow()
    db.session.commit()


def find(user, form_key: str) -> Draft | None:
    """This person's draft of one form, if they have one."""
    return db.session.scalar(select(Draft).where(Draft.user_id == user.id, Draft.form_key == form_key))
