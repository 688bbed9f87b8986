"""Discussion on a report's sections: a family member's question, disagreement or comment, and replies.

Source: issue "Reports" (discussion): the author and the chair see it and reply; a thread is
visible only to the family member who started it, the author, the chair and the social worker
(never to the other parent); notifications in neutral words; unanswered questions show on the
chair's dashboard before the conference. Practice guide: parents say what they think of the
reports before the conference, so errors are put right in time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload

from portal import audit
from portal.access import participant_for
from portal.cases.models import Participant
from portal.db import db
from portal.reports.models import PROFESSIONAL, Comment, Report
from portal.reports.services import _tell
from portal.roles import Role
from portal.reports.services import is_shared_with
from portal.cases.conferences import keep_reports_shared_at

# What a family member can start a thread with.
STARTING_KINDS = ("question", "disagree", "comment")
REPLY = "reply"
MAX_LENGTH = 5000


@dataclass
class Thread:
    """One family member's question (or disagreement, or comment) and the replies to it, oldest first."""

    start: Comment
    replies: list[Comment] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        """Someone other than the family member has replied."""
        return any(reply.author_id != self.start.thread_owner_id for reply in self.replies)


def staff_role_in_case(user, report: Report) -> Role | None:
    """The user's part in the report's case when it is one that takes part in every thread."""
    participant = participant_for(user, report.case_id)
    if participant is not None and participant.role in (Role.CHAIR.value, Role.SOCIAL_WORKER.value):
        return Role(participant.role)
    return None


def sees_every_thread(user, report: Report) -> bool:
    """The author, the case's chair and its social worker see every thread on a report."""
    return report.author_id == user.id or staff_role_in_case(user, report) is not None


def can_start_thread(user, report: Report) -> bool:
    """A family member who received the (professional, submitted) report may ask, disagree or comment."""
    return (user.is_family and report.kind == "professional" and report.status == "submitted"
            and report.author_id != user.id and is_shared_with(report, user))


_UNKNOWN = object()


def can_reply(user, thread_start: Comment, report: Report, viewer_role=_UNKNOWN) -> bool:
    """The family member whose thread it is, the report's author and the chair reply.

    `viewer_role` (from staff_role_in_case) may be passed in when the caller already knows it.
    """
    if user.id == thread_start.thread_owner_id or report.author_id == user.id:
        return True
    role = staff_role_in_case(user, report) if viewer_role is _UNKNOWN else viewer_role
    return role == Role.CHAIR


def _by_key(key: str | None, user) -> Comment | None:
    if not key:
        return None
    return db.session.scalar(select(Comment).where(Comment.submission_key == key, Comment.author_id == user.id))


def _add(comment: Comment, report: Report, by) -> tuple[Comment, bool]:
    """Save the comment once per submission key; return it and whether it is new (only then tell anyone)."""
    existing = _by_key(comment.submission_key, by)
    if existing is not None:
        return existing, False
    db.session.add(comment)
    audit.record("report.comment", actor=by, object_kind="report", object_id=report.id, case_id=report.case_id)
    try:
        db.session.commit()
    except IntegrityError:  # the same submission arrived twice at once: keep the first
        db.session.rollback()
        existing = _by_key(comment.submission_key, by)
        if existing is not None:
            return existing, False
        # The key was someone else's (never made by us for this person): save without it, lose nothing.
        comment = Comment(**{c: getattr(comment, c) for c in ("report_id", "section", "thread_owner_id", "parent_id",
                                                               "kind", "author_id", "body")})
        db.session.add(comment)
        db.session.commit()
    return comment, True


def start_thread(report: Report, by, section: str, kind: str, body: str, key: str | None) -> Comment:
    """A family member's question, disagreement or comment on one section; the author and chair are told."""
    if kind not in STARTING_KINDS:
        raise ValueError(kind)
    comment, created = _add(Comment(report_id=report.id, section=section, thread_owner_id=by.id, kind=kind, author_id=by.id,
                                    body=body, submission_key=key), report, by)
    if created:
        _tell(_staff_to_tell(report, exclude=by))
    return comment


def reply(report: Report, thread_start: Comment, by, body: str, key: str | None) -> Comment:
    """A reply in a thread; the others in the thread are told that there is something new."""
    comment, created = _add(Comment(report_id=report.id, section=thread_start.section, thread_owner_id=thread_start.thread_owner_id,
                                    parent_id=thread_start.id, kind=REPLY, author_id=by.id, body=body, submission_key=key),
                            report, by)
    if created and by.id == thread_start.thread_owner_id:
        _tell(_staff_to_tell(report, exclude=by))
    elif created:
        _tell([thread_start.author])
    return comment


def _staff_to_tell(report: Report, exclude) -> list:
    chairs = db.session.scalars(select(Participant).options(joinedload(Participant.user))
                                .where(Participant.case_id == report.case_id, Participant.role == Role.CHAIR.value))
    people = {report.author_id: report.author, **{p.user_id: p.user for p in chairs}}
    people.pop(exclude.id, None)
    return list(people.values())


def threads(report: Report, viewer, viewer_role=_UNKNOWN) -> dict[str, list[Thread]]:
    """The threads on each section that this person may see: all of them for the author, chair and
    social worker; a family member's own, and nobody else's."""
    query = select(Comment).options(joinedload(Comment.author)).where(Comment.report_id == report.id).order_by(Comment.id)
    role = staff_role_in_case(viewer, report) if viewer_role is _UNKNOWN else viewer_role
    if report.author_id != viewer.id and role is None:
        query = query.where(Comment.thread_owner_id == viewer.id)
    by_section: dict[str, list[Thread]] = {}
    starts: dict[int, Thread] = {}
    for comment in db.session.scalars(query):
        if comment.parent_id is None:
            starts[comment.id] = Thread(comment)
            by_section.setdefault(comment.section, []).append(starts[comment.id])
        elif comment.parent_id in starts:
            starts[comment.parent_id].replies.append(comment)
    return by_section


def unanswered_questions(conference_ids: list[int]) -> dict[int, int]:
    """For each conference, how many family questions have no reply yet from anyone but the asker.

    One statement for the whole dashboard, however many conferences it shows: each report of these conferences
    with its count. The same rows say when each professional report was shared, which the timeline's rules of
    these conferences ask for next: that is kept for the request (cases.conferences.keep_reports_shared_at).
    """
    if not conference_ids:
        return {}
    reply_row = aliased(Comment)
    answered = (select(reply_row.id).where(reply_row.parent_id == Comment.id, reply_row.author_id != Comment.thread_owner_id)
                .exists())
    unanswered = (select(func.count(Comment.id)).where(Comment.report_id == Report.id, Comment.parent_id.is_(None),
                                                       Comment.kind == "question", ~answered)
                  .correlate(Report).scalar_subquery())
    counts: dict[int, int] = {}
    shared_at: dict[int, list] = {conference_id: [] for conference_id in conference_ids}
    for conference_id, kind, moment, count in db.session.execute(
            select(Report.conference_id, Report.kind, Report.shared_at, unanswered)
            .where(Report.conference_id.in_(conference_ids))):
        if count:
            counts[conference_id] = counts.get(conference_id, 0) + count
        if kind == PROFESSIONAL:
            shared_at[conference_id].append(moment)
    keep_reports_shared_at(shared_at)
    return counts
