"""Leak canaries (issue 11, item 1): every person's name, address, mobile and every text they write carries a
unique marker; every page, export, calendar file, error page and message each demo account can reach is searched
for every marker, and a marker found where the access policy does not allow it fails the test.

The policy oracle below is built from the facts in the database and the rules of DESIGN.md ("Access and safety",
"participants never see each other's contact details") and the README, never from portal/access.py (the code
under test). Strict rules: nobody sees anything of a case they take no part in (the SQA manager sees all, the admin
no case content); family members never see another person's contact details; a report's words reach only its
author, the staff of its case, whom it was shared with and an invited helper; a young person's wishes reach only
whom they chose for each part (and the chair, social worker and SQA manager once shared); one parent's say on the
plan, support requests and feedback never reach the other parent; words someone is still typing are theirs alone;
feedback sent without a name never stands beside the name. Texts and emails, URLs, log lines and audit events
carry no marker at all. Every page anyone reached is also asked for by everyone else.

Runs on a database of its own (the markers change every name), so no other test sees them.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select

from portal.db import db
from tests.conftest import app_on_own_database, csrf_token_from, sign_in
from tests.test_crawl import Links, report_allowed

SKIP_PREFIXES = ("/static/", "/exit", "/sign-in", "/sign-out", "/invitation/", "/password-reset/")
FAMILY = ("parent", "carer", "young_person")
# Staff of a case who see the family's contact details and requests (an advocate is not among them).
CASE_STAFF = ("social_worker", "chair", "professional")
TOKEN = re.compile(r"CNRY[A-WYZ0-9]*X")
NEAR = 400  # characters either side of anonymous feedback in which its writer's name must not appear
PAGE_LIMIT = 400  # per account; the demo data needs far fewer
TEXT_TYPES = ("text/", "application/json", "application/javascript", "application/manifest+json")


@dataclass
class Canary:
    """One marker: whose it is, what it is, and the rule that says who may see it."""

    token: str
    kind: str  # name, contact, case, report, comment, wishes, support, say, feedback, draft
    owner: str  # a person's name, or a description of the object
    where: str
    case_id: int | None = None
    facts: dict = field(default_factory=dict)


@dataclass
class Viewer:
    login: str
    user_id: int
    role: str
    parts: dict  # case_id -> participant row (as a dict)


# --- the test's own database -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def canary_app(database_uri, tmp_path_factory):
    """The portal on a database of its own, with the demo data (the pattern of test_sql_budget's growing_app)."""
    return app_on_own_database(database_uri, tmp_path_factory, "leak_canaries")


# --- planting ----------------------------------------------------------------------------------------------


def mobile_forms(user_id: int) -> tuple[str, str]:
    """A unique, valid UK mobile (as the portal stores it) and the national form a page might show."""
    digits = f"9{user_id:08d}"
    return f"+447{digits}", f"07{digits}"


def add_other_parents_words() -> None:
    """The demo data gives one parent a say, a question or a request; add the other parent's, so the rule "never
    shown to the other parent" is tested both ways: Carl's say on the plan and his appeal (Clara's are in the demo),
    Grace's question on the report shared with her and Alice, Arthur asking to bring a friend."""
    from portal.auth.models import User
    from portal.cases.models import Conference, Participant
    from portal.plans.models import ActionResponse, PlanAction
    from portal.reports.models import Comment, ReportShare
    from portal.support.models import SupportRequest

    def participant(login: str):
        return db.session.scalar(select(Participant).join(User, Participant.user_id == User.id)
                                 .where((User.email == login) | (User.username == login)))

    carl, grace, arthur = (participant(f"{name}@example.org") for name in ("carl.chestnut", "grace.appleby", "arthur.appleby"))
    assert carl and grace and arthur, "the demo families changed: update this test's additions"
    action = db.session.scalars(select(PlanAction).where(PlanAction.case_id == carl.case_id).order_by(PlanAction.id)).first()
    db.session.add(ActionResponse(action_id=action.id, participant_id=carl.id, agreement="disagree", comment="Carl's say"))
    db.session.add(SupportRequest(case_id=carl.case_id, conference_id=action.conference_id, participant_id=carl.id, kind="appeal",
                                  status="asked", details={"decision": "plan", "why": "Carl's reasons", "wish": "Carl's wish"},
                                  created_by_id=carl.user_id))
    share = db.session.scalars(select(ReportShare).where(ReportShare.participant_id == grace.id)).first()
    assert share is not None, "the demo report is no longer shared with Grace: update this test's additions"
    db.session.add(Comment(report_id=share.report_id, section="worries", thread_owner_id=grace.user_id, kind="question",
                           author_id=grace.user_id, body="Grace's question"))
    conference = db.session.scalars(select(Conference).where(Conference.case_id == arthur.case_id,
                                                             Conference.status == "scheduled").order_by(Conference.starts_at)).first()
    db.session.add(SupportRequest(case_id=arthur.case_id, conference_id=conference.id, participant_id=arthur.id, kind="supporter",
                                  status="asked", details={"name": "Arthur's friend", "relationship": "Friend"},
                                  created_by_id=arthur.user_id))
    db.session.flush()


def plant(app) -> tuple[list[Canary], dict[str, Canary]]:
    """Append a unique marker to every person's name, address and mobile and to every text people wrote.
    Returns the markers, and the literal contact strings (emails, mobiles) that identify a person."""
    from portal.auth.models import User
    from portal.cases.models import Attendee, Case, Child, Conference, Participant, PreConferenceContact
    from portal.drafts import Draft
    from portal.feedback.models import Feedback, ReviewChange
    from portal.plans.models import ActionResponse, PlanAction
    from portal.reports.models import Comment, Report, ReportShare, ReportVersion, sections_of
    from portal.support.models import SupportRequest
    from portal.wishes.models import Wishes, WishesShare

    canaries: list[Canary] = []
    literals: dict[str, Canary] = {}

    def add(token: str, kind: str, owner: str, where: str, case_id=None, **facts) -> str:
        assert TOKEN.fullmatch(token), token
        canaries.append(Canary(token, kind, owner, where, case_id, facts))
        return token

    def append(value, token: str):
        return f"{value} {token}" if value else token

    with app.app_context():
        add_other_parents_words()
        users = list(db.session.scalars(select(User).order_by(User.id)))
        original_names = {user.id: user.name for user in users}
        for user in users:
            user.name = append(user.name, add(f"CNRYN{user.id}X", "name", original_names[user.id], "name", owner_id=user.id))
            user.address = f"1 {add(f'CNRYA{user.id}X', 'contact', original_names[user.id], 'address', owner_id=user.id)} Street"
            user.mobile, national = mobile_forms(user.id)
            for literal, what in ((user.mobile, "mobile"), (national, "mobile"), (user.email, "email")):
                if literal:
                    literals[literal] = Canary(literal, "contact", original_names[user.id], what, None, {"owner_id": user.id})
        names = original_names

        for child in db.session.scalars(select(Child)):
            child.first_name = append(child.first_name, add(f"CNRYH{child.id}X", "case", f"child {child.first_name}",
                                                            "child's name", child.case_id))
        for conference in db.session.scalars(select(Conference)):
            for column in ("short_notice_reason", "cancelled_reason", "decision_reasons"):
                if getattr(conference, column):
                    setattr(conference, column, append(getattr(conference, column),
                                                       add(f"CNRYK{conference.id}Q{len(canaries)}X", "case",
                                                           f"conference {conference.id}", column, conference.case_id)))
        for contact in db.session.scalars(select(PreConferenceContact)):
            case_id = db.session.get(Conference, contact.conference_id).case_id
            for column in ("contacted_whom", "family_views", "comfortable_professional", "extra_support"):
                if getattr(contact, column):
                    setattr(contact, column, append(getattr(contact, column),
                                                    add(f"CNRYB{contact.id}Q{len(canaries)}X", "case", "chair's contact with the family",
                                                        f"pre-conference contact {column}", case_id)))
        for attendee in db.session.scalars(select(Attendee).where(Attendee.name.is_not(None))):
            case_id = db.session.get(Conference, attendee.conference_id).case_id
            attendee.name = append(attendee.name, add(f"CNRYT{attendee.id}X", "case", "attendee", "attendee name", case_id))

        for action in db.session.scalars(select(PlanAction)):
            for column in ("impact", "action", "by_whom", "progress_note"):
                if getattr(action, column):
                    setattr(action, column, append(getattr(action, column),
                                                   add(f"CNRYL{action.id}Q{len(canaries)}X", "case", f"plan action {action.id}",
                                                       column, action.case_id)))
        for response in db.session.scalars(select(ActionResponse)):
            participant = db.session.get(Participant, response.participant_id)
            for column in ("comment", "no_service_why"):
                token = add(f"CNRYS{response.id}Q{len(canaries)}X", "say", names[participant.user_id],
                            f"say on plan action {response.action_id} ({column})", participant.case_id,
                            owner_id=participant.user_id, participant_id=participant.id)
                setattr(response, column, append(getattr(response, column), token))
        for change in db.session.scalars(select(ReviewChange)):
            change.text = append(change.text, add(f"CNRYG{change.id}X", "case", "chair's change for the review", "review change",
                                                  change.case_id))

        for report in db.session.scalars(select(Report)):
            for section in sections_of(report.kind):
                token = add(f"CNRYR{report.id}Q{len(canaries)}X", "report", names[report.author_id],
                            f"{report.kind} report {report.id} ({report.status}) {section}", report.case_id, report_id=report.id)
                for version in db.session.scalars(select(ReportVersion).where(ReportVersion.report_id == report.id)):
                    setattr(version, section, append(getattr(version, section), token))
        for comment in db.session.scalars(select(Comment)):
            report = db.session.get(Report, comment.report_id)
            comment.body = append(comment.body, add(f"CNRYC{comment.id}X", "comment", names[comment.author_id],
                                                    f"{comment.kind} on report {report.id} (thread of {names[comment.thread_owner_id]})",
                                                    report.case_id, author_id=comment.author_id, thread_owner_id=comment.thread_owner_id,
                                                    report_author_id=report.author_id))

        part_columns = {"worries": "worries", "good_things": "good_things", "dreams": "dreams",
                        "meeting_should_know": "meeting_should_know", "who_there": "who_there", "need_plan_why": "need_plan"}
        for wishes in db.session.scalars(select(Wishes)):
            for column, part in part_columns.items():
                shared_with = set(db.session.scalars(select(WishesShare.participant_id).where(
                    WishesShare.wishes_id == wishes.id, WishesShare.part == part)))
                token = add(f"CNRYW{wishes.id}Q{len(canaries)}X", "wishes", f"young person (child {wishes.child_id})",
                            f"wishes {wishes.id} ({wishes.status}) part {part}", wishes.case_id, child_id=wishes.child_id,
                            author_id=wishes.author_id, updated_by_id=wishes.updated_by_id, status=wishes.status,
                            shared_with=shared_with)
                setattr(wishes, column, append(getattr(wishes, column), token))

        free_details = ("name", "relationship", "dialect", "interpreter_name", "other", "why", "wish", "about")
        for request in db.session.scalars(select(SupportRequest)):
            participant = db.session.get(Participant, request.participant_id)
            facts = dict(owner_id=participant.user_id, participant_id=participant.id, support_kind=request.kind,
                         support_status=request.status)
            request.reason = append(request.reason, add(f"CNRYU{request.id}Q{len(canaries)}X", "support", names[participant.user_id],
                                                        f"{request.kind} request {request.id} reason", request.case_id, **facts))
            details = dict(request.details or {})
            for key in free_details:
                if isinstance(details.get(key), str) and details[key]:
                    details[key] = append(details[key], add(f"CNRYU{request.id}Q{len(canaries)}X", "support",
                                                            names[participant.user_id], f"{request.kind} request {request.id} {key}",
                                                            request.case_id, **facts))
            request.details = details

        for feedback in db.session.scalars(select(Feedback)):
            chair_id = db.session.get(Conference, feedback.conference_id).chair_id
            feedback.do_better = append(feedback.do_better, add(f"CNRYF{feedback.id}X", "feedback", names[feedback.user_id],
                                                                f"feedback {feedback.id} (anonymous: {feedback.anonymous})", feedback.case_id,
                                                                owner_id=feedback.user_id, chair_id=chair_id, anonymous=feedback.anonymous))
        # Words being typed, not yet sent (no lost words): a question on a shared report, a say on the plan.
        def draft(user_id: int, form_key: str, fields: dict) -> None:
            if db.session.scalar(select(Draft.id).where(Draft.user_id == user_id, Draft.form_key == form_key)) is None:
                db.session.add(Draft(user_id=user_id, form_key=form_key, fields=fields))
                db.session.flush()

        for share in db.session.scalars(select(ReportShare)):
            participant = db.session.get(Participant, share.participant_id)
            draft(participant.user_id, f"report:{share.report_id}:comment:worries", {"kind": "question", "body": "Draft question"})
        family = select(Participant).where(Participant.role.in_(("parent", "carer")))
        for action in db.session.scalars(select(PlanAction)):
            for participant in db.session.scalars(family.where(Participant.case_id == action.case_id)):
                draft(participant.user_id, f"plan-action:{action.id}:your-say", {"agreement": "agree", "comment": "Draft say"})
        for row in db.session.scalars(select(Draft)):
            fields = dict(row.fields or {})
            for key, value in fields.items():
                if isinstance(value, str) and key in ("body", "comment", "no_service_why", "do_better"):
                    fields[key] = append(value, add(f"CNRYD{row.id}Q{len(canaries)}X", "draft", names[row.user_id],
                                                    f"draft {row.form_key} {key}", None, owner_id=row.user_id))
            row.fields = fields
        db.session.commit()
        assert db.session.scalar(select(Case.id).limit(1)) is not None
    return canaries, literals


# --- the oracle --------------------------------------------------------------------------------------------


def load_viewers(app, accounts) -> list[Viewer]:
    from portal.auth.models import User
    from portal.cases.models import Participant

    viewers = []
    with app.app_context():
        for account in accounts:
            login = account["login"]
            user = db.session.scalar(select(User).where((User.email == login) | (User.username == login)))
            parts = {p.case_id: dict(id=p.id, role=p.role, advocate_for_id=p.advocate_for_id,
                                     advocate_for_child_id=p.advocate_for_child_id, child_id=p.child_id)
                     for p in db.session.scalars(select(Participant).where(Participant.user_id == user.id))}
            viewers.append(Viewer(login, user.id, user.role, parts))
    return viewers


class Oracle:
    """Who may see each marker, from the database facts and DESIGN.md; never from portal/access.py."""

    def __init__(self, app):
        from portal.auth.models import User
        from portal.cases.models import Participant

        self.app = app
        with app.app_context():
            self.roles = dict(db.session.execute(select(User.id, User.role)).all())
            self.members: dict[int, set[int]] = {}
            self.cases_of: dict[int, set[int]] = {}
            for case_id, user_id in db.session.execute(select(Participant.case_id, Participant.user_id)):
                self.members.setdefault(case_id, set()).add(user_id)
                self.cases_of.setdefault(user_id, set()).add(case_id)
        self.cache: dict[tuple[str, str], bool] = {}

    def staff(self, role: str) -> bool:
        return role not in FAMILY

    def may_see(self, viewer: Viewer, canary: Canary) -> bool:
        key = (viewer.login, canary.token)
        if key not in self.cache:
            self.cache[key] = self._may_see(viewer, canary)
        return self.cache[key]

    def _may_see(self, viewer: Viewer, c: Canary) -> bool:
        f, me, role = c.facts, viewer.user_id, viewer.role
        sqa = role == "sqa_manager"
        if c.kind in ("name", "contact"):
            owner = f["owner_id"]
            if owner == me or sqa:
                return True
            shares_case = bool(self.cases_of.get(owner, set()) & set(viewer.parts))
            if self.staff(self.roles[owner]):
                # Staff are named to staff (lists of chairs, the admin's accounts) and to the families they work with.
                return self.staff(role) or shares_case
            if c.kind == "name":
                return shares_case
            # A family member's address, mobile and email: themselves and the staff of their cases, never another
            # family member nor an advocate (DESIGN.md: participants never see each other's contact details).
            return any(viewer.parts.get(case_id, {}).get("role") in CASE_STAFF for case_id in self.cases_of.get(owner, set()))
        if c.kind == "draft":
            return f["owner_id"] == me
        # Everything else is case content: never for someone outside the case, nor for the admin.
        mine = viewer.parts.get(c.case_id)
        if role == "admin" or (mine is None and not sqa):
            return False
        if c.kind == "case":
            return True
        if c.kind == "report":
            return report_allowed(self.app, {"login": viewer.login}, f["report_id"], "")
        part_role = mine["role"] if mine else None
        if c.kind == "comment":
            # A thread is its family member's: they, the report's author, the case's staff; never the other parent.
            if me in (f["author_id"], f["thread_owner_id"], f["report_author_id"]) or sqa or part_role in CASE_STAFF:
                return True
            owner_part = self.participant_id(f["thread_owner_id"], c.case_id)
            return part_role == "advocate" and owner_part is not None and mine["advocate_for_id"] == owner_part
        if c.kind in ("support", "say"):
            if me == f["owner_id"] or sqa:
                return True
            if part_role == "advocate" and mine["advocate_for_id"] == f["participant_id"]:
                return True
            if c.kind == "support" and f["support_kind"] == "supporter" and f["support_status"] == "agreed":
                return True  # an agreed supporter joins the attendee list the whole family reads
            if c.kind == "support" and f["support_kind"] == "appeal":
                return False
            return part_role in CASE_STAFF
        if c.kind == "feedback":
            return me in (f["owner_id"], f["chair_id"]) or sqa
        if c.kind == "wishes":
            if me in (f["author_id"], f["updated_by_id"]):
                return True
            if part_role == "young_person" and mine["child_id"] == f["child_id"]:
                return True
            if part_role == "advocate":
                return mine["advocate_for_child_id"] == f["child_id"] and mine["id"] in f["shared_with"]
            if f["status"] != "shared":
                return False
            return sqa or part_role in ("chair", "social_worker") or (mine is not None and mine["id"] in f["shared_with"])
        raise AssertionError(f"no rule for {c.kind}")

    def participant_id(self, user_id: int, case_id: int):
        from portal.cases.models import Participant

        with self.app.app_context():
            return db.session.scalar(select(Participant.id).where(Participant.user_id == user_id, Participant.case_id == case_id))


# --- crawling ----------------------------------------------------------------------------------------------


def target(base: str, href: str) -> str | None:
    """The same-site path a link leads to (keeping a CSV export's query), or None."""
    parts = urlsplit(urljoin("http://localhost" + base, href))
    if parts.netloc != "localhost" or parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + ("?" + parts.query if "format=csv" in parts.query else "")


def crawl_all(client, starts: list[str]) -> dict[str, tuple[int, str]]:
    """GET every same-site page reachable from `starts`; every response (any status, any text type) is kept."""
    seen: dict[str, tuple[int, str]] = {}
    queue = deque(starts)
    while queue and len(seen) < PAGE_LIMIT:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        kind = response.content_type or ""
        body = response.get_data(as_text=True) if kind.startswith(TEXT_TYPES) or not kind else ""
        seen[path] = (response.status_code, body)
        if response.status_code in (301, 302, 303, 307, 308):
            location = target(path, response.headers.get("Location", ""))
            if location:
                queue.append(location)
        elif "text/html" in kind:
            parser = Links()
            parser.feed(body)
            for href in parser.hrefs:
                location = target(path, href)
                if location:
                    queue.append(location)
    return seen


def probes(app) -> list[str]:
    """Pages of every object in the database, asked for by everyone: another case's pages must give nothing away,
    and unknown ids must get an error page that names nobody."""
    from portal.cases.models import Case, Conference
    from portal.reports.models import Report
    from portal.support.models import SupportRequest
    from portal.wishes.models import Wishes

    paths = ["/cases?format=csv", "/feedback/feedback.csv", "/cases/FC-ZZZZ-ZZZZ", "/no-such-page",
             "/cases/FC-ZZZZ-ZZZZ/reports/999999"]
    with app.app_context():
        refs = dict(db.session.execute(select(Case.id, Case.reference)).all())
        for case_id, ref in refs.items():
            paths += [f"/cases/{ref}", f"/cases/{ref}/reports/999999", f"/cases/{ref}/wishes/999999/read"]
        for conference in db.session.scalars(select(Conference)):
            ref = refs[conference.case_id]
            paths += [f"/cases/{ref}/conferences/{conference.id}{tail}" for tail in
                      ("", "/calendar.ics", "/plan", "/support", "/feedback/review", "/pre-conference-contact")]
        for report in db.session.scalars(select(Report)):
            paths += [f"/cases/{refs[report.case_id]}/reports/{report.id}", f"/cases/{refs[report.case_id]}/reports/{report.id}/versions"]
            if report.kind == "family_views":
                paths.append(f"/cases/{refs[report.case_id]}/views/{report.id}")
        for wishes in db.session.scalars(select(Wishes)):
            paths.append(f"/cases/{refs[wishes.case_id]}/wishes/{wishes.id}/read")
        for request in db.session.scalars(select(SupportRequest)):
            paths.append(f"/cases/{refs[request.case_id]}/support/{request.id}")
    return paths


class LogRecords(logging.Handler):
    """Every log line written while the crawl runs, formatted as a log file would hold it."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(f"{record.name} {record.getMessage()} {record.exc_text or ''}")


@dataclass
class Hit:
    login: str
    path: str
    status: int
    canary: Canary


def scan(body: str, by_token: dict[str, Canary], literal_pattern: re.Pattern) -> set[str]:
    """The markers in a response: tokens, and the people's emails and mobiles (also with spaces taken out)."""
    found = {token for token in TOKEN.findall(body) if token in by_token}
    squashed = re.sub(r"\s+", "", body)
    found |= set(literal_pattern.findall(body)) | set(literal_pattern.findall(squashed))
    return found


def test_no_canary_reaches_anyone_the_policy_does_not_allow(canary_app):
    app = canary_app
    from portal.demo import all_accounts

    with app.app_context():
        accounts = list(all_accounts())
    canaries, literals = plant(app)
    by_token = {c.token: c for c in canaries} | literals
    literal_pattern = re.compile("|".join(re.escape(literal) for literal in sorted(literals, key=len, reverse=True)))
    viewers = load_viewers(app, accounts)
    oracle = Oracle(app)
    kinds = sorted({c.kind for c in canaries})
    assert {"name", "contact", "case", "report", "comment", "wishes", "support", "say", "feedback", "draft"} <= set(kinds), kinds
    assert any(c.kind == "feedback" and c.facts["anonymous"] for c in canaries), "no feedback sent without a name"

    extra = probes(app)
    clients, fetched = {}, {}
    logs = LogRecords()
    root, quiet = logging.getLogger(), logging.getLogger("sqlalchemy")
    levels = (root.level, quiet.level)
    root.addHandler(logs)
    root.setLevel(logging.INFO)
    quiet.setLevel(logging.WARNING)  # the engine's own statement log is not the portal's log
    for viewer in viewers:
        client = app.test_client()
        assert sign_in(client, viewer.login).status_code == 303, viewer.login
        clients[viewer.login] = client
        fetched[viewer.login] = crawl_all(client, ["/home", "/account"] + extra)
        assert len(fetched[viewer.login]) < PAGE_LIMIT, f"{viewer.login}: the crawl hit its limit"
    # Every page anyone reached, asked for by everyone else too: what another person's page gives away.
    union = set().union(*fetched.values())
    for viewer in viewers:
        for path in sorted(union - set(fetched[viewer.login])):
            response = clients[viewer.login].get(path)
            fetched[viewer.login][path] = (response.status_code, response.get_data(as_text=True)
                                           if (response.content_type or "").startswith(TEXT_TYPES) else "")

    responses = 0
    allowed_hits, forbidden = 0, []
    # No personal data in URLs or logs, and an audit event never holds the content (DESIGN.md).
    for path in sorted(union):
        for token in scan(path, by_token, literal_pattern):
            forbidden.append(Hit("any account", path, 0, by_token[token]))
    seen_tokens: set[str] = set()
    anonymous = [c for c in canaries if c.kind == "feedback" and c.facts["anonymous"]]
    broken = [(login, path, status) for login, pages in fetched.items() for path, (status, _) in pages.items() if status >= 500]
    assert broken == [], f"pages that failed (a failed page hides what it would show): {broken}"
    for viewer in viewers:
        for path, (status, body) in fetched[viewer.login].items():
            responses += 1
            found = scan(body, by_token, literal_pattern)
            for token in found:
                canary = by_token[token]
                seen_tokens.add(token)
                if oracle.may_see(viewer, canary):
                    allowed_hits += 1
                else:
                    forbidden.append(Hit(viewer.login, path, status, canary))
            # Feedback sent without a name: its words never stand next to the name for anyone but its writer.
            for canary in anonymous:
                name = f"CNRYN{canary.facts['owner_id']}X"
                if canary.token in found and viewer.user_id != canary.facts["owner_id"] and name in body:
                    at = body.index(canary.token)
                    if name in body[max(0, at - NEAR):at + NEAR]:
                        forbidden.append(Hit(viewer.login, path, status, Canary(
                            name, "name beside anonymous feedback", canary.owner, canary.where, canary.case_id)))

    # Texts and emails: neutral, so no marker at all (the address a message goes to is not its content).
    outbox = app.extensions["notifier"].outbox
    outbox.clear()
    result = app.test_cli_runner().invoke(args=["notify", "send-due"])
    assert result.exit_code == 0, result.output
    invitee = Canary("CNRYN0I0X", "name", "a person invited in this test", "name", None, {"owner_id": -1})
    by_token[invitee.token] = invitee
    staff = app.test_client()
    assert sign_in(staff, "sally.sparrow@example.org").status_code == 303
    reference = next(v for v in viewers if v.login == "alice.appleby@example.org")
    with app.app_context():
        from portal.cases.models import Case

        ref = db.session.scalar(select(Case.reference).where(Case.id == next(iter(reference.parts))))
    invite_url = f"/cases/{ref}/invite"
    sent = staff.post(invite_url, data={"csrf_token": csrf_token_from(staff, invite_url), "name": f"Iris Ibis {invitee.token}",
                                        "role": "carer", "relationship": "aunt", "lives_with_child": "no",
                                        "email": "iris.ibis@example.org", "mobile": "07700900555", "language": "en"})
    assert sent.status_code in (302, 303), sent.get_data(as_text=True)[:2000]
    public = app.test_client()
    public.post("/password-reset", data={"csrf_token": csrf_token_from(public, "/password-reset"),
                                         "login": "alice.appleby@example.org"})
    messages = list(outbox)
    root.removeHandler(logs)
    root.setLevel(levels[0])
    quiet.setLevel(levels[1])
    for line in logs.lines:
        for token in scan(line, by_token, literal_pattern):
            forbidden.append(Hit("log", line[:120], 0, by_token[token]))
    from portal.audit import AuditEvent

    with app.app_context():
        audit_rows = [" ".join(str(value) for value in row) for row in db.session.execute(select(AuditEvent.__table__))]
    for row in audit_rows:
        for token in scan(row, by_token, literal_pattern):
            forbidden.append(Hit("audit event", row[:120], 0, by_token[token]))
    assert messages, "no text or email was sent"
    for message in messages:
        words = f"{getattr(message, 'subject', '') or ''}\n{message.body}"
        responses += 1
        for token in scan(words, by_token, literal_pattern):
            forbidden.append(Hit(f"message to {message.to}", message.channel, 0, by_token[token]))

    pairs = responses * len(by_token)
    print(f"\nleak canaries: {len(viewers)} accounts, {responses} pages and messages ({len(messages)} messages), "
          f"{len(union)} distinct URLs, {len(logs.lines)} log lines, {len(audit_rows)} audit events, "
          f"{len(by_token)} canaries planted ({', '.join(f'{k}: {sum(c.kind == k for c in canaries)}' for k in kinds)}; "
          f"{len(literals)} emails and mobiles), {pairs} (page x canary) pairs checked, {len(seen_tokens)} canaries seen, "
          f"{allowed_hits} allowed hits, {len(forbidden)} forbidden hits")
    for hit in forbidden:
        print(f"FORBIDDEN: {hit.login} {hit.path} ({hit.status}): {hit.canary.kind} of {hit.canary.owner} "
              f"[{hit.canary.where}] {hit.canary.token}")
    # The crawl must have reached the places the markers live, or it proves nothing.
    assert {c.kind for c in canaries if c.token in seen_tokens} >= {"name", "contact", "report", "comment", "wishes", "say",
                                                                       "feedback", "draft", "support", "case"}
    assert forbidden == []
