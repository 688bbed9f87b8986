"""SQL statements per page: a small constant that does not grow with the data (DESIGN.md, Performance budgets;
issue "Fast on a cheap phone": no N+1), and list queries that use an index.

1. Every page every demo account reaches (the crawl of tests/test_crawl.py) is requested once more and its
   SQL statements counted with a SQLAlchemy `before_cursor_execute` listener. Each endpoint has a budget:
   the issue's 8, or, for the pages that need more today, the number written in BUDGETS below, so a change
   that adds a query to a page fails here and has to say why.
2. The pages with lists (the staff dashboards, the SQA manager's list and CSV, a report and its discussion,
   the plan, the conference page and the family's home) are requested with 10 rows in their lists and again
   with 1,000: the statement count must be the same.
3. Every SELECT those list pages send at 1,000 rows is explained (`EXPLAIN QUERY PLAN` on SQLite; `EXPLAIN`
   after `ANALYZE`, with sequential scans priced out, on PostgreSQL): none may read a whole large table.

Parts 2 and 3 run on a database of their own, so the rows they add reach no other test.
"""

from __future__ import annotations

import re
from collections import defaultdict
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from flask import request
from sqlalchemy import event, select

from portal.db import db, utcnow
from tests.conftest import app_on_own_database, sign_in
from tests.test_crawl import crawl

DEFAULT_BUDGET = 8
# Pages allowed more than 8 statements, with the number each needs at most: none today. Adding one needs a
# reason in the commit.
BUDGETS: dict[str, int] = {}
# Tables that grow with the council's work: a query may not read one of them whole.
LARGE_TABLES = {
    "users", "cases", "children", "participants", "conferences", "reports", "report_versions", "report_shares",
    "report_reads", "comments", "support_requests", "wishes", "plan_actions", "action_responses", "audit_events",
    "drafts", "feedback", "sent_notifications", "attendees",
}
ALICE, CLARA, QUINN = "alice.appleby@example.org", "clara.chestnut@example.org", "quinn.quail@example.org"
CHARLOTTE, SALLY, PRIYA = "charlotte.chaffinch@example.org", "sally.sparrow@example.org", "priya.plover@example.org"


@contextmanager
def recording(app):
    """Collect (statement, parameters, endpoint) of every SQL statement sent while the block runs."""
    statements: list[tuple[str, object, str | None]] = []
    with app.app_context():
        engine = db.engine

    def listen(connection, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        endpoint = request.endpoint if request else None
        statements.append((statement, parameters, endpoint))

    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listen)


def count(app, client, path: str) -> tuple[int, list]:
    """The statements one GET sends, after checking it answered 200. The page is opened once before, so what
    happens only on a first visit (a read receipt) is not counted."""
    client.get(path)
    with recording(app) as statements:
        response = client.get(path)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return len(statements), statements


# 1. Every page, every account.

def test_every_page_keeps_to_its_sql_budget(app, demo):
    worst: dict[str, tuple[int, str]] = {}
    pages = 0
    for login in demo:
        client = app.test_client()
        assert sign_in(client, login).status_code == 303
        for path in sorted(crawl(client)):
            with recording(app) as statements:
                response = client.get(path)
            if response.status_code != 200:
                continue
            pages += 1
            endpoint = next((e for _, _, e in statements if e), None) or path
            if len(statements) > worst.get(endpoint, (-1, ""))[0]:
                worst[endpoint] = (len(statements), f"{path} as {login}", [s for s, _, _ in statements])

    over = {endpoint: found for endpoint, found in worst.items() if found[0] > BUDGETS.get(endpoint, DEFAULT_BUDGET)}
    above_eight = sorted(((n, endpoint) for endpoint, (n, _, _) in worst.items() if n > DEFAULT_BUDGET), reverse=True)
    print(f"\nSQL per page: {pages} pages ({len(worst)} endpoints) as {len(demo)} accounts; most: "
          f"{max(n for n, _, _ in worst.values())}; endpoints within {DEFAULT_BUDGET}: {len(worst) - len(above_eight)}; "
          f"above {DEFAULT_BUDGET}: " + ", ".join(f"{endpoint} {n}" for n, endpoint in above_eight))
    for endpoint, (n, where, statements) in over.items():  # shown with the failure: what each of them sends
        print(f"{endpoint}: {n} statements ({where}), budget {BUDGETS.get(endpoint, DEFAULT_BUDGET)}:\n"
              + "\n".join("    " + " ".join(statement.split())[:160] for statement in statements))
    assert not over, "pages over their SQL budget (their statements are printed above): " + "; ".join(
        f"{endpoint}: {n} statements ({where})" for endpoint, (n, where, _) in over.items())


# 2 and 3. Lists of 10 and of 1,000 rows.

@pytest.fixture(scope="module")
def growing_app(database_uri, tmp_path_factory):
    """The portal on a database of its own, with the demo data, to grow the lists in."""
    return app_on_own_database(database_uri, tmp_path_factory, "sql_budget")


