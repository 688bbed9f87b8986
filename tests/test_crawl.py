"""Cross-user crawl: every page each demo account reaches, requested by every other account.
No other account gets a 2xx where the access policy denies it. New features' pages join automatically."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from tests.conftest import sign_in

SKIP_PREFIXES = ("/static/", "/exit", "/sign-in", "/invitation/", "/password-reset/")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def crawl(client, start="/home", limit=300) -> set[str]:
    """Follow every same-site link from the home page; return the paths that answered 200."""
    seen, found, queue = set(), set(), deque([start])
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code in (301, 302, 303):
            queue.append(urlsplit(response.headers["Location"]).path)
            continue
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        found.add(path)
        parser = Links()
        parser.feed(response.get_data(as_text=True))
        for href in parser.hrefs:
            parts = urlsplit(urljoin("http://localhost" + path, href))
            if parts.netloc == "localhost" and not parts.path.startswith(SKIP_PREFIXES):
                queue.append(parts.path)
    return found


def report_allowed(app, account: dict, report_id: int, rest: str, views_path: bool = False) -> bool:
    """The oracle for a report or a parent's views, from the facts in the database (not from the code under test)."""
    from sqlalchemy import or_, select

    from portal.auth.models import User
    from portal.cases.models import Participant
    from portal.db import db
    from portal.reports.models import Report, ReportHelper, ReportShare

    with app.app_context():
        report = db.session.get(Report, report_id)
        person = db.session.scalar(select(User).where(or_(User.email == account["login"], User.username == account["login"])))
        if report is None or person is None:
            return False
        helper = db.session.scalar(select(ReportHelper.id).where(ReportHelper.report_id == report.id,
                                                                 ReportHelper.user_id == person.id)) is not None
        if views_path:  # the parent's own pages for writing and sending; an invited advocate edits the draft
            if report.kind != "family_views":
                return False
            if rest == "":
                return report.status == "draft" and (report.author_id == person.id or helper)
            return report.author_id == person.id
        if report.author_id == person.id:
            return True
        staff = person.role not in ("parent", "carer", "young_person")
        if rest == "/versions" and not staff:
            return False  # earlier versions: staff, and the author
        if rest not in ("", "/versions"):
            return False  # editing and sharing are the author's
        if report.kind == "family_views" and helper:
            return True
        if report.status != "submitted":
            return False  # drafts are the author's (and their invited helper's)
        if person.role == "sqa_manager":
            return True
        part = db.session.scalar(select(Participant).where(Participant.case_id == report.case_id, Participant.user_id == person.id))
        if part is None:
            return False
        if report.kind == "family_views" and part.role in ("social_worker", "chair"):
            return True
        if report.kind == "professional" and part.role in ("social_worker", "professional", "chair"):
            return True
        if report.kind == "professional" and part.role == "advocate":
            # an advocate reads a report shared with the person they are allocated to
            return part.advocate_for_id is not None and db.session.scalar(select(ReportShare.id).where(
                ReportShare.report_id == report.id, ReportShare.participant_id == part.advocate_for_id)) is not None
        return db.session.scalar(select(ReportShare.id).where(ReportShare.report_id == report.id,
                                                              ReportShare.participant_id == part.id)) is not None


def support_allowed(app, account: dict, reference: str, rest: str) -> bool:
    """The support pages: the family member whose request it is; the case's chair and social worker
    (not an appeal); the SQA manager. Asking: parents and carers; offers: the social worker (the chair
    for advocacy); the live break list: the chair."""
    from sqlalchemy import select

    from portal.auth.models import User
    from portal.db import db
    from portal.support.models import SupportRequest

    role = account["role"]
    if role != "sqa_manager" and reference not in account["cases"]:
        return False
    detail = re.fullmatch(r"/support/(\d+)(/answer)?", rest)
    if detail:
        with app.app_context():
            request = db.session.get(SupportRequest, int(detail.group(1)))
            if request is None:
                return False
            mine = db.session.scalar(select(User.id).where((User.email == account["login"]) | (User.username == account["login"]))) \
                == request.participant.user_id
            return mine or role == "sqa_manager" or (request.kind != "appeal" and role in ("chair", "social_worker"))
    tail = re.sub(r"^/conferences/\d+/support", "", rest)
    if tail == "":
        return role in ("parent", "carer", "social_worker", "chair", "sqa_manager")
    if tail.startswith("/ask/") or tail == "/break":
        return role in ("parent", "carer")
    if tail.startswith("/offer/"):
        return role == "social_worker" or (role == "chair" and tail == "/offer/advocacy")
    if tail == "/breaks":
        return role == "chair"
    return False


