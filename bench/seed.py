"""Bulk data for the benchmark: `python bench/seed.py DATABASE_URL TOTAL_CASES --today YYYY-MM-DD`.

Migrates the database (`flask db upgrade`), loads the demo data (`flask demo load`), then adds bulk
cases until the database holds TOTAL_CASES cases, each with the rows a real case gathers over its
life: a family (parents, a grandparent, a young person) with accounts, children, staff taking part,
contact restrictions, conferences (initial, reviews, now and then cancelled), pre-conference contacts,
attendees, notices sent, reports with versions, shares, read receipts and questions, a parent's own
views, support requests with their history, child advocacy, wishes and feelings, plans with the
family's say, midway reviews, feedback, and the audit events of it all.

Rows go in with SQLAlchemy Core bulk inserts (executemany) and explicit ids, in one transaction.

Two properties the benchmark relies on:
- The bulk rows never reach the measured pages: they belong to bulk staff (their own chairs, social
  workers, professionals, advocates) and bulk families; no demo account takes part in a bulk case.
  Bulk cases are older than the demo cases, and no bulk appeal is still open.
- Bulk case number i is the same at every size (one random stream, fixed seed, drawn case by case,
  with a fixed staff pool), so the larger database holds the smaller one's cases and more. Pages
  that list "every case, newest first" (the SQA manager's, capped) show the same rows at every size.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date, datetime, time as clock, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Table, create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import Connection  # noqa: E402

SEED = 12  # issue 12: the same data on every run and every machine
CASES_PER_BATCH = 2000  # enough rows per executemany to be fast, few enough to keep memory small
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # as portal.cases.models
UTC = timezone.utc

# The bulk staff: a fixed pool, the same at every size, so every page that lists staff is too.
STAFF_POOL = {"social_worker": 48, "chair": 12, "professional": 64, "advocate": 16}
FIRST_NAMES = ("Amira", "Bilal", "Chloe", "Dawit", "Elif", "Farah", "Gwen", "Hamza", "Isla", "Jonah", "Kemi", "Leon",
               "Mina", "Noor", "Olek", "Priti", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wren", "Yusuf", "Zara")
SURNAMES = ("Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir", "Gorse", "Hazel", "Ivy", "Juniper", "Larch", "Maple",
            "Nettle", "Oak", "Poplar", "Rowan", "Sorrel", "Teasel", "Willow", "Yew")
AGENCIES = ("School designated safeguarding lead", "Health visitor", "School nurse", "GP", "Police", "Youth worker",
            "Housing officer", "Family support worker")
SENTENCES = (
    "The children have missed several days of school this term.",
    "The family have kept every appointment with the health visitor.",
    "We are worried that the children are often hungry in the morning.",
    "The parents have said they find the evenings hard when money is short.",
    "The children's grandmother helps with the school run most days.",
    "There have been loud arguments at home that the children heard.",
    "The youngest child is frightened at bedtime and does not sleep well.",
    "The eldest child loves football and goes to training every week.",
    "A school nurse will check in with the family every month.",
    "The family would like help with housing and benefits.",
    "When school is missed the children fall behind with reading.",
    "The parents agreed to go to a course about arguments and children.",
)
LANGUAGES = ("Bengali", "Sylheti", "Somali", "Arabic", "Urdu", "Polish", "Romanian")


def flask(env: dict[str, str], *args: str) -> None:
    """Run a flask command of the portal against this database, quietly unless it fails."""
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


class Rows:
    """Rows waiting to be inserted, by table, each table's ids counted on from its current maximum."""

    def __init__(self, conn: Connection, tables: dict[str, Table]) -> None:
        self.conn = conn
        self.tables = tables
        self.pending: dict[str, list[dict]] = defaultdict(list)
        self.next_id = {name: (conn.scalar(select(func.max(table.c.id))) or 0) + 1
                        for name, table in tables.items() if "id" in table.c}
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, table: str, **values) -> int:
        """Queue one row (with the next id of its table) and return its id."""
        row_id = self.next_id[table]
        self.next_id[table] += 1
        values["id"] = row_id
        self.pending[table].append(values)
        return row_id

    def flush(self) -> None:
        """Insert everything queued, parents before children (the tables' dependency order)."""
        for table in self.tables.values():
            rows = self.pending.pop(table.name, None)
            if not rows:
                continue
            # executemany needs the same keys on every row: fill the others from the table's defaults.
            fill = {column.name: _default(column) for column in table.c}
            keys = set(fill) - {column.name for column in table.c if column.server_default is not None}
            keys |= set().union(*rows)
            for row in rows:
                for key in keys - row.keys():
                    row[key] = fill[key]
            self.conn.execute(table.insert(), rows)
            self.counts[table.name] += len(rows)


