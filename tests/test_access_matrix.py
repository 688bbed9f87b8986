"""The access matrix: every route that takes an object, for every role, on its own case, another
case, the other parent's details, and signed out. Allowed where the policy allows; 404 otherwise
(or a redirect to sign in when signed out)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_token_from, sign_in

CASE_A, CASE_B = "FC-7KQ3-M9XD", "FC-4HNP-T6WB"

# One demo account per role, all on case A (the SQA manager and the admin are on no case).
ACCOUNTS = {
    "parent": "alice.appleby@example.org",
    "carer": "grace.appleby@example.org",
    "young_person": "sam.appleby",
    "advocate": "ada.avocet@example.org",
    "social_worker": "sally.sparrow@example.org",
    "professional": "priya.plover@example.org",
    "chair": "charlotte.chaffinch@example.org",
    "sqa_manager": "quinn.quail@example.org",
    "admin": "adam.auk@example.org",
}


def expected_case_detail(role: str, which: str) -> int:
    if role == "admin":
        return 404
    if role == "sqa_manager":
        return 200
    return 200 if which == "own" else 404


def expected_invite(role: str, which: str) -> int:
    return 200 if role in ("social_worker", "chair") and which == "own" else 404


@pytest.fixture(scope="module")
def clients(app, demo):
    signed_in = {}
    for role, login in ACCOUNTS.items():
        client = app.test_client()
        assert sign_in(client, login).status_code == 303, role
        signed_in[role] = client
    return signed_in


def test_case_routes_matrix(app, clients):
    cells, wrong = 0, []
    routes = {"case_detail": ("/cases/{ref}", expected_case_detail), "invite": ("/cases/{ref}/invite", expected_invite)}
    for name, (pattern, expected) in routes.items():
        for role, client in clients.items():
            for which, ref in (("own", CASE_A), ("other", CASE_B)):
                status = client.get(pattern.format(ref=ref)).status_code
                cells += 1
                if status != expected(role, which):
                    wrong.append((name, role, which, status))
        # Signed out: sent to sign in, for either case.
        for ref in (CASE_A, CASE_B):
            response = app.test_client().get(pattern.format(ref=ref))
            cells += 1
            if response.status_code != 302 or not response.headers["Location"].startswith("/sign-in"):
                wrong.append((name, "signed out", ref, response.status_code))
    # A reference that does not exist looks exactly like one you may not see.
    for role, client in clients.items():
        cells += 1
        if client.get("/cases/FC-ZZZZ-ZZZZ").status_code != 404:
            wrong.append(("case_detail", role, "missing", "not 404"))
    print(f"\naccess matrix, case routes: {cells} cells")
    assert wrong == []


def contact_details_seen(client, ref=CASE_A) -> str:
    return client.get(f"/cases/{ref}").get_data(as_text=True)


def test_the_other_parent_never_sees_contact_details(app, demo):
    """Arthur (a risk to Alice) sees neither her address nor her email; nor does she see his."""
    arthur, alice = app.test_client(), app.test_client()
    sign_in(arthur, "arthur.appleby@example.org")
    sign_in(alice, "alice.appleby@example.org")
    seen_by_arthur, seen_by_alice = contact_details_seen(arthur), contact_details_seen(alice)
    assert "1 Orchard Row" not in seen_by_arthur and "alice.appleby@example.org" not in seen_by_arthur
    assert "9 Cider Lane" in seen_by_arthur  # his own
    assert "9 Cider Lane" not in seen_by_alice and "arthur.appleby@example.org" not in seen_by_alice
    # The grandparent and the young person see no one's details but their own.
    grace = app.test_client()
    sign_in(grace, "grace.appleby@example.org")
    seen = contact_details_seen(grace)
    assert "1 Orchard Row" not in seen and "9 Cider Lane" not in seen and "+447700900101" in seen
    # The advocate (for Alice) sees no addresses either; the social worker sees them and the restriction.
    for login, sees in (("ada.avocet@example.org", False), ("sally.sparrow@example.org", True)):
        client = app.test_client()
        sign_in(client, login)
        html = contact_details_seen(client)
        assert ("1 Orchard Row" in html) is sees, login
    sally = app.test_client()
    sign_in(sally, "sally.sparrow@example.org")
    assert "Contact details hidden from" in contact_details_seen(sally)


def test_admin_routes_matrix(app, clients, make_user):
    cells, wrong = 0, []
    for action in ("reactivate", "reset-mfa", "unlink-council-account"):
        staff_id, _, _ = make_user(role="professional")
        family_id, _, _ = make_user(role="parent")
        for role, client in clients.items():
            for target, kind in ((staff_id, "staff"), (family_id, "family")):
                token = csrf_token_from(client, "/account")
                status = client.post(f"/admin/staff/{target}/{action}", data={"csrf_token": token}).status_code
                expected = 303 if role == "admin" and kind == "staff" else 404
                cells += 1
                if status != expected:
                    wrong.append((action, role, kind, status))
        anonymous = app.test_client()
        response = anonymous.post(f"/admin/staff/{staff_id}/{action}", data={"csrf_token": csrf_token_from(anonymous, "/")})
        cells += 1
        if response.status_code != 302:
            wrong.append((action, "signed out", "staff", response.status_code))
    for role, client in clients.items():
        for url in ("/admin/staff", "/admin/staff/new"):
            cells += 1
            status = client.get(url).status_code
            if status != (200 if role == "admin" else 404):
                wrong.append((url, role, status))
    print(f"\naccess matrix, admin routes: {cells} cells")
    assert wrong == []


def test_admin_sees_no_case_content(clients):
    admin = clients["admin"]
    for url in ("/cases", f"/cases/{CASE_A}", f"/cases/{CASE_B}"):
        assert admin.get(url).status_code == 404
    html = admin.get("/admin/staff").get_data(as_text=True)
    assert "Appleby" not in html and "Bramble" not in html and not re.search(r"FC-[0-9A-Z]{4}-", html)


def demo_report_ids(app) -> tuple[int, int]:
    """The demo professional report (shared with Alice and Grace) and Alice's demo views draft."""
    from sqlalchemy import select

    from portal.auth.models import User
    from portal.db import db
    from portal.reports.models import Report

    with app.app_context():
        priya = db.session.scalar(select(User.id).where(User.email == "priya.plover@example.org"))
        alice = db.session.scalar(select(User.id).where(User.email == "alice.appleby@example.org"))
        report = db.session.scalar(select(Report.id).where(Report.author_id == priya, Report.kind == "professional",
                                                           Report.status == "submitted").order_by(Report.id).limit(1))
        views = db.session.scalar(select(Report.id).where(Report.author_id == alice, Report.kind == "family_views",
                                                          Report.status == "draft").order_by(Report.id).limit(1))
        return report, views