def consent_asked_of(me, child_id: int) -> bool:
    """Consent to a child's advocate is asked in the portal of a parent (child under 16 on the next conference
    day) until one answers, or of the young person themselves (16 and over) until they answer."""
    from datetime import date

    from sqlalchemy import select

    from portal.cases.models import Child, Conference
    from portal.db import db
    from portal.timeline import london_date
    from portal.wishes.models import ChildAdvocacy

    child = db.session.get(Child, child_id)
    advocacy = db.session.scalar(select(ChildAdvocacy).where(ChildAdvocacy.child_id == child_id))
    if me is None or child is None or child.case_id != me.case_id or advocacy is None or advocacy.response != "accepted" \
            or advocacy.advocate_participant_id is not None:
        return False
    starts_at = db.session.scalar(select(Conference.starts_at).where(Conference.case_id == child.case_id,
                                                                     Conference.status == "scheduled").order_by(Conference.starts_at).limit(1))
    day = london_date(starts_at) if starts_at else date.today()
    born = child.date_of_birth
    age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    if age >= 16:
        return me.role == "young_person" and me.child_id == child_id and advocacy.consent_by_kind != "young_person"
    return me.role == "parent" and advocacy.consent is None


def case_and_person(account: dict, reference: str):
    """(the case with this reference, the account's user id, their Participant row in it); inside an app context."""
    from sqlalchemy import select

    from portal.auth.models import User
    from portal.cases.models import Case, Participant
    from portal.db import db

    case = db.session.scalar(select(Case).where(Case.reference == reference))
    user_id = db.session.scalar(select(User.id).where((User.email == account["login"]) | (User.username == account["login"])))
    me = db.session.scalar(select(Participant).where(Participant.case_id == case.id, Participant.user_id == user_id)) if case else None
    return case, user_id, me


def young_people_allowed(app, account: dict, reference: str, rest: str) -> bool:
    """The young people pages, from the facts in the database: a child's wishes for the child, whoever
    started them and (after sharing) the chair, the social worker and the SQA manager; a parent, carer or
    the child's advocate only if the young person let them see a part. Advocacy: the chair, the social
    worker and the SQA manager (acting on it: the social worker). A young person's own pages: them."""
    from sqlalchemy import select

    from portal.auth.models import User
    from portal.cases.models import Case, Participant
    from portal.db import db
    from portal.wishes.models import Wishes, WishesShare

    role = account["role"]
    with app.app_context():
        case, user_id, me = case_and_person(account, reference)
        if case is None or (me is None and role != "sqa_manager"):
            return False
        wishes_match = re.fullmatch(r"/wishes/(\d+)(/.*)?", rest)
        if wishes_match:
            wishes = db.session.get(Wishes, int(wishes_match.group(1)))
            if wishes is None or wishes.case_id != case.id:
                return False
            if user_id == wishes.author_id or (me is not None and me.role == "young_person" and me.child_id == wishes.child_id):
                return True
            shared_with_me = me is not None and db.session.scalar(select(WishesShare.id).where(
                WishesShare.wishes_id == wishes.id, WishesShare.participant_id == me.id).limit(1)) is not None
            if me is not None and me.role == "advocate":
                return me.advocate_for_child_id == wishes.child_id and shared_with_me and wishes_match.group(2) not in ("/who-can-see", "/check")
            # Everyone else only reads, once shared: the chair, the social worker, the SQA manager, or whom the young person chose.
            return wishes.status == "shared" and wishes_match.group(2) == "/read" and (
                role == "sqa_manager" or me.role in ("chair", "social_worker") or shared_with_me)
        start = re.fullmatch(r"/conferences/\d+/children/(\d+)/wishes", rest)
        if start:
            child_id = int(start.group(1))
            return me is not None and ((me.role == "young_person" and me.child_id == child_id)
                                       or (me.role == "advocate" and me.advocate_for_child_id == child_id))
        advocacy = re.fullmatch(r"/children/(\d+)/advocacy(/.*)?", rest)
        if advocacy:
            if advocacy.group(2) is None:
                return role == "sqa_manager" or me.role in ("chair", "social_worker")
            if advocacy.group(2) == "/consent":
                return consent_asked_of(me, int(advocacy.group(1)))
            return me is not None and me.role == "social_worker"
        if rest == "/my-advocate" or re.fullmatch(r"/conferences/\d+/feedback/young-person", rest):
            return me is not None and me.role == "young_person" and me.child_id is not None
    return False