def _default(column):
    """A column's Python-side scalar default, else None (callables are never needed: every time is given)."""
    default = column.default
    if default is not None and default.is_scalar:
        return default.arg
    return None


def tables_in_order(conn: Connection) -> dict[str, Table]:
    """The portal's tables, parents before children, as the models declare them."""
    import portal.audit  # noqa: F401  (each import registers its tables on Base.metadata)
    import portal.auth.models  # noqa: F401
    import portal.cases.models  # noqa: F401
    import portal.feedback.models  # noqa: F401
    import portal.notify.models  # noqa: F401
    import portal.plans.models  # noqa: F401
    import portal.reports.models  # noqa: F401
    import portal.support.models  # noqa: F401
    import portal.wishes.models  # noqa: F401
    from portal.db import Base

    return {table.name: table for table in Base.metadata.sorted_tables}


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment of a day, in UTC."""
    return datetime.combine(day, clock(hour, minute), tzinfo=UTC)


def paragraph(rng: random.Random, sentences: int) -> str:
    """A few plausible sentences of a report."""
    return " ".join(rng.choice(SENTENCES) for _ in range(sentences))


class Seeder:
    """Draws bulk cases one by one from a single seeded random stream and queues their rows."""

    def __init__(self, rows: Rows, today: date) -> None:
        self.rows = rows
        self.today = today
        self.now = at(today, 9)
        # Bulk cases are older than anything the demo loaders create (they date their rows from now).
        self.anchor = self.now - timedelta(days=2)
        self.rng = random.Random(SEED)
        self.references: set[str] = set()
        self.staff: dict[str, list[int]] = {}
        self.venues: list[int] = []

    def existing(self) -> None:
        """What the demo data already holds that bulk rows refer to: references (to stay unique) and venues."""
        conn, t = self.rows.conn, self.rows.tables
        self.references = set(conn.scalars(select(t["cases"].c.reference)))
        self.venues = list(conn.scalars(select(t["venues"].c.id).order_by(t["venues"].c.id)))

    def staff_pool(self) -> None:
        """The bulk staff: fixed in number and names, so lists of staff are the same at every size."""
        rng = random.Random(SEED * 1000)
        number = 0
        for role, count in STAFF_POOL.items():
            self.staff[role] = []
            for _ in range(count):
                number += 1
                first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
                self.staff[role].append(self.rows.add(
                    "users", role=role, name=f"{first} {last}", email=f"{first}.{last}.{number}@bench.example.org".lower(),
                    password_hash=None, preferred_language="en", session_token=f"bench-staff-{number}", active=True,
                    created_at=self.anchor - timedelta(days=4000), last_signed_in_at=self.anchor))

    def past(self, moment: datetime) -> datetime:
        """The moment, or an hour ago if it is still to come (drafts for future conferences are saved already)."""
        return min(moment, self.now - timedelta(hours=1))

    def reference(self) -> str:
        """A new, unique case reference like FC-7KQ3-M9XD."""
        while True:
            chars = "".join(self.rng.choice(REFERENCE_ALPHABET) for _ in range(8))
            reference = f"FC-{chars[:4]}-{chars[4:]}"
            if reference not in self.references:
                self.references.add(reference)
                return reference

    def audit(self, when: datetime, actor: int | None, role: str | None, action: str, kind: str | None,
              object_id: int | None, case_id: int, outcome: str = "success") -> None:
        """Queue an audit event, as the portal records one (ids only, never content)."""
        self.rows.add("audit_events", occurred_at=when, actor_id=actor, actor_role=role, action=action, object_kind=kind,
                      object_id=None if object_id is None else str(object_id), case_id=case_id, ip="10.0.0.1",
                      outcome=outcome)

    def case(self, number: int) -> None:
        """Queue bulk case number `number` (0 is the newest) with everything that happened in it."""
        rng, add = self.rng, self.rows.add
        created = self.anchor - timedelta(hours=number + 1, minutes=rng.randint(0, 50))
        opened_on = created.date()
        surname = rng.choice(SURNAMES)
        case_id = add("cases", reference=self.reference(), strategy_discussion_on=opened_on, created_at=created)
        sw, chair = rng.choice(self.staff["social_worker"]), rng.choice(self.staff["chair"])
        self.audit(created, sw, "social_worker", "case.create", "case", case_id, case_id)

        children = []
        for _ in range(rng.choices((1, 2, 3, 4), weights=(35, 35, 20, 10))[0]):
            born = opened_on - timedelta(days=rng.randint(100, 17 * 365))
            first = rng.choice(FIRST_NAMES)
            children.append((add("children", case_id=case_id, first_name=first, last_name=surname, date_of_birth=born),
                             first, born))

        def person(role: str, relationship: str, lives_with: bool, first: str, key: str, *, mobile: bool = False,
                   child_id: int | None = None) -> tuple[int, int]:
            login = f"{key}.{number}"
            user_id = add("users", role=role, name=f"{first} {surname}",
                          email=None if role == "young_person" else f"{login}@bench.example.org",
                          username=login if role == "young_person" else None,
                          mobile=f"+4470{number:08d}{len(key)}" if mobile else None,
                          address=f"{rng.randint(1, 199)} {rng.choice(SURNAMES)} Road, London E{rng.randint(1, 20)}",
                          password_hash=None, preferred_language=rng.choice(("en", "en", "en", "bn", "so", "ur", "pl")),
                          session_token=f"bench-{login}", active=True, created_at=created, last_signed_in_at=None)
            participant_id = add("participants", case_id=case_id, user_id=user_id, role=role, relationship_to_child=relationship,
                                 lives_with_child=lives_with, child_id=child_id, created_at=created)
            self.audit(created, sw, "social_worker", "participant.add", "user", user_id, case_id)
            return user_id, participant_id

        family = [person("parent", "Mother", True, rng.choice(FIRST_NAMES), "mother")]
        if rng.random() < 0.7:
            family.append(person("parent", "Father", rng.random() < 0.4, rng.choice(FIRST_NAMES), "father"))
        if rng.random() < 0.3:
            family.append(person("carer", "Grandmother", rng.random() < 0.5, rng.choice(FIRST_NAMES), "grand", mobile=True))
        teenager = next((c for c in children if (self.today - c[2]).days >= 12 * 365), None)
        young = None
        if teenager is not None and rng.random() < 0.6:
            young = person("young_person", "Young person", True, teenager[1], "young", child_id=teenager[0])
        mother_user, mother = family[0]
        staff = [(sw, "social_worker", "Social worker"), (chair, "chair", "Conference chair")]
        for professional in rng.sample(self.staff["professional"], rng.randint(1, 3)):
            staff.append((professional, "professional", rng.choice(AGENCIES)))
        for user_id, role, relationship in staff:
            add("participants", case_id=case_id, user_id=user_id, role=role,
                                              relationship_to_child=relationship, lives_with_child=False, created_at=created)
        advocate = None
        if rng.random() < 0.3:
            advocate_user = rng.choice(self.staff["advocate"])
            advocate = (advocate_user, add("participants", case_id=case_id, user_id=advocate_user, role="advocate",
                                           relationship_to_child="Advocate for the mother", lives_with_child=False,
                                           advocate_for_id=mother, created_at=created))
        if len(family) > 1 and rng.random() < 0.35:
            add("contact_restrictions", case_id=case_id, protected_id=mother, hidden_from_id=family[1][1], created_at=created)

        # Children of 5 and over are offered an advocate (practice guide); most offers are settled.
        for child_id, _, born in children:
            if (opened_on - born).days >= 5 * 365 and rng.random() < 0.8:
                response = rng.choice(("accepted", "declined", "not_yet"))
                add("child_advocacy", case_id=case_id, child_id=child_id, offered_on=opened_on + timedelta(days=3),
                    offered_by_id=sw, response=response, consent="given" if response == "accepted" else None,
                    consent_by_kind="parent" if response == "accepted" else None,
                    consent_by_participant_id=mother if response == "accepted" else None,
                    consent_on=opened_on + timedelta(days=5) if response == "accepted" else None,
                    consent_recorded_by_id=sw if response == "accepted" else None,
                    advocate_participant_id=advocate[1] if advocate and response == "accepted" else None,
                    updated_at=created + timedelta(days=5))

        # Conferences: the initial one about three weeks in, then reviews while the plan lasts.
        day = opened_on + timedelta(days=rng.randint(14, 21))
        kind = "extra_familial" if teenager is not None and rng.random() < 0.1 else "icpc"
        lasts_until = opened_on + timedelta(days=rng.randint(90, 600))  # most plans end within a year or so
        while True:
            starts = at(day, rng.choice((9, 10, 13, 14)), rng.choice((0, 30)))
            status = "scheduled" if starts > self.now else ("cancelled" if rng.random() < 0.04 else "held")
            decision = None
            if status == "held":
                decision = "plan" if rng.random() < 0.7 else "no_plan"
            conference_id = add(
                "conferences", case_id=case_id, kind=kind, starts_at=starts, format=rng.choice(("in_person", "hybrid")),
                venue_id=rng.choice(self.venues[:2] if kind == "icpc" else self.venues), chair_id=chair, status=status,
                cancelled_reason="The family asked for a new date." if status == "cancelled" else None,
                cancelled_at=starts - timedelta(days=3) if status == "cancelled" else None,
                family_notified_at=starts - timedelta(days=14), decision=decision,
                category=rng.choice(("neglect", "physical_abuse", "emotional_abuse", "sexual_abuse")) if decision == "plan" else None,
                decision_reasons=paragraph(rng, 3) if decision else None,
                outcome_recorded_at=starts + timedelta(hours=3) if decision else None, created_by_id=sw,
                created_at=starts - timedelta(days=15))
            self.audit(starts - timedelta(days=15), sw, "social_worker", "conference.schedule", "conference", conference_id, case_id)
            self.conference_rows(conference_id, case_id, starts, status, decision, sw, chair, family, young, advocate,
                                 teenager[0] if teenager else None, staff)
            if decision != "plan" or status != "held":
                break
            day = day + timedelta(days=91 if kind != "review" else 182)
            kind = "review"
            if day > lasts_until:
                break

    def conference_rows(self, conference_id: int, case_id: int, starts: datetime, status: str, decision: str | None,
                        sw: int, chair: int, family: list[tuple[int, int]], young: tuple[int, int] | None,
                        advocate: tuple[int, int] | None, teenager_id: int | None, staff: list) -> None:
        """Queue what happens around one conference: notices, reports, support, wishes, the plan, feedback."""
        rng, add = self.rng, self.rows.add
        held = status == "held"
        mother_user, mother = family[0]
        people = family + ([young] if young else [])
        for user_id, _ in people:
            add("sent_notifications", key=f"notice:{conference_id}:{user_id}", user_id=user_id, event="notice",
                channel="email", created_at=starts - timedelta(days=14))
            if rng.random() < 0.7:
                self.audit(starts - timedelta(days=rng.randint(2, 13)), user_id, "parent", "conference.read", "conference",
                           conference_id, case_id)
        if held and rng.random() < 0.85:
            add("pre_conference_contacts", conference_id=conference_id, contacted_on=(starts - timedelta(days=4)).date(),
                contacted_whom="Mother by phone", family_views=paragraph(rng, 2), recorded_by_id=chair,
                recorded_at=starts - timedelta(days=4))
            for _, participant_id in family:
                add("attendees", conference_id=conference_id, participant_id=participant_id)

        # Reports by the social worker and a professional, shared with the mother (and the carer).
        for author, _, _ in staff[:rng.randint(1, len(staff))]:
            if author == chair:
                continue
            shared_at = starts - timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 8))
            shared = status != "scheduled" or shared_at < self.now
            report_id = add("reports", case_id=case_id, conference_id=conference_id, author_id=author,
                            status="submitted" if shared else "draft", kind="professional",
                            created_at=self.past(shared_at - timedelta(days=5)), submitted_at=shared_at if shared else None,
                            shared_at=shared_at if shared else None)
            for number in (1, 2):
                add("report_versions", report_id=report_id, number=number, saved_by_id=author,
                    saved_at=self.past(shared_at - timedelta(days=3 - number)),
                    **{section: paragraph(rng, 2 + number) for section in
                       ("what_happened", "going_well", "worries", "impact", "next_steps")})
            if not shared:
                continue
            self.audit(shared_at, author, "professional", "report.share", "report", report_id, case_id)
            for user_id, participant_id in family[:2]:
                add("report_shares", report_id=report_id, participant_id=participant_id, shared_at=shared_at)
                if rng.random() < 0.75:
                    opened = shared_at + timedelta(hours=rng.randint(1, 40))
                    add("report_reads", report_id=report_id, user_id=user_id, opened_at=opened,
                        finished_at=opened + timedelta(minutes=12) if rng.random() < 0.6 else None)
                    self.audit(opened, user_id, "parent", "report.read", "report", report_id, case_id)
            if rng.random() < 0.2:
                question = add("comments", report_id=report_id, section=rng.choice(("what_happened", "worries", "impact")),
                               thread_owner_id=mother_user, kind=rng.choice(("question", "disagree")), author_id=mother_user,
                               body="Can this be changed? " + paragraph(rng, 1), created_at=shared_at + timedelta(days=1))
                add("comments", report_id=report_id, section="what_happened", thread_owner_id=mother_user,
                    parent_id=question, kind="reply", author_id=author, body=paragraph(rng, 1),
                    created_at=shared_at + timedelta(days=1, hours=3))
            if rng.random() < 0.05:
                add("report_requests", report_id=report_id, user_id=mother_user, kind="interpreter",
                    language=rng.choice(LANGUAGES), created_at=shared_at + timedelta(hours=5))

        if rng.random() < 0.25:  # the mother's own views, sometimes with her advocate's help
            views = add("reports", case_id=case_id, conference_id=conference_id, author_id=mother_user, kind="family_views",
                        status="submitted" if held else "draft", language="en", created_at=self.past(starts - timedelta(days=6)),
                        submitted_at=starts - timedelta(days=2) if held else None,
                        shared_at=starts - timedelta(days=2) if held else None)
            add("report_versions", report_id=views, number=1, saved_by_id=mother_user, saved_at=self.past(starts - timedelta(days=6)),
                going_well=paragraph(rng, 1), worries=paragraph(rng, 1), would_like=paragraph(rng, 1), help_wanted="")
            if advocate:
                add("report_helpers", report_id=views, user_id=advocate[0], added_at=self.past(starts - timedelta(days=6)))

        # Support: advocacy offered to each parent; now and then an interpreter, a supporter, an appeal (answered).
        offered = starts - timedelta(days=12)
        for user_id, participant_id in family[:2]:
            steps = [("offered", sw), (rng.choice(("accepted", "declined")), user_id)]
            if steps[-1][0] == "accepted" and held:
                steps.append(("arranged", sw))
            self.support(case_id, conference_id, participant_id, "advocacy", steps, offered,
                         {"offered_on": offered.date().isoformat()})
        if rng.random() < 0.12:
            language = rng.choice(LANGUAGES)
            self.support(case_id, conference_id, mother, "interpreter",
                         [("asked", mother_user)] + ([("arranged", chair)] if held else []), offered,
                         {"language": language, "dialect": "", "preferred": "", "purposes": ["conference"]})
        if rng.random() < 0.1:
            self.support(case_id, conference_id, mother, "supporter",
                         [("asked", mother_user), (rng.choice(("agreed", "not_agreed")), chair)], offered,
                         {"name": f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}", "relationship": "Friend"})
        if held and rng.random() < 0.02:
            self.support(case_id, conference_id, mother, "appeal",
                         [("asked", mother_user), ("in_review", None), ("answered", None)], starts + timedelta(days=3),
                         {"grounds": paragraph(rng, 1)}, reason=paragraph(rng, 2))

        # The young person's wishes and feelings, some parts shared with their mother.
        if young and rng.random() < 0.6:
            young_user, _ = young
            wishes = add("wishes", case_id=case_id, conference_id=conference_id, child_id=teenager_id, author_id=young_user,
                         written_by="child", status="shared" if held else "draft", worries=paragraph(rng, 1),
                         good_things=paragraph(rng, 1), dreams=paragraph(rng, 1), revision=2, updated_by_id=young_user,
                         shared_at=starts - timedelta(days=3) if held else None, created_at=self.past(starts - timedelta(days=8)),
                         updated_at=self.past(starts - timedelta(days=3)))
            for part in ("good_things", "dreams"):
                add("wishes_shares", wishes_id=wishes, part=part, participant_id=mother)
            if held:
                self.audit(starts - timedelta(days=2), mother_user, "parent", "wishes.read", "wishes", wishes, case_id)

        if held and decision == "plan":
            for _ in range(rng.randint(2, 4)):
                action = add("plan_actions", case_id=case_id, conference_id=conference_id, impact=paragraph(rng, 1),
                             action=paragraph(rng, 2), by_whom=rng.choice(("The parents", "The social worker", "The school")),
                             due_on=(starts + timedelta(days=rng.randint(14, 90))).date(),
                             progress=rng.choice((None, "done", "on_track", "stuck")) if starts < self.now - timedelta(days=42) else None,
                             created_by_id=chair, created_at=starts + timedelta(hours=3), changed_at=starts + timedelta(hours=3))
                if rng.random() < 0.5:
                    add("action_responses", action_id=action, participant_id=mother, agreement=rng.choice(("agree", "agree_with_change", "disagree")),
                        comment=paragraph(rng, 1), updated_at=starts + timedelta(days=2))
            if starts < self.now - timedelta(days=42):
                add("midway_reviews", conference_id=conference_id, held_on=(starts + timedelta(days=42)).date(),
                    recorded_by_id=chair, recorded_at=starts + timedelta(days=42))
            self.audit(starts + timedelta(days=1), mother_user, "parent", "plan.read", "conference", conference_id, case_id)
        if held and rng.random() < 0.4:
            add("feedback", case_id=case_id, conference_id=conference_id, user_id=mother_user, respondent="parent",
                child_friendly=False, welcomed=rng.randint(1, 3), about_child=rng.randint(1, 3),
                understood_reports=rng.randint(1, 3), had_say=rng.randint(1, 3), do_better=paragraph(rng, 1),
                anonymous=rng.random() < 0.2, created_at=starts + timedelta(days=2))
            if rng.random() < 0.25:
                add("review_changes", case_id=case_id, conference_id=conference_id, text="Meet at the family hub.",
                    created_by_id=chair, created_at=starts + timedelta(days=9))

    def support(self, case_id: int, conference_id: int, participant_id: int, kind: str, steps: list[tuple[str, int | None]],
                when: datetime, details: dict, reason: str | None = None) -> None:
        """Queue a support request and each step of its history."""
        deciders = [user for _, user in steps if user is not None]
        request_id = self.rows.add("support_requests", case_id=case_id, conference_id=conference_id,
                                   participant_id=participant_id, kind=kind, status=steps[-1][0], details=details,
                                   reason=reason, created_by_id=deciders[0], created_at=when,
                                   updated_at=when + timedelta(days=len(steps)))
        for index, (status, user) in enumerate(steps):
            self.rows.add("support_status_changes", request_id=request_id, status=status,
                          changed_by_id=user or self.staff["chair"][0], changed_at=when + timedelta(days=index))


def postgres_sequences(conn: Connection, tables: dict[str, Table]) -> None:
    """Explicit ids leave PostgreSQL's sequences behind: move each to its table's highest id."""
    for name, table in tables.items():
        if "id" in table.c:
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                              f"GREATEST((SELECT max(id) FROM {name}), 1))"))


def seed(url: str, total_cases: int, today: date) -> None:
    """Migrate, load the demo data, then add bulk cases until there are `total_cases`."""
    started = time.monotonic()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "FLASK_DEBUG")}
    env.update(DATABASE_URL=url, PORTAL_ENV="development")
    flask(env, "db", "upgrade")
    flask(env, "demo", "load")
    engine = create_engine(driver_url(url))
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            # A throwaway database: durability does not matter while it is filled.
            conn.exec_driver_sql("PRAGMA synchronous=OFF")
        tables = tables_in_order(conn)
        rows = Rows(conn, tables)
        seeder = Seeder(rows, today)
        seeder.existing()
        bulk = total_cases - len(seeder.references)
        if bulk < 0:
            raise SystemExit(f"the demo data alone has {len(seeder.references)} cases, more than {total_cases}")
        seeder.staff_pool()
        for number in range(bulk):
            seeder.case(number)
            if number % CASES_PER_BATCH == CASES_PER_BATCH - 1:
                rows.flush()
        rows.flush()
        if engine.dialect.name == "postgresql":
            postgres_sequences(conn, tables)
    if engine.dialect.name == "postgresql":
        # Autovacuum would have analysed tables this size long ago in production. (SQLite is left as
        # the portal leaves it: nothing runs ANALYZE there, so its planner has no statistics.)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    total_rows = sum(rows.counts.values())
    print(f"seeded {total_cases} cases ({bulk} bulk) with {total_rows} bulk rows in {time.monotonic() - started:.0f} s: "
          + ", ".join(f"{name} {count}" for name, count in sorted(rows.counts.items(), key=lambda kv: -kv[1])[:6]))


def driver_url(url: str) -> str:
    """The URL with the driver the portal uses (psycopg 3 for PostgreSQL), as config.py rewrites it."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def main() -> None:
    """Command line: the database URL, the number of cases wanted, and the day to date everything from."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("cases", type=int)
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    args = parser.parse_args()
    seed(args.url, args.cases, args.today)


if __name__ == "__main__":
    main()