def get_matrix(app, clients, name: str, pattern: str, allowed_roles: set, own: str = CASE_A, other: str = CASE_B) -> tuple[int, list]:
    """GET one route as every role on its own case and another case (200 only where allowed, else 404),
    and signed out (sent to sign in). Returns (cells checked, wrong cells)."""
    cells, wrong = 0, []
    for role, client in clients.items():
        for which, ref in (("own", own), ("other", other)):
            expected = 200 if which == "own" and role in allowed_roles else 404
            status = client.get(pattern.format(ref=ref)).status_code
            cells += 1
            if status != expected:
                wrong.append((name, role, which, status, expected))
    response = app.test_client().get(pattern.format(ref=own))
    cells += 1
    if response.status_code != 302 or not response.headers["Location"].startswith("/sign-in"):
        wrong.append((name, "signed out", "own", response.status_code, 302))
    return cells, wrong


def post_matrix(app, clients, name: str, pattern: str, allowed_roles: set, allowed_status: int | dict,
                own: str = CASE_A, other: str = CASE_B) -> tuple[int, list]:
    """POST one route with nothing filled in, as every role on its own case and another case (`allowed_status`,
    or that role's status in it, only where allowed, else 404), and signed out (sent to sign in).
    Returns (cells checked, wrong cells)."""
    cells, wrong = 0, []
    for role, client in clients.items():
        for which, ref in (("own", own), ("other", other)):
            token = csrf_token_from(client, "/account")
            status = client.post(pattern.format(ref=ref), data={"csrf_token": token}).status_code
            allowed = allowed_status.get(role) if isinstance(allowed_status, dict) else allowed_status
            expected = allowed if which == "own" and role in allowed_roles else 404
            cells += 1
            if status != expected:
                wrong.append((name, role, which, status, expected))
    anonymous = app.test_client()
    response = anonymous.post(pattern.format(ref=own), data={"csrf_token": csrf_token_from(anonymous, "/")})
    cells += 1
    if response.status_code != 302:
        wrong.append((name, "signed out", "own", response.status_code, 302))
    return cells, wrong