def person(login: str):
    from sqlalchemy import or_

    from portal.auth.models import User

    return db.session.scalar(select(User).where(or_(User.email == login, User.username == login)))


def participant_of(login: str, reference: str):
    from portal.cases.models import Case, Participant

    return db.session.scalar(select(Participant).join(Case).where(Case.reference == reference,
                                                                  Participant.user_id == person(login).id))


def add_conferences(n: int) -> None:
    """n more families, each with a child, Sally as social worker, a conference Charlotte chairs in 5 days (the
    family not told: overdue), and a report by Priya: rows on the chair's, the social worker's and the SQA
    manager's lists, overdue ones included."""
    from portal.cases.models import Case, Child, Conference, Participant, Venue
    from portal.reports.models import Report

    sally, charlotte, priya = person(SALLY), person(CHARLOTTE), person(PRIYA)
    venue = db.session.scalars(select(Venue).order_by(Venue.id)).first()
    soon = utcnow() + timedelta(days=5)
    for _ in range(n):
        case = Case(strategy_discussion_on=date.today())
        db.session.add(case)
        db.session.flush()
        db.session.add_all([Child(case_id=case.id, first_name="Lee", last_name="Growth", date_of_birth=date(2015, 3, 1)),
                            Participant(case_id=case.id, user_id=sally.id, role="social_worker")])
        conference = Conference(case_id=case.id, kind="icpc", starts_at=soon, format="in_person", venue_id=venue.id,
                                chair_id=charlotte.id, status="scheduled")
        db.session.add(conference)
        db.session.flush()
        db.session.add(Report(case_id=case.id, conference_id=conference.id, author_id=priya.id, status="shared",
                              submitted_at=utcnow(), shared_at=utcnow()))
    db.session.commit()


def alices_report():
    from portal.reports.models import Report, ReportShare

    return db.session.scalar(select(Report).join(ReportShare).where(
        ReportShare.participant_id == participant_of(ALICE, "FC-7KQ3-M9XD").id).order_by(Report.id))


def add_comments(n: int) -> None:
    """n more questions from Alice on the report shared with her, each answered by its author."""
    from portal.reports.models import Comment

    alice, report = person(ALICE), alices_report()
    for number in range(n):
        question = Comment(report_id=report.id, section="worries", thread_owner_id=alice.id, kind="question",
                           author_id=alice.id, body=f"Question {number}")
        db.session.add(question)
        db.session.flush()
        db.session.add(Comment(report_id=report.id, section="worries", thread_owner_id=alice.id, kind="reply",
                               parent_id=question.id, author_id=report.author_id, body=f"Answer {number}"))
    db.session.commit()


def add_shared_reports(n: int) -> None:
    """n more reports shared with Alice for her conference, each with a version."""
    from portal.reports.models import Report, ReportShare, ReportVersion

    template, alice = alices_report(), participant_of(ALICE, "FC-7KQ3-M9XD")
    for number in range(n):
        report = Report(case_id=template.case_id, conference_id=template.conference_id, author_id=template.author_id,
                        status="submitted", submitted_at=utcnow(), shared_at=utcnow())
        db.session.add(report)
        db.session.flush()
        db.session.add_all([ReportVersion(report_id=report.id, number=1, what_happened=f"Report {number}",
                                          saved_by_id=template.author_id),
                            ReportShare(report_id=report.id, participant_id=alice.id)])
    db.session.commit()


def add_attendees(n: int) -> None:
    """n more people on the attendee list of Alice's conference, each a professional taking part in the case (the
    page shows each one's name from their account)."""
    from portal.auth.models import User
    from portal.cases.models import Attendee, Participant

    conference_id, case_id = alices_report().conference_id, participant_of(ALICE, "FC-7KQ3-M9XD").case_id
    first = db.session.scalar(select(User.id).order_by(User.id.desc()).limit(1)) + 1
    for number in range(first, first + n):
        user = User(role="professional", name=f"Attendee {number}", email=f"attendee.{number}@example.org")
        db.session.add(user)
        db.session.flush()
        participant = Participant(case_id=case_id, user_id=user.id, role="professional")
        db.session.add(participant)
        db.session.flush()
        db.session.add(Attendee(conference_id=conference_id, participant_id=participant.id))
    db.session.commit()


def clara_plan():
    from portal.plans.models import PlanAction

    return db.session.scalars(select(PlanAction).where(PlanAction.case_id == participant_of(CLARA, "FC-3VJT-C8PA").case_id)
                              .order_by(PlanAction.id)).first()


def add_actions(n: int) -> None:
    """n more actions on the Chestnut family's plan, each with Clara's say."""
    from portal.plans.models import ActionResponse, PlanAction

    template, clara = clara_plan(), participant_of(CLARA, "FC-3VJT-C8PA")
    for number in range(n):
        action = PlanAction(case_id=template.case_id, conference_id=template.conference_id, impact=f"Impact {number}",
                            action=f"Action {number}", by_whom="Sally", due_on=template.due_on,
                            created_by_id=template.created_by_id)
        db.session.add(action)
        db.session.flush()
        db.session.add(ActionResponse(action_id=action.id, participant_id=clara.id, agreement="agree"))
    db.session.commit()