def after_conference_allowed(app, account: dict, reference: str, rest: str) -> bool:
    """The plan and the feedback pages, from the facts in the database. A plan: once the conference decided on
    one, its parents, carers, a parent's advocate, its chair, social worker and professionals, and the SQA
    manager; while it is being written (the conference has started), the chair and the social worker. Writing
    it: the conference's chair and the social worker; a family member's say: each parent or carer; the midway
    review: the social worker. Feedback: the adults of a held conference give it; its chair and the SQA manager
    review it."""
    from sqlalchemy import select

    from portal.auth.models import User
    from portal.cases.models import Case, Conference, Participant
    from portal.db import db, utcnow
    from portal.plans.models import PlanAction

    role = account["role"]
    with app.app_context():
        case, user_id, me = case_and_person(account, reference)
        if case is None or (me is None and role != "sqa_manager"):
            return False
        action = re.fullmatch(r"/plan/actions/(\d+)(/your-say|/remove)?", rest)
        if action:
            row = db.session.get(PlanAction, int(action.group(1)))
            if row is None or row.case_id != case.id:
                return False
            conference, tail = db.session.get(Conference, row.conference_id), action.group(2) or ""
        else:
            found = re.fullmatch(r"/conferences/(\d+)(/.*)", rest)
            conference = db.session.get(Conference, int(found.group(1))) if found else None
            if conference is None or conference.case_id != case.id:
                return False
            tail = found.group(2)
        is_plan = conference.status == "held" and conference.decision == "plan"
        started = conference.status == "scheduled" and conference.starts_at.replace(tzinfo=None) <= utcnow().replace(tzinfo=None)
        part = me.role if me is not None else role
        writer = part == "social_worker" or (part == "chair" and conference.chair_id == user_id)
        may_write = writer and (is_plan or started)
        if tail == "/feedback":
            return conference.status == "held" and part in ("parent", "carer", "social_worker", "professional", "advocate")
        if tail == "/feedback/review":
            return conference.status == "held" and (role == "sqa_manager" or conference.chair_id == user_id)
        if tail == "/plan":
            has_actions = db.session.scalar(select(PlanAction.id).where(PlanAction.conference_id == conference.id).limit(1))
            if role == "sqa_manager":
                return conference.status != "cancelled"
            if part in ("chair", "social_worker", "professional"):
                return may_write or is_plan or has_actions is not None
            if part in ("parent", "carer"):
                return is_plan
            helped = db.session.get(Participant, me.advocate_for_id) if part == "advocate" and me.advocate_for_id else None
            return helped is not None and helped.role in ("parent", "carer") and is_plan
        if tail in ("/plan/actions/new", "", "/remove"):
            return may_write
        if tail == "/your-say":
            return is_plan and part in ("parent", "carer")
        if tail == "/plan/midway-review":
            return is_plan and part == "social_worker"
    return False