def test_report_routes_matrix(app, clients):
    """Reading, earlier versions, and the parent's views pages: own case, another case, the other parent, signed out."""
    report, views = demo_report_ids(app)
    readers_of_report = {"parent", "carer", "advocate", "social_worker", "professional", "chair", "sqa_manager"}
    routes = {
        "read report": (f"/cases/{{ref}}/reports/{report}", readers_of_report),
        # Earlier versions: the staff who work the case, not family members or an advocate (who acts for one person).
        "report versions": (f"/cases/{{ref}}/reports/{report}/versions", readers_of_report - {"parent", "carer", "advocate"}),
        "read views draft": (f"/cases/{{ref}}/reports/{views}", {"parent", "advocate"}),
        "views draft versions": (f"/cases/{{ref}}/reports/{views}/versions", {"parent", "advocate"}),
        "edit views": (f"/cases/{{ref}}/views/{views}", {"parent", "advocate"}),
        "views helpers": (f"/cases/{{ref}}/views/{views}/helpers", {"parent"}),
        "views audience": (f"/cases/{{ref}}/views/{views}/who-can-read", {"parent"}),
        "check views": (f"/cases/{{ref}}/views/{views}/check", {"parent"}),
    }
    arthur = app.test_client()
    assert sign_in(arthur, "arthur.appleby@example.org").status_code == 303
    cells, wrong = 0, []
    for name, (pattern, allowed_roles) in routes.items():
        route_cells, route_wrong = get_matrix(app, clients, name, pattern, allowed_roles)
        cells, wrong = cells + route_cells, wrong + route_wrong
        status = arthur.get(pattern.format(ref=CASE_A)).status_code  # the other parent, kept from Alice's details
        cells += 1
        if status != 404:
            wrong.append((name, "other parent", "own", status, 404))
    print(f"\naccess matrix, report routes: {cells} cells")
    assert wrong == []


def demo_support_ids(app) -> dict:
    """The demo conference of case A, Alice's interpreter request and Arthur's advocacy offer."""
    from sqlalchemy import select

    from portal.auth.models import User
    from portal.cases.models import Participant
    from portal.db import db
    from portal.support.models import SupportRequest

    with app.app_context():
        def request_of(email, kind):
            return db.session.scalar(select(SupportRequest).join(Participant, Participant.id == SupportRequest.participant_id)
                                     .join(User, User.id == Participant.user_id)
                                     .where(User.email == email, SupportRequest.kind == kind).order_by(SupportRequest.id).limit(1))

        interpreter = request_of("alice.appleby@example.org", "interpreter")
        advocacy = request_of("arthur.appleby@example.org", "advocacy")
        return {"conference": interpreter.conference_id, "interpreter": interpreter.id, "advocacy": advocacy.id}


def test_support_routes_matrix(app, clients):
    """Every support route: own case, another case, the other parent, signed out. GETs must be 200 only where
    allowed; POSTs are sent with nothing filled in, so an allowed one answers 400 (or redirects) and changes nothing."""
    ids = demo_support_ids(app)
    base = f"/cases/{{ref}}/conferences/{ids['conference']}/support"
    family = {"parent", "carer"}
    gets = {
        "support page": (base, family | {"social_worker", "chair", "sqa_manager"}),
        "ask for an interpreter": (base + "/ask/interpreter", family),
        "ask for a supporter": (base + "/ask/supporter", family),
        "record an advocacy offer": (base + "/offer/advocacy", {"social_worker", "chair"}),
        "record an FGC offer": (base + "/offer/fgc", {"social_worker"}),
        "live break list": (base + "/breaks", {"chair"}),
        # Alice's own request: Alice ("parent"), the chair, the social worker, the SQA manager; not Grace, not the advocate.
        "a request": (f"/cases/{{ref}}/support/{ids['interpreter']}", {"parent", "social_worker", "chair", "sqa_manager"}),
    }
    posts = {
        "ask (empty)": (base + "/ask/interpreter", family, 400),
        "break (not during)": (base + "/break", family, 303),
        "decide (empty)": (f"/cases/{{ref}}/support/{ids['interpreter']}", {"social_worker"}, 400),
        # Arthur's offer: only Arthur answers it; nobody in this matrix is Arthur.
        "answer someone else's offer": (f"/cases/{{ref}}/support/{ids['advocacy']}/answer", set(), 400),
    }
    arthur = app.test_client()
    assert sign_in(arthur, "arthur.appleby@example.org").status_code == 303
    cells, wrong = 0, []
    for name, (pattern, allowed_roles) in gets.items():
        route_cells, route_wrong = get_matrix(app, clients, name, pattern, allowed_roles)
        cells, wrong = cells + route_cells, wrong + route_wrong
        if name == "a request":  # the other parent, on Alice's request
            cells += 1
            if arthur.get(pattern.format(ref=CASE_A)).status_code != 404:
                wrong.append((name, "other parent", "own"))
    for name, (pattern, allowed_roles, allowed_status) in posts.items():
        route_cells, route_wrong = post_matrix(app, clients, name, pattern, allowed_roles, allowed_status)
        cells, wrong = cells + route_cells, wrong + route_wrong
        token = csrf_token_from(arthur, "/account")
        status = arthur.post(pattern.format(ref=CASE_A), data={"csrf_token": token}).status_code
        cells += 1
        expected = {"answer someone else's offer": 400, "ask (empty)": 400, "break (not during)": 303}.get(name, 404)
        if status != expected:
            wrong.append((name, "other parent", "own", status, expected))
    # The SQA manager's appeal queue.
    for role, client in clients.items():
        cells += 1
        if client.get("/appeals").status_code != (200 if role == "sqa_manager" else 404):
            wrong.append(("appeals", role))
    print(f"\naccess matrix, support routes: {cells} cells")
    assert wrong == []


