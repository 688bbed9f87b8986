"""Young people: the age rules on the conference date, the consent path for advocacy, who sees each
part of a young person's wishes (crawled as both parents), advocates writing for a child, the
extra-familial risk conference, and child-friendly feedback."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.db import db, utcnow
from tests.conftest import DEMO_PASSWORD, csrf_token_from, sign_in
from tests.test_crawl import crawl

SALLY, CHARLOTTE = "sally.sparrow@example.org", "charlotte.chaffinch@example.org"
_numbers = itertools.count(1)


def years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years) if not (day.month == 2 and day.day == 29) else day.replace(year=day.year - years, day=28)


@dataclass
class Family:
    reference: str
    conference_id: int
    day: date
    children: dict  # first name -> child id
    logins: dict  # "mother", "father", child first name, "advocate" -> login
    participants: dict  # same keys -> participant id


def make_family(app, birthdays: dict[str, date], *, kind: str = "review", advocate: bool = False,
                accounts_for: tuple[str, ...] | None = None) -> Family:
    """A new case with a mother and a father (living apart), children born on the given dates (each with a
    young person's account unless left out), and one conference in 30 days, chaired by Charlotte."""
    from portal.auth.models import User
    from portal.auth.passwords import hash_password
    from portal.cases.models import Case, Child, Conference, Participant, Venue

    n = next(_numbers)
    with app.app_context():
        sally = db.session.scalar(select(User).where(User.email == SALLY))
        chair = db.session.scalar(select(User).where(User.email == CHARLOTTE))
        case = Case()
        db.session.add(case)
        db.session.flush()
        starts_at = utcnow() + timedelta(days=30)
        conference = Conference(case_id=case.id, kind=kind, starts_at=starts_at, format="in_person",
                                venue_id=db.session.scalar(select(Venue.id).where(Venue.council_office.is_(True)).limit(1)),
                                chair_id=chair.id, created_by_id=sally.id)
        db.session.add(conference)
        db.session.add_all([Participant(case_id=case.id, user_id=sally.id, role="social_worker"),
                            Participant(case_id=case.id, user_id=chair.id, role="chair")])
        password = hash_password(DEMO_PASSWORD)
        logins, participants, children = {}, {}, {}

        def person(key, role, name, child_id=None, **login):
            user = User(role=role, name=name, password_hash=password, preferred_language="en", **login)
            db.session.add(user)
            db.session.flush()
            participant = Participant(case_id=case.id, user_id=user.id, role=role, child_id=child_id,
                                      relationship_to_child={"mother": "Mother", "father": "Father"}.get(key))
            db.session.add(participant)
            db.session.flush()
            logins[key] = login.get("email") or login.get("username")
            participants[key] = participant.id

        person("mother", "parent", f"Mona Test{n}", email=f"mona{n}@example.org")
        person("father", "parent", f"Frank Test{n}", email=f"frank{n}@example.org")
        for first_name, born in birthdays.items():
            child = Child(case_id=case.id, first_name=first_name, last_name=f"Test{n}", date_of_birth=born)
            db.session.add(child)
            db.session.flush()
            children[first_name] = child.id
            if accounts_for is None or first_name in accounts_for:
                person(first_name, "young_person", f"{first_name} Test{n}", child_id=child.id,
                       username=f"{first_name.lower()}.test{n}")
        if advocate:
            person("advocate", "advocate", f"Avery Advocate{n}", email=f"avery{n}@example.org")
        db.session.commit()
        from portal.timeline import london_date

        return Family(case.reference, conference.id, london_date(starts_at), children, logins, participants)


def family_with_ages(app, ages: dict[str, tuple[int, int]], **kwargs) -> Family:
    """Children aged `years` on the conference day, give or take `days` around that birthday
    (0: the birthday is the conference day; 1: it is the day after)."""
    from portal.timeline import london_date

    day = london_date(utcnow() + timedelta(days=30))
    return make_family(app, {name: years_before(day, years) + timedelta(days=days) for name, (years, days) in ages.items()},
                       **kwargs)


def client_for(app, login):
    client = app.test_client()
    assert sign_in(client, login).status_code == 303, login
    return client


def post(client, url: str, data: dict, from_url: str | None = None):
    return client.post(url, data={"csrf_token": csrf_token_from(client, from_url or url), **data})


def text(html: str) -> str:
    """The page's words without markup (names are wrapped in <bdi>)."""
    return re.sub(r"<[^>]+>", "", html)


def date_fields(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


# --- the age rules, on the conference date ------------------------------------------------------

def test_age_rules_are_worked_out_on_the_conference_date(app, demo):
    family = family_with_ages(app, {"Five": (5, 0), "Almostfive": (5, 1), "Fourteen": (14, 0), "Almostfourteen": (14, 1),
                                    "Sixteen": (16, 0), "Almostsixteen": (16, 1)})
    from portal.cases.models import Child, Conference
    from portal.wishes import services

    with app.app_context():
        conference = db.session.get(Conference, family.conference_id)
        day = services.rules_day(conference.case_id)
        assert day == family.day
        ages = {name: services.age_at(db.session.get(Child, child_id), day) for name, child_id in family.children.items()}
        assert ages == {"Five": 5, "Almostfive": 4, "Fourteen": 14, "Almostfourteen": 13, "Sixteen": 16, "Almostsixteen": 15}
        # Every child from 5 must have an advocacy offer: the one turning 5 on the day counts, the day after does not.
        missing = services.missing_offers([conference])[conference.id]
        assert "Five" in missing and "Almostfive" not in missing
    # The chair's dashboard shows the missing offers by name.
    chair = client_for(app, CHARLOTTE)
    row = chair.get("/cases").get_data(as_text=True)
    row = row[row.index(f"/conferences/{family.conference_id}\""):]
    row = row[:row.index("</tr>")]
    assert "No advocacy offer recorded for" in row and "Five" in row and "Almostfive" not in row
    # From 14 (on the day) a young person is asked whether they need a plan; at 13 they are not.
    for name, expected in (("Fourteen", 200), ("Almostfourteen", 404)):
        young = client_for(app, family.logins[name])
        start = f"/cases/{family.reference}/conferences/{family.conference_id}/children/{family.children[name]}/wishes"
        started = post(young, start, {})
        assert started.status_code == 303
        wishes_url = started.headers["Location"]
        saved = post(young, wishes_url, {"worries": "", "good_things": "Football", "dreams": "", "meeting_should_know": "",
                                         "who_there": "", "revision": "0"})
        assert saved.status_code == 303
        assert saved.headers["Location"].endswith("/need-a-plan" if expected == 200 else "/who-can-see")
        assert young.get(wishes_url + "/need-a-plan").status_code == expected
    # Simpler words for 5 to 10 on their own pages.
    five = client_for(app, family.logins["Five"])
    page = five.get(f"/cases/{family.reference}/conferences/{family.conference_id}/children/{family.children['Five']}/wishes")
    assert "What you think and feel" in page.get_data(as_text=True) and "app-younger" in page.get_data(as_text=True)


# --- advocacy for children: consent by age -------------------------------------------------------

def advocacy_url(family: Family, name: str, rest: str = "") -> str:
    return f"/cases/{family.reference}/children/{family.children[name]}/advocacy{rest}"


def offer(sally, family: Family, name: str):
    today = date.today()
    response = post(sally, advocacy_url(family, name, "/offer"), {"offered_on": date_fields(today), "response": "accepted"})
    assert response.status_code == 303


def with_advocate(sally, family: Family, name: str):
    """Offer, the mother's consent recorded by the social worker, and the family's advocate allocated; the response."""
    offer(sally, family, name)
    post(sally, advocacy_url(family, name, "/record-consent"), {"who": str(family.participants["mother"]), "answer": "given",
                                                                "consent_on": date_fields(date.today())})
    return allocate(sally, family, name)


def allocate(sally, family: Family, name: str):
    return post(sally, advocacy_url(family, name, "/advocate"), {"advocate": str(family.participants["advocate"])},
                from_url=advocacy_url(family, name))


def test_a_fifteen_year_old_needs_a_parent_to_consent(app, demo, outbox):
    family = family_with_ages(app, {"Jo": (16, 1)}, advocate=True)  # 15 on the day: 16 the day after
    sally, jo, mona = client_for(app, SALLY), client_for(app, family.logins["Jo"]), client_for(app, family.logins["mother"])
    offer(sally, family, "Jo")
    assert "Waiting for consent" in sally.get(advocacy_url(family, "Jo")).get_data(as_text=True)
    # Jo cannot consent for herself, and her own "yes" does not let the referral happen.
    assert jo.get(advocacy_url(family, "Jo", "/consent")).status_code == 404
    assert sally.get(advocacy_url(family, "Jo", "/advocate")).status_code == 303  # not ready: back to the summary
    # The social worker cannot record Jo's own consent either: only parents (or another person with parental responsibility).
    page = sally.get(advocacy_url(family, "Jo", "/record-consent")).get_data(as_text=True)
    assert f"value=\"{family.participants['Jo']}\"" not in page and f"value=\"{family.participants['mother']}\"" in page
    # The mother is asked on her home page and consents in the portal.
    assert "An advocate for Jo: do you agree?" in text(mona.get("/home").get_data(as_text=True))
    assert post(mona, advocacy_url(family, "Jo", "/consent"), {"answer": "given"}).status_code == 303
    assert "An advocate for Jo: do you agree?" not in text(mona.get("/home").get_data(as_text=True))
    summary = sally.get(advocacy_url(family, "Jo")).get_data(as_text=True)
    assert "Ready to refer" in summary and "Mona Test" in summary
    assert allocate(sally, family, "Jo").status_code == 303
    assert "Advocate allocated" in sally.get(advocacy_url(family, "Jo")).get_data(as_text=True)
    assert "Avery Advocate" in jo.get(f"/cases/{family.reference}/my-advocate").get_data(as_text=True)


def test_a_sixteen_year_old_consents_for_themselves(app, demo, outbox):
    family = family_with_ages(app, {"Kit": (16, 0)}, advocate=True)  # 16 on the conference day
    sally, kit, mona = client_for(app, SALLY), client_for(app, family.logins["Kit"]), client_for(app, family.logins["mother"])
    # A parent's consent does not stand for a 16-year-old.
    offer(sally, family, "Kit")
    assert mona.get(advocacy_url(family, "Kit", "/consent")).status_code == 404
    assert "An advocate for Kit" not in text(mona.get("/home").get_data(as_text=True))
    from portal.cases.models import Child, Participant
    from portal.wishes import services

    with app.app_context():
        # Consent a parent gave while Kit was 15 (the conference was then earlier) does not stand now he is 16.
        child = db.session.get(Child, family.children["Kit"])
        advocacy = services.advocacy_of(child)
        advocacy.consent, advocacy.consent_by_kind = "given", services.ConsentBy.PARENT
        advocacy.consent_by_participant_id = family.participants["mother"]
        db.session.commit()
        assert services.advocacy_status(services.advocacy_of(child), 16) == services.AdvocacyStatus.AWAITING_CONSENT
        with pytest.raises(services.NoConsent):
            services.allocate(child, db.session.get(Participant, family.participants["mother"]).user,
                              db.session.get(Participant, family.participants["advocate"]))
    # The social worker cannot record anyone else's consent for him: whoever is posted, it is Kit's own answer.
    page = sally.get(advocacy_url(family, "Kit", "/record-consent")).get_data(as_text=True)
    assert f'value="{family.participants["Kit"]}"' in page and f'value="{family.participants["mother"]}"' not in page
    assert 'value="other"' not in page
    # Kit answers for himself, in the portal.
    assert "Say if you agree" in kit.get(f"/cases/{family.reference}/my-advocate").get_data(as_text=True)
    assert post(kit, advocacy_url(family, "Kit", "/consent"), {"answer": "given"}).status_code == 303
    assert "Ready to refer" in sally.get(advocacy_url(family, "Kit")).get_data(as_text=True)
    assert allocate(sally, family, "Kit").status_code == 303


def test_a_young_person_asks_for_an_advocate_which_starts_the_right_path(app, demo, outbox):
    family = family_with_ages(app, {"Lee": (12, 0), "Max": (17, 0)}, advocate=True)
    lee, max_, mona = (client_for(app, family.logins[k]) for k in ("Lee", "Max", "mother"))
    outbox.clear()
    assert post(lee, f"/cases/{family.reference}/my-advocate", {}).status_code == 303
    page = lee.get(f"/cases/{family.reference}/my-advocate").get_data(as_text=True)
    assert "a parent or carer needs to agree first" in page
    # The social worker and both parents are told in neutral words; the mother is asked on her home page.
    assert {m.to for m in outbox} >= {SALLY, family.logins["mother"], family.logins["father"]}
    assert all("Lee" not in m.body and "advocate" not in m.body.lower() for m in outbox)
    assert "An advocate for Lee: do you agree?" in text(mona.get("/home").get_data(as_text=True))
    # At 17, asking is consenting: ready for the social worker to refer.
    assert post(max_, f"/cases/{family.reference}/my-advocate", {}).status_code == 303
    assert "Ready to refer" in client_for(app, SALLY).get(advocacy_url(family, "Max")).get_data(as_text=True)


def test_the_social_worker_records_consent_from_another_person_with_parental_responsibility(app, demo):
    family = family_with_ages(app, {"Ash": (9, 0)}, advocate=True, accounts_for=())
    sally = client_for(app, SALLY)
    offer(sally, family, "Ash")
    url = advocacy_url(family, "Ash", "/record-consent")
    missing = post(sally, url, {"who": "other", "other_name": "", "answer": "given", "consent_on": date_fields(date.today())})
    assert missing.status_code == 400 and "Enter the name of the person with parental responsibility" in missing.get_data(as_text=True)
    bad = post(sally, url, {"who": "other", "other_name": "<b>Aunt</b>", "answer": "given", "consent_on": ["31", "2", "2026"]})
    body = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "&lt;b&gt;Aunt&lt;/b&gt;" in body and "must be a real date" in body
    assert post(sally, url, {"who": "other", "other_name": "Agnes Aunt", "answer": "given",
                             "consent_on": date_fields(date.today())}).status_code == 303
    assert "Agnes Aunt" in sally.get(advocacy_url(family, "Ash")).get_data(as_text=True)
    assert allocate(sally, family, "Ash").status_code == 303


# --- who sees what ---------------------------------------------------------------------------------

HIDDEN = "hidden-worry-7f3a"
FOR_MUM = "good-things-for-mum-2b9c"
FOR_NOBODY_ELSE = "dream-for-chair-only-91d0"


def test_a_part_hidden_from_parents_is_on_none_of_their_pages(app, demo, outbox):
    family = family_with_ages(app, {"Rae": (15, 0)})
    rae = client_for(app, family.logins["Rae"])
    start = f"/cases/{family.reference}/conferences/{family.conference_id}/children/{family.children['Rae']}/wishes"
    intro = rae.get(start).get_data(as_text=True)
    assert "the adults who read this must act to keep you safe" in intro and "chair of the meeting and your social worker" in intro
    wishes_url = post(rae, start, {}).headers["Location"]
    post(rae, wishes_url, {"worries": HIDDEN, "good_things": FOR_MUM, "dreams": FOR_NOBODY_ELSE, "meeting_should_know": "",
                           "who_there": "", "revision": "0"})
    post(rae, wishes_url + "/need-a-plan", {"need_plan": "not_sure", "need_plan_why": "because-7c1", "revision": "1"})
    mother = family.participants["mother"]
    post(rae, wishes_url + "/who-can-see", {"good_things": str(mother)})
    # Nothing is shown to anyone but Rae before she shares.
    mona, frank, chair = (client_for(app, login) for login in (family.logins["mother"], family.logins["father"], CHARLOTTE))
    wishes_id = int(re.search(r"/wishes/(\d+)", wishes_url).group(1))
    assert mona.get(f"/cases/{family.reference}/wishes/{wishes_id}/read").status_code == 404
    assert chair.get(f"/cases/{family.reference}/wishes/{wishes_id}/read").status_code == 404
    assert post(rae, wishes_url + "/check", {}).status_code == 303
    # The chair and the social worker see every part, and the chair sees the plan answer on the conference page.
    chair_page = chair.get(f"/cases/{family.reference}/wishes/{wishes_id}/read").get_data(as_text=True)
    assert HIDDEN in chair_page and FOR_MUM in chair_page and FOR_NOBODY_ELSE in chair_page
    conference_page = chair.get(f"/cases/{family.reference}/conferences/{family.conference_id}").get_data(as_text=True)
    assert "Does Rae feel they need a plan?" in text(conference_page) and "I am not sure" in conference_page
    # Crawl every page each parent reaches: the hidden parts are on none of them.
    for client, sees_mums_part in ((mona, True), (frank, False)):
        pages = crawl(client)
        assert any("/wishes/" in path for path in pages) == sees_mums_part
        texts = "".join(client.get(path).get_data(as_text=True) for path in pages)
        assert HIDDEN not in texts and FOR_NOBODY_ELSE not in texts and "because-7c1" not in texts
        assert (FOR_MUM in texts) == sees_mums_part
    # Nor in any message sent.
    assert all(HIDDEN not in m.body + m.subject and FOR_MUM not in m.body for m in outbox)
    # Rae changes her mind before the conference: the mother no longer sees it.
    post(rae, wishes_url + "/who-can-see", {})
    assert mona.get(f"/cases/{family.reference}/wishes/{wishes_id}/read").status_code == 404
    assert FOR_MUM not in "".join(mona.get(path).get_data(as_text=True) for path in crawl(mona))


def test_two_writers_never_overwrite_each_other(app, demo):
    family = family_with_ages(app, {"Sky": (13, 0)})
    sky = client_for(app, family.logins["Sky"])
    start = f"/cases/{family.reference}/conferences/{family.conference_id}/children/{family.children['Sky']}/wishes"
    wishes_url = post(sky, start, {}).headers["Location"]
    fields = {"worries": "", "dreams": "", "meeting_should_know": "", "who_there": ""}
    assert post(sky, wishes_url, {**fields, "good_things": "first tab", "revision": "0"}).status_code == 303
    stale = post(sky, wishes_url, {**fields, "good_things": "second tab", "revision": "0"})
    body = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "second tab" in body and "first tab" in body
    # Too long: a message, and the words kept.
    long_text = "word " * 1001
    too_long = post(sky, wishes_url, {**fields, "good_things": long_text, "revision": "1"})
    assert too_long.status_code == 400 and "5,000 characters or fewer" in too_long.get_data(as_text=True)
    assert long_text.strip() in too_long.get_data(as_text=True)
    # Autosave (htmx) saves and hands back the new revision.
    token = csrf_token_from(sky, wishes_url)
    saved = sky.post(wishes_url + "/autosave", headers={"HX-Request": "true"},
                     data={"csrf_token": token, **fields, "good_things": "autosaved", "revision": "1"})
    assert "Saved at" in saved.get_data(as_text=True) and 'value="2"' in saved.get_data(as_text=True)


def test_an_advocate_writes_for_a_child_without_an_account_and_speaks_for_them(app, demo):
    family = family_with_ages(app, {"Ivy": (7, 0)}, advocate=True, accounts_for=())
    sally = client_for(app, SALLY)
    assert with_advocate(sally, family, "Ivy").status_code == 303
    avery = client_for(app, family.logins["advocate"])
    conference_page = avery.get(f"/cases/{family.reference}/conferences/{family.conference_id}").get_data(as_text=True)
    assert "Write the wishes and feelings of Ivy" in text(conference_page)
    start = f"/cases/{family.reference}/conferences/{family.conference_id}/children/{family.children['Ivy']}/wishes"
    wishes_url = post(avery, start, {}).headers["Location"]
    post(avery, wishes_url, {"worries": "", "good_things": "Ivy loves her cat", "dreams": "", "meeting_should_know": "",
                             "who_there": "", "revision": "0"})
    # An advocate sharing for a child says how: written for them, or speaking for them.
    unsaid = post(avery, wishes_url + "/check", {})
    assert unsaid.status_code == 400 and "Select how the conference should see" in unsaid.get_data(as_text=True)
    assert post(avery, wishes_url + "/check", {"written_by": "advocate_speaking"}).status_code == 303
    chair_page = client_for(app, CHARLOTTE).get(f"/cases/{family.reference}/conferences/{family.conference_id}").get_data(as_text=True)
    assert "speaking for Ivy" in text(chair_page)
    # Another case's advocate (Ada) cannot reach it.
    assert client_for(app, "ada.avocet@example.org").get(wishes_url + "/read").status_code == 404


def test_an_advocate_helping_a_young_person_sees_only_the_parts_they_are_let_see(app, demo):
    family = family_with_ages(app, {"Zed": (14, 0)}, advocate=True)
    sally = client_for(app, SALLY)
    with_advocate(sally, family, "Zed")
    zed, avery = client_for(app, family.logins["Zed"]), client_for(app, family.logins["advocate"])
    start = f"/cases/{family.reference}/conferences/{family.conference_id}/children/{family.children['Zed']}/wishes"
    wishes_url = post(zed, start, {}).headers["Location"]
    post(zed, wishes_url, {"worries": "zed-private-4e1", "good_things": "zed-for-avery-8a2", "dreams": "", "meeting_should_know": "",
                           "who_there": "", "revision": "0"})
    assert avery.get(wishes_url).status_code == 404  # nothing shared with the advocate yet
    post(zed, wishes_url + "/who-can-see", {"good_things": str(family.participants["advocate"])})
    page = avery.get(wishes_url).get_data(as_text=True)
    assert "zed-for-avery-8a2" in page and "zed-private-4e1" not in page and 'name="worries"' not in page
    # The advocate's save cannot touch a part they do not see.
    post(avery, wishes_url, {"worries": "overwritten", "good_things": "zed-for-avery-8a2 and more", "revision": "1"})
    from portal.wishes.models import Wishes

    with app.app_context():
        wishes = db.session.get(Wishes, int(re.search(r"/wishes/(\d+)", wishes_url).group(1)))
        assert wishes.worries == "zed-private-4e1" and wishes.good_things == "zed-for-avery-8a2 and more"
    # Only the young person chooses who sees and shares.
    assert avery.get(wishes_url + "/who-can-see").status_code == 404
    assert avery.get(wishes_url + "/check").status_code == 404


# --- extra-familial risk conferences ----------------------------------------------------------------

def test_an_extra_familial_risk_conference_suggests_its_agencies_and_puts_the_young_persons_views_first(app, demo):
    family = family_with_ages(app, {"Remy": (15, 0)}, kind="extra_familial")
    chair = client_for(app, CHARLOTTE)
    contact_url = f"/cases/{family.reference}/conferences/{family.conference_id}/pre-conference-contact"
    page = chair.get(contact_url).get_data(as_text=True)
    for agency in ("youth_justice", "school", "youth_service", "police", "community_safety"):
        assert re.search(rf'value="{agency}"[^>]*checked', page), agency
    assert not re.search(r'value="health"[^>]*checked', page)
    # The young person is ticked; the parents are not (the chair adds them where they help).
    assert re.search(rf'value="{family.participants["Remy"]}"[^>]*checked', page)
    assert not re.search(rf'value="{family.participants["mother"]}"[^>]*checked', page)
    saved = post(chair, contact_url, {"contacted_on": date_fields(date.today()), "contacted_whom": "Remy",
                                      "attendees": [str(family.participants["Remy"])], "agencies": ["police", "youth_justice"],
                                      "other_attendees": ""})
    assert saved.status_code == 303
    remy = client_for(app, family.logins["Remy"])
    conference_page = remy.get(f"/cases/{family.reference}/conferences/{family.conference_id}").get_data(as_text=True)
    assert "Someone from: Police" in conference_page and "Someone from: Youth justice service" in conference_page
    staff_page = chair.get(f"/cases/{family.reference}/conferences/{family.conference_id}").get_data(as_text=True)
    assert staff_page.index('id="wishes"') < staff_page.index('id="reports"')
    # A family-centred conference starts from the family and keeps the reports first.
    icpc = family_with_ages(app, {"Tam": (15, 0)}, kind="icpc")
    page = chair.get(f"/cases/{icpc.reference}/conferences/{icpc.conference_id}/pre-conference-contact").get_data(as_text=True)
    assert re.search(rf'value="{icpc.participants["mother"]}"[^>]*checked', page)
    assert not re.search(r'value="police"[^>]*checked', page)
    staff_page = chair.get(f"/cases/{icpc.reference}/conferences/{icpc.conference_id}").get_data(as_text=True)
    assert staff_page.index('id="reports"') < staff_page.index('id="wishes"')


# --- child-friendly feedback --------------------------------------------------------------------------

def test_child_friendly_feedback_is_given_once_and_counted_with_everyones(app, demo):
    family = family_with_ages(app, {"Bo": (8, 0)})
    from portal.cases.models import Conference
    from portal.feedback import services as feedback

    with app.app_context():
        conference = db.session.get(Conference, family.conference_id)
        conference.status, conference.starts_at = "held", utcnow() - timedelta(days=1)
        db.session.commit()
        before = feedback.results([family.conference_id])
    bo = client_for(app, family.logins["Bo"])
    home = bo.get("/home").get_data(as_text=True)
    assert "Tell us how the meeting went" in home
    url = f"/cases/{family.reference}/conferences/{family.conference_id}/feedback/young-person"
    missing = post(bo, url, {"welcomed": "3", "do_better": "more-snacks-3c2"})
    body = missing.get_data(as_text=True)
    assert missing.status_code == 400 and "Choose a face for this question" in body and "more-snacks-3c2" in body
    assert post(bo, url, {"welcomed": "3", "about_child": "2", "understood_reports": "1", "had_say": "3",
                          "do_better": "more-snacks-3c2"}).status_code == 303
    assert post(bo, url, {"welcomed": "1", "about_child": "1", "understood_reports": "1", "had_say": "1"}).status_code == 200
    assert "Thank you" in bo.get(url).get_data(as_text=True)
    with app.app_context():
        after = feedback.results([family.conference_id])
    assert after["welcomed"][3] == before["welcomed"][3] + 1 and after["understood_reports"][1] == before["understood_reports"][1] + 1
    assert sum(after["welcomed"].values()) == 1


def test_a_sixteen_year_old_without_an_account_consents_through_the_social_worker(app, demo):
    family = family_with_ages(app, {"Uma": (17, 0)}, advocate=True, accounts_for=())
    sally = client_for(app, SALLY)
    offer(sally, family, "Uma")
    url = advocacy_url(family, "Uma", "/record-consent")
    page = sally.get(url).get_data(as_text=True)
    assert 'value="self"' in page and 'value="other"' not in page
    # Someone else's name posted anyway is not recorded as Uma's consent.
    assert post(sally, url, {"who": "self", "other_name": "Mum Someone", "answer": "given",
                             "consent_on": date_fields(date.today())}).status_code == 303
    summary = text(sally.get(advocacy_url(family, "Uma")).get_data(as_text=True))
    assert "Ready to refer" in summary and "Mum Someone" not in summary and "Uma" in summary
    assert allocate(sally, family, "Uma").status_code == 303


def test_the_first_parents_answer_stands(app, demo):
    family = family_with_ages(app, {"Vi": (10, 0)}, advocate=True)
    sally, mona, frank = (client_for(app, login) for login in (SALLY, family.logins["mother"], family.logins["father"]))
    offer(sally, family, "Vi")
    assert post(mona, advocacy_url(family, "Vi", "/consent"), {"answer": "given"}).status_code == 303
    assert frank.get(advocacy_url(family, "Vi", "/consent")).status_code == 404
    assert post(frank, advocacy_url(family, "Vi", "/consent"), {"answer": "refused"}).status_code == 404
    assert "Ready to refer" in sally.get(advocacy_url(family, "Vi")).get_data(as_text=True)


def test_an_advocate_cannot_take_over_a_young_persons_own_wishes(app, demo):
    family = family_with_ages(app, {"Wyn": (14, 0)}, advocate=True)
    sally = client_for(app, SALLY)
    with_advocate(sally, family, "Wyn")
    avery, wyn = client_for(app, family.logins["advocate"]), client_for(app, family.logins["Wyn"])
    start = f"/cases/{family.reference}/conferences/{family.conference_id}/children/{family.children['Wyn']}/wishes"
    # Wyn has an account: Wyn starts, not the advocate (and the advocate is not offered a dead end).
    assert post(avery, start, {}).status_code == 404
    assert "Write the wishes and feelings of Wyn" not in text(
        avery.get(f"/cases/{family.reference}/conferences/{family.conference_id}").get_data(as_text=True))
    wishes_url = post(wyn, start, {}).headers["Location"]
    post(wyn, wishes_url, {"worries": "wyn-own-1", "good_things": "wyn-shared-2", "dreams": "wyn-dream-3",
                           "meeting_should_know": "", "who_there": "", "revision": "0"})
    post(wyn, wishes_url + "/need-a-plan", {"need_plan": "yes", "revision": "1"})
    post(wyn, wishes_url + "/who-can-see", {"good_things": str(family.participants["advocate"]),
                                            "need_plan": str(family.participants["advocate"])})
    assert "Help with what they have written" in avery.get(start).get_data(as_text=True)
    # The advocate's page has only the good things; Wyn then lets them see the dreams too. The advocate's
    # next save (from the page loaded before) leaves the dreams as Wyn wrote them.
    avery_page = avery.get(wishes_url).get_data(as_text=True)
    assert 'name="good_things"' in avery_page and 'name="dreams"' not in avery_page
    post(wyn, wishes_url + "/who-can-see", {"good_things": str(family.participants["advocate"]),
                                            "dreams": str(family.participants["advocate"])})
    revision = re.search(r'name="revision" type="hidden" value="(\d+)"', avery_page).group(1)
    assert post(avery, wishes_url, {"good_things": "wyn-shared-2, with help", "revision": revision}).status_code == 303
    # The advocate never answers "Do you feel you need a plan?" for a young person who answers for themselves.
    assert avery.get(wishes_url + "/need-a-plan").status_code == 404
    from portal.wishes.models import Wishes

    with app.app_context():
        wishes = db.session.get(Wishes, int(re.search(r"/wishes/(\d+)", wishes_url).group(1)))
        assert (wishes.worries, wishes.good_things, wishes.dreams, wishes.need_plan) == (
            "wyn-own-1", "wyn-shared-2, with help", "wyn-dream-3", "yes")


@pytest.mark.parametrize("revision", ["²", "9" * 40, "-1", "abc", ""])
def test_an_odd_revision_is_a_conflict_never_a_crash(app, demo, revision):
    family = family_with_ages(app, {"Xan": (12, 0)})
    xan = client_for(app, family.logins["Xan"])
    start = f"/cases/{family.reference}/conferences/{family.conference_id}/children/{family.children['Xan']}/wishes"
    wishes_url = post(xan, start, {}).headers["Location"]
    post(xan, wishes_url, {"good_things": "first", "revision": "0"})
    response = post(xan, wishes_url, {"good_things": "second", "revision": revision})
    assert response.status_code == 409 and "second" in response.get_data(as_text=True)


def test_a_parent_kept_from_the_other_parents_details_cannot_be_chosen(app, demo):
    family = family_with_ages(app, {"Yas": (13, 0)})
    from portal.cases.models import ContactRestriction

    with app.app_context():
        db.session.add(ContactRestriction(case_id=_case_id(family), protected_id=family.participants["mother"],
                                          hidden_from_id=family.participants["father"]))
        db.session.commit()
    yas = client_for(app, family.logins["Yas"])
    start = f"/cases/{family.reference}/conferences/{family.conference_id}/children/{family.children['Yas']}/wishes"
    wishes_url = post(yas, start, {}).headers["Location"]
    post(yas, wishes_url, {"who_there": "yas-who-5d1", "revision": "0"})
    page = yas.get(wishes_url + "/who-can-see").get_data(as_text=True)
    assert f'value="{family.participants["mother"]}"' in page and f'value="{family.participants["father"]}"' not in page
    # Even posted by hand, the father is not given the part.
    post(yas, wishes_url + "/who-can-see", {"who_there": [str(family.participants["father"]), str(family.participants["mother"])]})
    post(yas, wishes_url + "/check", {})
    frank = client_for(app, family.logins["father"])
    assert frank.get(wishes_url + "/read").status_code == 404
    assert "yas-who-5d1" in client_for(app, family.logins["mother"]).get(wishes_url + "/read").get_data(as_text=True)


def _case_id(family: Family) -> int:
    from portal.cases.models import Case

    return db.session.scalar(select(Case.id).where(Case.reference == family.reference))
