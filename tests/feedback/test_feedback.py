"""Feedback after a conference: one answer per person per conference; a parent's anonymous answer carries no
name on any page the chair can reach; the charts show the numbers of their tables; the CSV; what the chair
changes for the review conference reaches its preparation page and the family; the debrief is offered."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from sqlalchemy import select

from portal.db import db, utcnow
from portal.timeline import london_date
from tests.plans.test_plans import held_family
from tests.test_crawl import crawl
from tests.wishes.test_wishes import CHARLOTTE, SALLY, client_for, post, text

QUINN = "quinn.quail@example.org"
ANSWERS = {"welcomed": "3", "about_child": "3", "understood_reports": "2", "had_say": "1"}


def feedback_url(family) -> str:
    return f"/cases/{family.reference}/conferences/{family.conference_id}/feedback"


def rows_for(app, conference_id: int):
    from portal.feedback.models import Feedback

    with app.app_context():
        return list(db.session.scalars(select(Feedback).where(Feedback.conference_id == conference_id)))


def test_a_second_feedback_from_the_same_person_is_refused(app, demo):
    family = held_family(app)
    mother = client_for(app, family.logins["mother"])
    response = post(mother, feedback_url(family), {**ANSWERS, "welcomed": ""})
    assert response.status_code == 400 and "Select an answer to this question" in response.get_data(as_text=True)
    assert post(mother, feedback_url(family), {**ANSWERS, "do_better": "Shorter reports"}).status_code == 303
    again = post(mother, feedback_url(family), {**ANSWERS, "welcomed": "1", "do_better": "Second try"})
    assert again.status_code == 409
    assert "You have already told us how this conference went" in again.get_data(as_text=True)
    rows = rows_for(app, family.conference_id)
    assert [(r.welcomed, r.do_better, r.respondent) for r in rows] == [(3, "Shorter reports", "parent")]
    # The social worker (a professional) gives their own; the chair is not asked, and a scheduled conference has no form.
    assert post(client_for(app, SALLY), feedback_url(family), ANSWERS).status_code == 303
    assert client_for(app, CHARLOTTE).get(feedback_url(family)).status_code == 404
    assert {r.respondent for r in rows_for(app, family.conference_id)} == {"parent", "professional"}
    scheduled = held_family(app, days_ago=-5, decision=None, status="scheduled")
    assert client_for(app, scheduled.logins["mother"]).get(feedback_url(scheduled)).status_code == 404


def test_anonymous_feedback_carries_no_name_on_any_page_the_chair_can_reach(app, demo):
    family = held_family(app)
    canary = "Canary-anonymous-7Q2 please meet nearer home"
    mother = client_for(app, family.logins["mother"])
    assert post(mother, feedback_url(family), {**ANSWERS, "do_better": canary, "anonymous": "y"}).status_code == 303
    # The father gives his with his name: shown beside "name not shown", it would give the mother away.
    assert post(client_for(app, family.logins["father"]), feedback_url(family), {**ANSWERS, "welcomed": "1"}).status_code == 303
    # A professional cannot hide their name (the box is not theirs), even if posted by hand.
    post(client_for(app, SALLY), feedback_url(family), {**ANSWERS, "anonymous": "y"})
    rows = {r.user_id: r for r in rows_for(app, family.conference_id)}
    assert sorted(r.anonymous for r in rows.values()) == [False, False, True]
    from portal.auth.models import User

    with app.app_context():
        mother_name = db.session.scalar(select(User.name).where(User.email == family.logins["mother"]))
        father_name = db.session.scalar(select(User.name).where(User.email == family.logins["father"]))
    chair = client_for(app, CHARLOTTE)
    review = f"/cases/{family.reference}/conferences/{family.conference_id}/feedback/review"
    pages = crawl(chair) | {review, "/feedback", "/feedback?who=parent"}
    seen_with_canary = 0
    for path in sorted(pages):
        body = chair.get(path).get_data(as_text=True)
        if "Canary-anonymous-7Q2" in body:
            seen_with_canary += 1
            assert mother_name not in body and father_name not in body, path
    export = chair.get("/feedback/feedback.csv").get_data(as_text=True)
    lines = [row for row in csv.reader(io.StringIO(export)) if family.reference in row and row[3] == "parent"]
    assert len(lines) == 2 and all(line[4] == "" and line[-1] == "" for line in lines)
    assert mother_name not in export and father_name not in export
    assert seen_with_canary >= 1, "the chair should see the answer itself"
    assert "name not shown" in text(chair.get(review).get_data(as_text=True))
    # The SQA manager's figures still count it.
    from portal.feedback import services

    with app.app_context():
        assert services.results([family.conference_id])["welcomed"] == {3: 2, 2: 0, 1: 1}
    # The audit trail ties the mother to the conference, never to the answer.
    from portal.audit import AuditEvent

    with app.app_context():
        mother_id = db.session.scalar(select(User.id).where(User.email == family.logins["mother"]))
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "feedback.give", AuditEvent.actor_id == mother_id))
        assert event.object_kind == "conference" and event.object_id == str(family.conference_id)


def test_the_charts_render_with_the_numbers_in_the_table(app, demo, make_user):
    """A chair of their own: three conferences in two months, answers known, so each month's numbers are exact."""
    from portal.cases.models import Conference, Participant

    chair_id, chair_login, chair_password = make_user(role="chair", mfa_secret=None)
    months = {}
    for days_ago, answers in ((70, ("3", "3", "1", "2")), (68, ("3", "2", "1", "2")), (35, ("1", "3", "3", "3"))):
        family = held_family(app, days_ago=days_ago)
        with app.app_context():
            conference = db.session.get(Conference, family.conference_id)
            conference.chair_id = chair_id
            db.session.add(Participant(case_id=conference.case_id, user_id=chair_id, role="chair"))
            db.session.commit()
            months.setdefault(london_date(conference.starts_at).strftime("%Y-%m"), []).append(answers)
        post(client_for(app, family.logins["mother"]), feedback_url(family), dict(zip(ANSWERS, answers)))
    chair = app.test_client()
    from tests.conftest import sign_in

    assert sign_in(chair, chair_login, chair_password).status_code == 303
    html = chair.get("/feedback").get_data(as_text=True)
    for key in ANSWERS:
        table = re.search(rf'<table class="govuk-table app-chart-table" data-question="{key}">(.*?)</table>', html, re.S).group(1)
        table_rows = re.findall(r'data-month="([\d-]+)">\s*<th scope="row"[^>]*>[^<]+</th>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)</td>', table)
        svg = re.search(rf'<svg class="app-chart"[^>]*data-question="{key}">(.*?)</svg>', html, re.S).group(1)
        drawn = [(int(count), part) for part, count in re.findall(r'data-part="(\w+)" data-count="(\d+)"', svg)]
        # The table's numbers, month by month, are the ones drawn, in the same order.
        from_table = [(int(n), part) for _month, *numbers in table_rows for n, part in zip(numbers, ("yes", "partly", "no")) if n != "0"]
        assert drawn == from_table, key
        # And they are the answers given: each month's yes, partly and no.
        index = list(ANSWERS).index(key)
        expected = {}
        for month, answer_sets in months.items():
            values = [answers[index] for answers in answer_sets]
            expected[month] = (values.count("3"), values.count("2"), values.count("1"))
        assert {month: (int(y), int(p), int(n)) for month, y, p, n in table_rows} == expected, key
    # Filtering by who answered: the professionals' view of this chair's conferences is empty.
    assert html.count('class="app-chart"') == 4
    assert chair.get("/feedback?who=professional").get_data(as_text=True).count('class="app-chart"') == 0