def demo_young_people_ids(app) -> dict:
    """Sam's shared wishes for the demo conference of case A, Sam's and Ruby's child ids."""
    from sqlalchemy import select

    from portal.cases.models import Child
    from portal.db import db
    from portal.wishes.models import Wishes

    with app.app_context():
        wishes = db.session.scalar(select(Wishes).join(Child, Child.id == Wishes.child_id).where(Child.first_name == "Sam")
                                   .order_by(Wishes.id).limit(1))
        ruby = db.session.scalar(select(Child.id).where(Child.first_name == "Ruby", Child.case_id == wishes.case_id))
        return {"wishes": wishes.id, "conference": wishes.conference_id, "sam": wishes.child_id, "ruby": ruby}


def test_young_people_routes_matrix(app, clients):
    """Every young people route: own case, another case, the other parent (Arthur: Sam shared nothing with him),
    Sam's own advocate (Cody: only the parts Sam lets him see) and signed out. POSTs carry nothing, so an allowed
    one answers with a form error or a redirect and changes nothing."""
    ids = demo_young_people_ids(app)
    wishes = f"/cases/{{ref}}/wishes/{ids['wishes']}"
    start = f"/cases/{{ref}}/conferences/{ids['conference']}/children/{ids['sam']}/wishes"
    ruby = f"/cases/{{ref}}/children/{ids['ruby']}/advocacy"
    feedback = f"/cases/{{ref}}/conferences/{ids['conference']}/feedback/young-person"
    sam = {"young_person"}
    gets = {
        "wishes start": (start, sam, 404),
        "edit wishes": (wishes, sam, 404),
        "need a plan": (wishes + "/need-a-plan", sam, 404),
        "who can see": (wishes + "/who-can-see", sam, 404),
        "check and share": (wishes + "/check", sam, 404),
        # Sam shared parts with his mother and grandmother (and Cody), never with his father.
        "read wishes": (wishes + "/read", sam | {"parent", "carer", "social_worker", "chair", "sqa_manager"}, 404),
        "child advocacy": (ruby, {"social_worker", "chair", "sqa_manager"}, 404),
        "record an advocacy offer": (ruby + "/offer", {"social_worker"}, 404),
        "record consent": (ruby + "/record-consent", {"social_worker"}, 404),
        # Nobody is asked for consent for Ruby yet (no offer accepted).
        "give consent": (ruby + "/consent", set(), 404),
        "my advocate": ("/cases/{ref}/my-advocate", sam, 404),
        # The demo conference has not been held: no feedback yet.
        "young person's feedback": (feedback, set(), 404),
    }
    posts = {
        "start wishes": (start, sam, 303),
        "autosave without htmx": (wishes + "/autosave", sam, 303),
        "save wishes (nothing sent)": (wishes, sam, 303),
        "need a plan (empty)": (wishes + "/need-a-plan", sam, 400),
        "share again": (wishes + "/check", sam, 303),
        "offer (empty)": (ruby + "/offer", {"social_worker"}, 400),
        "record consent (empty)": (ruby + "/record-consent", {"social_worker"}, 400),
        "allocate (no consent)": (ruby + "/advocate", {"social_worker"}, 303),
        "consent (not asked)": (ruby + "/consent", set(), 404),
        "ask for an advocate (has one)": ("/cases/{ref}/my-advocate", sam, 303),
        "feedback (not held)": (feedback, set(), 404),
    }
    others = {}
    for login in ("arthur.appleby@example.org", "cody.curlew@example.org"):
        others[login] = app.test_client()
        assert sign_in(others[login], login).status_code == 303
    # Cody (Sam's advocate) sees and helps with the parts Sam lets him see; he never chooses or shares.
    cody_gets = {"wishes start": 200, "edit wishes": 200, "read wishes": 200}
    cells, wrong = 0, []
    for name, (pattern, allowed_roles, other_parent) in gets.items():
        route_cells, route_wrong = get_matrix(app, clients, name, pattern, allowed_roles)
        cells, wrong = cells + route_cells, wrong + route_wrong
        for login, expected in (("arthur.appleby@example.org", other_parent), ("cody.curlew@example.org", cody_gets.get(name, 404))):
            status = others[login].get(pattern.format(ref=CASE_A)).status_code
            cells += 1
            if status != expected:
                wrong.append((name, login, "own", status, expected))
    for name, (pattern, allowed_roles, allowed_status) in posts.items():
        route_cells, route_wrong = post_matrix(app, clients, name, pattern, allowed_roles, allowed_status)
        cells, wrong = cells + route_cells, wrong + route_wrong
        status = others["arthur.appleby@example.org"].post(
            pattern.format(ref=CASE_A), data={"csrf_token": csrf_token_from(others["arthur.appleby@example.org"], "/account")}).status_code
        cells += 1
        if status != 404:
            wrong.append((name, "other parent", "own", status, 404))
    # Choosing who sees each part changes Sam's choices: only its refusals are posted here (its own use is in tests/wishes).
    for role, client in clients.items():
        status = client.post(f"/cases/{CASE_B}/wishes/{ids['wishes']}/who-can-see",
                             data={"csrf_token": csrf_token_from(client, "/account")}).status_code
        cells += 1
        if status != 404:
            wrong.append(("who can see (post)", role, "other", status, 404))
    for login, client in others.items():
        status = client.post(f"/cases/{CASE_A}/wishes/{ids['wishes']}/who-can-see",
                             data={"csrf_token": csrf_token_from(client, "/account")}).status_code
        cells += 1
        if status != 404:
            wrong.append(("who can see (post)", login, "own", status, 404))
    print(f"\naccess matrix, young people routes: {cells} cells")
    assert wrong == []


