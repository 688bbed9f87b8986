"""The child protection plan: actions must name the impact on the child; each parent's say and chosen
service reach the chair (never the other parent); the FGC family plan sits inside the plan; the midway
review is due 6 weeks after the conference; the SQA manager keeps the services directory."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from portal.db import db, utcnow
from tests.wishes.test_wishes import CHARLOTTE, SALLY, client_for, date_fields, make_family, post, text

QUINN = "quinn.quail@example.org"


def held_family(app, *, days_ago: int = 10, decision: str | None = "plan", status: str = "held"):
    """A new family (mother and father living apart) whose conference took place `days_ago` days ago."""
    from portal.cases.models import Conference

    family = make_family(app, {})
    with app.app_context():
        conference = db.session.get(Conference, family.conference_id)
        conference.starts_at = utcnow() - timedelta(days=days_ago)
        conference.status, conference.decision = status, decision
        db.session.commit()
    return family


def plan_url(family) -> str:
    return f"/cases/{family.reference}/conferences/{family.conference_id}/plan"


def action_fields(impact="Ruby is frightened when her parents shout.", action="Mona and Frank will go to a course.",
                  by_whom="Mona and Frank", due: date | None = None) -> dict:
    due = due or date.today() + timedelta(days=28)
    return {"impact": impact, "action": action, "by_whom": by_whom, "due_on": date_fields(due)}


def add_action(client, family, **fields):
    return post(client, plan_url(family) + "/actions/new", action_fields(**fields))


def say(client, family, action_id: int, data: dict):
    """Have one's say through the form: the page gives the words the person saw (`seen`)."""
    url = f"/cases/{family.reference}/plan/actions/{action_id}/your-say"
    seen = re.search(r'name="seen" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)
    return post(client, url, {"seen": seen, **data})


def actions_of(app, family):
    from portal.plans.models import PlanAction

    with app.app_context():
        return list(db.session.scalars(select(PlanAction).where(PlanAction.conference_id == family.conference_id)
                                       .order_by(PlanAction.id)))


def test_an_action_without_an_impact_on_the_child_is_refused(app, demo):
    family = held_family(app)
    sally = client_for(app, SALLY)
    response = add_action(sally, family, impact="   ")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Enter the impact on the child this action addresses" in html
    # What they typed is kept.
    assert "Mona and Frank will go to a course." in html and 'value="Mona and Frank"' in html
    assert actions_of(app, family) == []
    assert add_action(sally, family).status_code == 303
    saved = actions_of(app, family)
    assert [(a.impact, a.action, a.by_whom) for a in saved] == [("Ruby is frightened when her parents shout.",
                                                                 "Mona and Frank will go to a course.", "Mona and Frank")]
    # The chair writes actions too; a parent cannot.
    assert add_action(client_for(app, CHARLOTTE), family, action="The school will check in with Ruby each week.").status_code == 303
    assert add_action(client_for(app, family.logins["mother"]), family).status_code == 404
    assert len(actions_of(app, family)) == 2


def test_the_family_sees_the_plan_only_once_it_is_decided(app, demo):
    family = held_family(app, days_ago=0, decision=None, status="scheduled")
    from portal.cases.models import Conference

    with app.app_context():  # the conference has started: the chair and the social worker record actions during it
        conference = db.session.get(Conference, family.conference_id)
        conference.starts_at = utcnow() - timedelta(minutes=30)
        db.session.commit()
    sally, mother = client_for(app, SALLY), client_for(app, family.logins["mother"])
    assert add_action(sally, family).status_code == 303
    assert sally.get(plan_url(family)).status_code == 200
    assert mother.get(plan_url(family)).status_code == 404
    with app.app_context():
        conference = db.session.get(Conference, family.conference_id)
        conference.status, conference.decision = "held", "plan"
        db.session.commit()
    page = text(mother.get(plan_url(family)).get_data(as_text=True))
    assert "Your child protection plan" in page and "Ruby is frightened when her parents shout." in page
    # A conference that decided no plan was needed has no plan to write.
    with app.app_context():
        conference = db.session.get(Conference, family.conference_id)
        conference.decision = "no_plan"
        db.session.commit()
    assert mother.get(plan_url(family)).status_code == 404
    assert add_action(sally, family).status_code == 404


def services_by_name(app) -> dict[str, int]:
    from portal.plans.models import Service

    with app.app_context():
        return {s.name: s.id for s in db.session.scalars(select(Service).where(Service.active.is_(True)))}


def test_the_familys_choice_of_service_and_agreement_are_saved_and_shown_to_the_chair(app, demo):
    family = held_family(app)
    sally = client_for(app, SALLY)
    add_action(sally, family)
    action = actions_of(app, family)[0]
    say_url = f"/cases/{family.reference}/plan/actions/{action.id}/your-say"
    mother, father = client_for(app, family.logins["mother"]), client_for(app, family.logins["father"])
    service_id = services_by_name(app)["Parenting Together course (demo)"]
    # Agreeing with a change needs the change; disagreeing needs the reason; "none fits" needs why. Words are kept.
    response = say(mother, family, action.id, {"agreement": "agree_with_change", "comment": "", "service": str(service_id)})
    assert response.status_code == 400 and "Say what you would change" in response.get_data(as_text=True)
    response = say(father, family, action.id, {"agreement": "disagree", "comment": "", "service": "none", "no_service_why": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Say why you do not agree" in html and "Say why none of these services fits" in html
    response = say(mother, family, action.id, {"agreement": "", "comment": "Only if the group is in the evening"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Select if you agree with this action" in html
    assert "Only if the group is in the evening" in html
    # A service that is not on the list (posted by hand) is refused, the words kept.
    response = say(mother, family, action.id, {"agreement": "agree", "comment": "Only if the group is in the evening", "service": "999999"})
    assert response.status_code == 400 and "Only if the group is in the evening" in response.get_data(as_text=True)
    # Saved.
    assert say(mother, family, action.id, {"agreement": "agree_with_change", "comment": "Only if the group is in the evening",
                                           "service": str(service_id)}).status_code == 303
    assert say(father, family, action.id, {"agreement": "disagree", "comment": "I already did a course last year",
                                           "service": "none", "no_service_why": "None of them is near my work"}).status_code == 303
    from portal.plans.models import ActionResponse

    with app.app_context():
        answers = {r.participant_id: r for r in db.session.scalars(select(ActionResponse).where(ActionResponse.action_id == action.id))}
        assert answers[family.participants["mother"]].agreement == "agree_with_change"
        assert answers[family.participants["mother"]].service_id == service_id
        assert answers[family.participants["father"]].no_service_why == "None of them is near my work"
    # The chair sees both, with names.
    chair_page = text(client_for(app, CHARLOTTE).get(plan_url(family)).get_data(as_text=True))
    for expected in ("Mona Test", "I agree, if something changes", "Only if the group is in the evening",
                     "Service: Parenting Together course (demo)", "Frank Test", "I do not agree",
                     "I already did a course last year", "None of them is near my work"):
        assert expected in chair_page, expected
    # Other professionals on the case read the plan, not the family's say on it (the parent is told who reads it).
    professional = client_for(app, "priya.plover@example.org")
    with app.app_context():
        from portal.cases.models import Participant
        from portal.auth.models import User

        priya = db.session.scalar(select(User.id).where(User.email == "priya.plover@example.org"))
        db.session.add(Participant(case_id=db.session.get(Participant, family.participants["mother"]).case_id, user_id=priya,
                                   role="professional"))
        db.session.commit()
    professional_page = text(professional.get(plan_url(family)).get_data(as_text=True))
    assert "Ruby is frightened" in professional_page and "Only if the group is in the evening" not in professional_page
    assert "Mona Test" not in professional_page
    # Each parent sees their own answer only: parents may live apart.
    mother_page = text(mother.get(plan_url(family)).get_data(as_text=True))
    assert "Only if the group is in the evening" in mother_page and "I already did a course last year" not in mother_page
    assert "Frank Test" not in mother_page
    father_page = text(father.get(plan_url(family)).get_data(as_text=True))
    assert "I already did a course last year" in father_page and "Only if the group is in the evening" not in father_page
    # The change form shows the answer given, to change it.
    assert 'value="agree_with_change" checked' in mother.get(say_url).get_data(as_text=True)


def test_a_changed_action_keeps_the_familys_answer_and_says_it_was_given_before(app, demo):
    family = held_family(app)
    sally = client_for(app, SALLY)
    add_action(sally, family)
    action = actions_of(app, family)[0]
    mother = client_for(app, family.logins["mother"])
    say_url = f"/cases/{family.reference}/plan/actions/{action.id}/your-say"
    seen = re.search(r'name="seen" value="([^"]+)"', mother.get(say_url).get_data(as_text=True)).group(1)
    assert post(mother, say_url, {"seen": seen, "agreement": "agree"}).status_code == 303
    edit = f"/cases/{family.reference}/plan/actions/{action.id}"
    assert post(sally, edit, action_fields(action="Mona and Frank will go to separate courses.")).status_code == 303
    assert "The action changed after you answered. Check your answer." in text(mother.get(plan_url(family)).get_data(as_text=True))
    assert "Given before the action changed" in text(sally.get(plan_url(family)).get_data(as_text=True))
    # An answer sent from a page showing the old words is not taken as an answer to the new ones: the words are kept.
    response = post(mother, say_url, {"seen": seen, "agreement": "disagree", "comment": "Not two courses"})
    assert response.status_code == 409 and "Not two courses" in response.get_data(as_text=True)
    assert "The action changed after you answered. Check your answer." in response.get_data(as_text=True)
    assert say(mother, family, action.id, {"agreement": "agree"}).status_code == 303
    # An action the family has answered stays on the plan; one nobody has answered can be taken off.
    post(sally, edit + "/remove", {}, from_url=edit)
    assert len(actions_of(app, family)) == 1
    add_action(sally, family, action="A second action, added by mistake.")
    mistake = actions_of(app, family)[-1]
    edit = f"/cases/{family.reference}/plan/actions/{mistake.id}"
    assert post(sally, edit + "/remove", {}, from_url=edit).status_code == 303
    assert [a.id for a in actions_of(app, family)] == [action.id]


def test_the_fgc_family_plan_appears_inside_the_plan(app, demo):
    from portal.support.models import SupportRequest

    family = held_family(app)
    from portal.cases.models import Participant

    with app.app_context():
        mother = db.session.get(Participant, family.participants["mother"])
        db.session.add(SupportRequest(case_id=mother.case_id, conference_id=family.conference_id, participant_id=mother.id,
                                      kind="fgc", status="arranged", created_by_id=mother.user_id,
                                      details={"family_plan": "Auntie Jo will do the school run on Mondays.", "for_plan": True}))
        db.session.commit()
    mother_page = text(client_for(app, family.logins["mother"]).get(plan_url(family)).get_data(as_text=True))
    assert "Your family's own plan" in mother_page and "Auntie Jo will do the school run on Mondays." in mother_page
    staff_page = text(client_for(app, CHARLOTTE).get(plan_url(family)).get_data(as_text=True))
    assert "The family's plan from the family group conference" in staff_page


def test_the_midway_review_is_due_6_weeks_after_the_conference(app, demo):
    from portal.cases import rules
    from portal.cases.models import Conference
    from portal.plans import services
    from portal.timeline import RuleState, london_date

    # 44 days, not 43: late in the evening, 43 days back in UTC can fall on the next London date (the clocks
    # changed in between), and the review would then be due today rather than overdue.
    family = held_family(app, days_ago=44)
    with app.app_context():
        conference = db.session.get(Conference, family.conference_id)
        day = london_date(conference.starts_at)
        assert services.midway_due_on(conference) == day + timedelta(weeks=6)
        midway = next(s for s in rules.rule_statuses(conference, london_date(utcnow())) if s.rule == "midway_review")
        assert midway.deadline == day + timedelta(days=42) and midway.state == RuleState.OVERDUE
        # The first review conference is due within 3 months of an initial one; none is booked yet.
        review = services.review_conference(conference)
        assert review.booked is None and review.due_by > day
    sally = client_for(app, SALLY)
    add_action(sally, family)
    action = actions_of(app, family)[0]
    midway_url = plan_url(family) + "/midway-review"
    # Only the social worker records it; every action needs its progress.
    assert client_for(app, CHARLOTTE).get(midway_url).status_code == 404
    for bad in (date.today() + timedelta(days=1), day - timedelta(days=1)):
        response = post(sally, midway_url, {"held_on": date_fields(bad), f"progress_{action.id}": "on_track", f"note_{action.id}": "x"})
        assert response.status_code == 400, bad
    response = post(sally, midway_url, {"held_on": date_fields(date.today()), f"note_{action.id}": "Mona went to the first session."})
    assert response.status_code == 400 and "Select how this action is going" in response.get_data(as_text=True)
    assert "Mona went to the first session." in response.get_data(as_text=True)
    assert post(sally, midway_url, {"held_on": date_fields(date.today()), f"progress_{action.id}": "on_track",
                                    f"note_{action.id}": "Mona went to the first session."}).status_code == 303
    with app.app_context():
        conference = db.session.get(Conference, family.conference_id)
        midway = next(s for s in rules.rule_statuses(conference, london_date(utcnow())) if s.rule == "midway_review")
        assert midway.done_on == date.today() and midway.state == RuleState.DONE_LATE
    # The family sees the progress.
    page = text(client_for(app, family.logins["mother"]).get(plan_url(family)).get_data(as_text=True))
    assert "How it is going" in page and "On track" in page and "Mona went to the first session." in page


def test_the_sqa_manager_keeps_the_services_directory(app, demo):
    quinn = client_for(app, QUINN)
    response = post(quinn, "/services/new", {"name": "Dads Matter (test)", "offers": "", "contact": "020 7946 0999",
                                             "active": "y"})
    assert response.status_code == 400 and "Enter what the service offers" in response.get_data(as_text=True)
    assert 'value="Dads Matter (test)"' in response.get_data(as_text=True)
    assert post(quinn, "/services/new", {"name": "Dads Matter (test)", "offers": "A group for fathers.", "languages": "English, Somali",
                                         "contact": "020 7946 0999", "active": "y"}).status_code == 303
    service_id = services_by_name(app)["Dads Matter (test)"]
    family = held_family(app)
    add_action(client_for(app, SALLY), family)
    say_url = f"/cases/{family.reference}/plan/actions/{actions_of(app, family)[0].id}/your-say"
    father = client_for(app, family.logins["father"])
    assert "Dads Matter (test)" in father.get(say_url).get_data(as_text=True)
    # Taken off the list: families no longer see it.
    assert post(quinn, f"/services/{service_id}", {"name": "Dads Matter (test)", "offers": "A group for fathers.",
                                                   "contact": "020 7946 0999"}).status_code == 303
    assert "Dads Matter (test)" not in father.get(say_url).get_data(as_text=True)
    # Chairs and social workers read the list; they do not change it.
    chair = client_for(app, CHARLOTTE)
    assert chair.get("/services").status_code == 200 and chair.get("/services/new").status_code == 404
    assert re.search(r"Dads Matter", chair.get("/services").get_data(as_text=True)) is None


def test_every_read_of_a_plan_is_audited(app, demo):
    from portal.audit import AuditEvent

    family = held_family(app)
    mother = client_for(app, family.logins["mother"])
    with app.app_context():
        before = db.session.scalar(select(db.func.count(AuditEvent.id)).where(AuditEvent.action == "plan.read",
                                                                               AuditEvent.object_id == str(family.conference_id)))
    mother.get(plan_url(family))
    with app.app_context():
        after = db.session.scalar(select(db.func.count(AuditEvent.id)).where(AuditEvent.action == "plan.read",
                                                                              AuditEvent.object_id == str(family.conference_id)))
    assert after == before + 1


def test_a_later_conference_ends_the_plan(app, demo):
    """When a review decides no plan is needed, the old plan is read only: no say, no new actions, no task."""
    from portal.cases.models import Conference

    family = held_family(app, days_ago=100)
    sally = client_for(app, SALLY)
    add_action(sally, family)
    action = actions_of(app, family)[0]
    mother = client_for(app, family.logins["mother"])
    assert "Read your plan and have your say" in mother.get("/home").get_data(as_text=True)
    with app.app_context():
        held = db.session.get(Conference, family.conference_id)
        db.session.add(Conference(case_id=held.case_id, kind="review", starts_at=utcnow() - timedelta(days=5), format="in_person",
                                  venue_id=held.venue_id, chair_id=held.chair_id, created_by_id=held.created_by_id,
                                  status="held", decision="no_plan"))
        db.session.commit()
    assert "Read your plan and have your say" not in mother.get("/home").get_data(as_text=True)
    assert mother.get(f"/cases/{family.reference}/plan/actions/{action.id}/your-say").status_code == 404
    assert add_action(sally, family).status_code == 404
    assert mother.get(plan_url(family)).status_code == 200  # still readable