def test_the_export_is_a_spreadsheet_that_never_runs_a_formula(app, demo):
    family = held_family(app)
    post(client_for(app, family.logins["father"]), feedback_url(family), {**ANSWERS, "do_better": "=HYPERLINK(\"http://x.example\")"})
    export = client_for(app, QUINN).get("/feedback/feedback.csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True))))
    assert rows[0][:5] == ["case", "conference_date", "conference_kind", "respondent", "name"]
    line = next(row for row in rows if "HYPERLINK" in "".join(row))
    assert line[rows[0].index("do_better")].startswith("'=")
    assert line[rows[0].index("welcomed")] == "yes" and line[rows[0].index("had_say")] == "no"


def test_what_the_chair_changes_reaches_the_review_preparation_page_and_the_family(app, demo):
    from portal.cases.models import Conference

    family = held_family(app, days_ago=20)
    with app.app_context():
        held = db.session.get(Conference, family.conference_id)
        review = Conference(case_id=held.case_id, kind="review", starts_at=utcnow() + timedelta(days=50), format="in_person",
                            venue_id=held.venue_id, chair_id=held.chair_id, created_by_id=held.created_by_id)
        db.session.add(review)
        db.session.commit()
        review_id = review.id
    chair = client_for(app, CHARLOTTE)
    review_page = f"/cases/{family.reference}/conferences/{family.conference_id}/feedback/review"
    changes = f"/cases/{family.reference}/conferences/{family.conference_id}/feedback/changes"
    response = post(chair, changes, {"text": ""}, from_url=review_page)
    assert response.status_code == 400 and "Enter what you will change" in response.get_data(as_text=True)
    assert post(chair, changes, {"text": "A Sylheti interpreter for the whole meeting"}, from_url=review_page).status_code == 303
    prep = chair.get(f"/cases/{family.reference}/conferences/{review_id}/pre-conference-contact").get_data(as_text=True)
    assert "A Sylheti interpreter for the whole meeting" in prep
    family_page = text(client_for(app, family.logins["mother"]).get(
        f"/cases/{family.reference}/conferences/{review_id}").get_data(as_text=True))
    assert "What changed because of your feedback" in family_page and "A Sylheti interpreter for the whole meeting" in family_page
    # Only the conference's chair records changes; the SQA manager reads them.
    assert post(client_for(app, QUINN), changes, {"text": "x"}, from_url=review_page).status_code == 404
    assert "A Sylheti interpreter" in client_for(app, QUINN).get(review_page).get_data(as_text=True)
    # The chair can take it back.
    change_id = re.search(r"/feedback/changes/(\d+)/remove", chair.get(review_page).get_data(as_text=True)).group(1)
    assert post(chair, f"/cases/{family.reference}/feedback/changes/{change_id}/remove", {}, from_url=review_page).status_code == 303
    assert "A Sylheti interpreter" not in chair.get(f"/cases/{family.reference}/conferences/{review_id}/pre-conference-contact").get_data(as_text=True)


def test_the_feedback_page_offers_the_debrief(app, demo):
    family = held_family(app)
    mother = client_for(app, family.logins["mother"])
    page = mother.get(feedback_url(family)).get_data(as_text=True)
    ask = f"/cases/{family.reference}/conferences/{family.conference_id}/support/ask/debrief"
    assert ask in page and "Ask for a talk about the conference" in page
    post(mother, feedback_url(family), ANSWERS)
    assert ask in mother.get(feedback_url(family)).get_data(as_text=True)  # offered after sending too
    assert post(mother, ask, {"with_whom": "chair", "about": "What happens next"}).status_code == 303
    assert "See your request for a talk about the conference" in mother.get(feedback_url(family)).get_data(as_text=True)
    # A professional is not offered the family's debrief.
    assert ask not in client_for(app, SALLY).get(feedback_url(family)).get_data(as_text=True)


def test_a_parent_is_asked_on_their_home_page(app, demo):
    family = held_family(app)
    mother = client_for(app, family.logins["mother"])
    home = mother.get("/home").get_data(as_text=True)
    assert "Tell us how the conference went" in home and feedback_url(family) in home