# The Chestnut family (case C): their initial conference was held and decided on a plan; a review is booked.
CASE_C = "FC-3VJT-C8PA"
CHESTNUT_ACCOUNTS = {**ACCOUNTS, "parent": "clara.chestnut@example.org", "young_person": "cal.chestnut"}


def demo_plan_ids(app) -> dict:
    from sqlalchemy import select

    from portal.cases.models import Case, Conference
    from portal.db import db
    from portal.feedback.models import ReviewChange
    from portal.plans.models import ActionResponse, PlanAction, Service

    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.reference == CASE_C))
        held = db.session.scalar(select(Conference.id).where(Conference.case_id == case_id, Conference.status == "held"))
        review = db.session.scalar(select(Conference.id).where(Conference.case_id == case_id, Conference.status == "scheduled"))
        answered = db.session.scalar(select(PlanAction.id).join(ActionResponse, ActionResponse.action_id == PlanAction.id)
                                     .where(PlanAction.conference_id == held).limit(1))
        return {"held": held, "review": review, "answered": answered,
                "service": db.session.scalar(select(Service.id).order_by(Service.id).limit(1)),
                "change": db.session.scalar(select(ReviewChange.id).where(ReviewChange.conference_id == held).limit(1))}


def test_plan_and_feedback_routes_matrix(app, demo):
    """Every plan and feedback route on the Chestnut family's case (own) and the Appleby family's (other), as every
    role, the other parent (Carl: the plan is his family's too, his say is his own) and signed out. POSTs carry
    nothing, so an allowed one answers with a form error (or keeps what stands) and changes nothing."""
    ids = demo_plan_ids(app)
    clients = {}
    for role, login in {**CHESTNUT_ACCOUNTS, "other parent": "carl.chestnut@example.org"}.items():
        clients[role] = app.test_client()
        assert sign_in(clients[role], login).status_code == 303, role
    plan = f"/cases/{{ref}}/conferences/{ids['held']}/plan"
    action = f"/cases/{{ref}}/plan/actions/{ids['answered']}"
    feedback = f"/cases/{{ref}}/conferences/{ids['held']}/feedback"
    writers, family = {"social_worker", "chair"}, {"parent", "other parent"}
    gets = {
        "plan": (plan, family | {"social_worker", "professional", "chair", "sqa_manager"}),
        # The review conference has not started: no plan yet, for anyone but the SQA manager (an empty page).
        "plan of the booked review": (f"/cases/{{ref}}/conferences/{ids['review']}/plan", {"sqa_manager"}),
        "add an action": (plan + "/actions/new", writers),
        "change an action": (action, writers),
        "your say": (action + "/your-say", family),
        "midway review": (plan + "/midway-review", {"social_worker"}),
        "give feedback": (feedback, family | {"social_worker", "professional"}),
        "feedback review": (feedback + "/review", {"chair", "sqa_manager"}),
    }
    posts = {
        "add an action (empty)": (plan + "/actions/new", writers, 400),
        "change an action (empty)": (action, writers, 400),
        "remove an answered action (stays)": (action + "/remove", writers, 303),
        "your say (empty)": (action + "/your-say", family, 400),
        "midway review (empty)": (plan + "/midway-review", {"social_worker"}, 400),
        # Clara and Priya gave theirs already: the first stands (409); Carl and Sally have not.
        "give feedback (empty)": (feedback, family | {"social_worker", "professional"},
                                  {"parent": 409, "professional": 409, "other parent": 400, "social_worker": 400}),
        "what to change (empty)": (feedback + "/changes", {"chair"}, 400),
    }
    cells, wrong = 0, []
    for name, (pattern, allowed_roles) in gets.items():
        route_cells, route_wrong = get_matrix(app, clients, name, pattern, allowed_roles, own=CASE_C, other=CASE_A)
        cells, wrong = cells + route_cells, wrong + route_wrong
    for name, (pattern, allowed_roles, allowed_status) in posts.items():
        route_cells, route_wrong = post_matrix(app, clients, name, pattern, allowed_roles, allowed_status, own=CASE_C, other=CASE_A)
        cells, wrong = cells + route_cells, wrong + route_wrong
    # Removing a change: refused to everyone but the conference's chair (whose own use is in tests/feedback).
    for role, client in clients.items():
        if role == "chair":
            continue
        status = client.post(f"/cases/{CASE_C}/feedback/changes/{ids['change']}/remove",
                             data={"csrf_token": csrf_token_from(client, "/account")}).status_code
        cells += 1
        if status != 404:
            wrong.append(("remove a change", role, "own", status, 404))
    # Pages that are not about one case: the chair's and the SQA manager's feedback; the services directory.
    for url, allowed_roles in (("/feedback", {"chair", "sqa_manager"}), ("/feedback/feedback.csv", {"chair", "sqa_manager"}),
                               ("/services", {"chair", "social_worker", "sqa_manager"}), ("/services/new", {"sqa_manager"}),
                               (f"/services/{ids['service']}", {"sqa_manager"})):
        for role, client in clients.items():
            cells += 1
            status = client.get(url).status_code
            if status != (200 if role in allowed_roles else 404):
                wrong.append((url, role, status))
        cells += 1
        if app.test_client().get(url).status_code != 302:
            wrong.append((url, "signed out"))
    for url in ("/services/new", f"/services/{ids['service']}"):
        for role, client in clients.items():
            cells += 1
            status = client.post(url, data={"csrf_token": csrf_token_from(client, "/account")}).status_code
            if status != (400 if role == "sqa_manager" else 404):
                wrong.append((url, "post", role, status))
    print(f"\naccess matrix, plan and feedback routes: {cells} cells")
    assert wrong == []


def test_access_log_routes_matrix(app, clients):
    """A child's access log: the SQA manager only, on the child's own case; a child of another case, the other
    parent, every other role and a signed-out visitor get nothing (404, or sent to sign in)."""
    ids = demo_young_people_ids(app)
    pattern = f"/cases/{{ref}}/children/{ids['ruby']}/access-log"
    cells, wrong = get_matrix(app, clients, "access log", pattern, {"sqa_manager"})
    arthur = app.test_client()
    assert sign_in(arthur, "arthur.appleby@example.org").status_code == 303
    cells += 1
    if arthur.get(pattern.format(ref=CASE_A)).status_code != 404:
        wrong.append(("access log", "other parent", "own"))
    print(f"\naccess matrix, access log: {cells} cells")
    assert wrong == []