def list_pages(app) -> list[tuple[str, callable, list[tuple[str, str]]]]:
    """(what grows, how to add rows, [(login, page)]) for every page with a list."""
    with app.app_context():
        charlotte = person(CHARLOTTE).id
        report = alices_report()
        plan_conference = clara_plan().conference_id
        references = {report.conference_id: "FC-7KQ3-M9XD", plan_conference: "FC-3VJT-C8PA"}
    alice_conference = f"/cases/FC-7KQ3-M9XD/conferences/{report.conference_id}"
    plan = f"/cases/{references[plan_conference]}/conferences/{plan_conference}/plan"
    return [
        ("conferences", add_conferences, [
            (CHARLOTTE, "/cases"), (SALLY, "/cases"), (QUINN, "/cases"),
            (QUINN, f"/cases?chair={charlotte}&status=scheduled"), (QUINN, "/cases?overdue=any&sort=chair"),
            (QUINN, "/cases?format=csv")]),
        ("comments on a report", add_comments, [
            (ALICE, f"/cases/FC-7KQ3-M9XD/reports/{report.id}"), (PRIYA, f"/cases/FC-7KQ3-M9XD/reports/{report.id}"),
            (CHARLOTTE, f"/cases/FC-7KQ3-M9XD/reports/{report.id}")]),
        ("reports shared with a parent", add_shared_reports, [
            (ALICE, "/home"), (ALICE, alice_conference), (CHARLOTTE, alice_conference), (SALLY, alice_conference)]),
        ("plan actions", add_actions, [(CLARA, plan), (SALLY, plan), (CLARA, "/home")]),
        ("people on the attendee list", add_attendees, [(ALICE, alice_conference), (CHARLOTTE, alice_conference)]),
    ]


def plan_reads_a_whole_table(connection, statement: str, parameters) -> list[str]:
    """The large tables a SELECT reads whole, from the database's own plan."""
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
        return sorted({match.group(1) for row in rows
                       if (match := re.match(r"SCAN (\w+)", row[-1])) and match.group(1) in LARGE_TABLES
                       and " USING " not in row[-1]})
    connection.exec_driver_sql("SET enable_seqscan = off")
    try:
        rows = connection.exec_driver_sql("EXPLAIN " + statement, parameters).all()
    finally:
        connection.exec_driver_sql("SET enable_seqscan = on")
    # With sequential scans priced out, one that is still chosen has no index to use instead.
    return sorted({match.group(1) for (line,) in rows
                   if (match := re.search(r"Seq Scan on (\w+)", line)) and match.group(1) in LARGE_TABLES})


def test_lists_cost_the_same_sql_at_10_and_1000_rows_and_use_an_index(growing_app):
    app = growing_app
    clients = {}

    def client_for(login):
        if login not in clients:
            clients[login] = app.test_client()
            assert sign_in(clients[login], login).status_code == 303
        return clients[login]

    growths = list_pages(app)
    counts: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    selects: dict[tuple[str, str], list] = {}
    for rows, add in ((10, "first"), (1000, "then")):
        for what, grow, pages in growths:
            with app.app_context():
                grow(10 if rows == 10 else 990)
        for what, grow, pages in growths:
            for login, path in pages:
                counts[(what, f"{path} as {login}")][rows], statements = count(app, client_for(login), path)
                if rows == 1000:
                    selects[(what, f"{path} as {login}")] = [(s, p) for s, p, _ in statements if s.lstrip().upper().startswith("SELECT")]

    print(f"\nSQL with 10 and with 1,000 rows in the list: {len(counts)} pages")
    for (what, page), by_rows in counts.items():
        print(f"  {by_rows[10]:>3} {by_rows[1000]:>3}  {page} ({what})")
    # Fewer is fine: the SQA manager's 500 newest are then all upcoming, and the facts only held ones have are not read.
    growing = {page: by_rows for (_, page), by_rows in counts.items() if by_rows[1000] > by_rows[10]}
    assert growing == {}, f"pages whose SQL grows with their list (an N+1): {growing}"

    with app.app_context():
        with db.engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql("ANALYZE")
            explained = 0
            scans = {}
            for (what, page), statements in selects.items():
                for statement, parameters in statements:
                    explained += 1
                    tables = plan_reads_a_whole_table(connection, statement, parameters)
                    if tables:
                        scans.setdefault(f"{' '.join(statement.split())[:160]}", (tables, page))
    print(f"explained {explained} SELECTs at 1,000 rows; reading a whole large table: {len(scans)}")
    assert scans == {}, "queries that read a whole large table: " + "; ".join(
        f"{tables} in {statement} ({page})" for statement, (tables, page) in scans.items())