def allowed(account: dict, path: str, app=None) -> bool:
    """The oracle: what the access policy lets this account see."""
    role = account["role"]
    support = re.match(r"^/cases/([^/]+)((/conferences/\d+/support.*)|(/support/.*))$", path)
    if support and app is not None:
        return support_allowed(app, account, support.group(1), support.group(2))
    after = re.match(r"^/cases/([^/]+)((/conferences/\d+/(plan.*|feedback|feedback/review))|(/plan/actions/.*))$", path)
    if after and app is not None:
        return after_conference_allowed(app, account, after.group(1), after.group(2))
    if path in ("/feedback", "/feedback/feedback.csv"):
        return role in ("chair", "sqa_manager")
    if path == "/services":
        return role in ("chair", "social_worker", "sqa_manager")
    if path.startswith("/services/"):
        return role == "sqa_manager"
    young = re.match(r"^/cases/([^/]+)((/wishes/.*)|(/conferences/\d+/children/.*)|(/children/\d+/advocacy.*)|(/my-advocate)|(/conferences/\d+/feedback/.*))$", path)
    if young and app is not None:
        return young_people_allowed(app, account, young.group(1), young.group(2))
    if path == "/appeals":
        return role == "sqa_manager"
    if re.fullmatch(r"/cases/[^/]+/children/\d+/access-log", path):
        return role == "sqa_manager"  # who opened a child's records: the SQA manager's alone (README, Quinn Quail)
    if path.startswith("/admin/venues"):
        return role in ("admin", "sqa_manager")
    report = re.match(r"^/cases/[^/]+/(reports|views)/(\d+)(/.*)?$", path)
    if report and app is not None:
        return report_allowed(app, account, int(report.group(2)), report.group(3) or "", views_path=report.group(1) == "views")
    staff = role not in ("parent", "carer", "young_person")
    if path == "/cases/new":
        return role == "social_worker"
    match = re.match(r"^/cases/([^/]+)(/.*)?$", path)
    if match:
        reference, rest = match.group(1), match.group(2) or ""
        reading = rest == "" or re.fullmatch(r"/conferences/\d+(/calendar\.ics)?", rest) is not None
        if role == "sqa_manager":
            return reading
        if role == "admin" or reference not in account["cases"]:
            return False
        if reading:
            return True
        if rest in ("/conferences/new", "/children/new"):
            return role == "social_worker"
        if rest.endswith(("/pre-conference-contact", "/outcome")):
            return role == "chair"  # the conference's own chair: every demo conference is chaired by its case's chair
        return (rest == "/invite" or rest.endswith("/cancel")) and role in ("social_worker", "chair")
    if path.startswith("/admin"):
        return role == "admin"
    if path == "/cases":
        return staff and role != "admin"
    if path.startswith("/mfa/"):
        return staff
    return True  # the public pages, /home and /account are for everyone (each shows its own person)


def case_references(app, login: str) -> list[str]:
    """The cases an account takes part in now (tests may have added some to the demo ones)."""
    from sqlalchemy import or_, select

    from portal.auth.models import User
    from portal.cases.models import Case, Participant
    from portal.db import db

    with app.app_context():
        return list(db.session.scalars(
            select(Case.reference).join(Participant).join(User, Participant.user_id == User.id)
            .where(or_(User.email == login, User.username == login))
        ))


def test_no_account_reaches_another_accounts_pages(app, demo):
    accounts = [dict(account, cases=case_references(app, account["login"])) for account in demo.values()]
    clients = {}
    for account in accounts:
        client = app.test_client()
        assert sign_in(client, account["login"]).status_code == 303, account["login"]
        clients[account["login"]] = client
    reached = {login: crawl(client) for login, client in clients.items()}
    urls = set().union(*reached.values())
    assert any(path.startswith("/cases/FC-") for path in urls), "the crawl found no case pages"
    checked, leaks = 0, []
    for path in sorted(urls):
        for account in accounts:
            status = clients[account["login"]].get(path).status_code
            checked += 1
            if 200 <= status < 300 and not allowed(account, path, app):
                leaks.append((account["login"], path, status))
    print(f"\ncross-user crawl: {len(accounts)} accounts, {len(urls)} distinct URLs, {checked} requests cross-checked")
    assert leaks == []
