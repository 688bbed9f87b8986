"""Command-line tools: `flask --app wsgi demo ...`, `translate ...`, `notify ...` and `retention ...`."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from config import BASE_DIR

TRANSLATIONS = BASE_DIR / "translations"
POT = TRANSLATIONS / "messages.pot"

demo_cli = AppGroup("demo", help="Demo data for trying the portal (never in production).")
translate_cli = AppGroup("translate", help="Extract, update, compile and check translations.")
notify_cli = AppGroup("notify", help="Texts and emails.")
retention_cli = AppGroup("retention", help="Delete what is past its retention period; legal holds.")


@notify_cli.command("send-due")
@with_appcontext
def notify_send_due() -> None:
    """Send every message that is due (run it every few minutes from cron; it never sends one twice)."""
    from portal.notify.due import send_due

    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        sent, skipped = send_due()
    click.echo(f"Sent {sent} message(s); {skipped} already sent.")


@retention_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; delete nothing.")
@with_appcontext
def retention_purge(dry_run: bool) -> None:
    """Delete every record past its retention period, except cases under legal hold (run it daily from cron)."""
    from portal.retention import purge

    report = purge(dry_run=dry_run)
    verb = "Would delete" if dry_run else "Deleted"
    click.echo(f"{verb} {report.cases} closed case(s) ({sum(report.case_rows.values())} rows under them), "
               f"{report.drafts} draft(s), {report.sent_notifications} sent-message record(s), "
               f"{report.tokens} expired link(s); {report.held_cases_kept} case(s) kept under legal hold.")
    for table, n in sorted(report.case_rows.items()):
        click.echo(f"  {table}: {n}")


@retention_cli.command("hold")
@click.argument("reference")
@click.option("--reason", required=True, help="Why the case must be kept (a claim, a complaint, an inquiry).")
@with_appcontext
def retention_hold(reference: str, reason: str) -> None:
    """Put a case under legal hold: nothing of it is deleted until the hold is released."""
    from portal.retention import place_hold

    if not reason.strip():
        raise click.ClickException("Give the reason for the hold.")
    try:
        place_hold(reference, reason)
    except LookupError:
        raise click.ClickException(f"No case {reference}.") from None
    click.echo(f"{reference.upper()} is under legal hold.")


@retention_cli.command("release")
@click.argument("reference")
@with_appcontext
def retention_release(reference: str) -> None:
    """Release a case's legal hold: it is then deleted when its retention period is over."""
    from portal.retention import release_hold

    try:
        released = release_hold(reference)
    except LookupError:
        raise click.ClickException(f"No case {reference}.") from None
    click.echo(f"{reference.upper()}: {released} hold(s) released." if released else f"{reference.upper()} was not under legal hold.")


def _refuse_in_production() -> None:
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("Demo data is never loaded in production.")


@demo_cli.command("load")
@with_appcontext
def demo_load() -> None:
    """Load the demo families and staff (safe to run again: nothing is duplicated)."""
    _refuse_in_production()
    from portal import demo

    results = demo.load_all()
    total = sum(created for _, created in results)
    for name, created in results:
        click.echo(f"{name}: {created} created")
    click.echo(f"Demo data ready ({total} rows created, {len(results)} loaders).")


@demo_cli.command("accounts")
@click.option("--json", "as_json", is_flag=True, help="Print the demo sign-ins as JSON.")
@with_appcontext
def demo_accounts(as_json: bool) -> None:
    """List the demo sign-ins: login, password, role, name and cases."""
    _refuse_in_production()
    from portal import demo

    accounts = demo.all_accounts()
    if as_json:
        click.echo(json.dumps(accounts, ensure_ascii=False, indent=2))
        return
    for account in accounts:
        click.echo(f"{account['role']:<14} {account['login']:<32} {account['password']:<20} {account['name']}")


def _pybabel(*args: str) -> None:
    """Run Babel's command line with this interpreter, failing loudly."""
    result = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", *args], cwd=BASE_DIR, capture_output=True, text=True
    )
    if result.returncode:
        click.echo(result.stdout + result.stderr, err=True)
        raise click.ClickException(f"pybabel {args[0]} failed")


def extract_to(path: Path) -> None:
    """Extract every translatable string of the code and templates into a .pot file."""
    _pybabel(
        "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_pgettext:1c,2", "--add-comments=i18n:", "--sort-by-file",
        "--no-wrap", "--project=family-conference-portal", "-o", str(path), ".",
    )


@translate_cli.command("extract")
def translate_extract() -> None:
    """Write translations/messages.pot from the code and templates."""
    extract_to(POT)
    click.echo(f"Wrote {POT.relative_to(BASE_DIR)}")


@translate_cli.command("update")
def translate_update() -> None:
    """Extract, then merge new strings into every language's messages.po."""
    extract_to(POT)
    _pybabel("update", "-i", str(POT), "-d", str(TRANSLATIONS), "--no-wrap", "--ignore-obsolete", "--no-fuzzy-matching")


@translate_cli.command("compile")
def translate_compile() -> None:
    """Compile every messages.po into the messages.mo the app reads."""
    _pybabel("compile", "-d", str(TRANSLATIONS))


@translate_cli.command("check")
@with_appcontext
def translate_check() -> None:
    """Fail when messages.pot is stale or a shipped language has an untranslated, fuzzy or broken string."""
    from portal.translation_check import check_catalogues

    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.pot"
        extract_to(fresh)
        problems, checked = check_catalogues(fresh, POT, TRANSLATIONS, current_app.config["LANGUAGES"][1:])
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} translation problem(s).")
    click.echo(f"Translations complete: {checked} strings in each of {len(current_app.config['LANGUAGES']) - 1} languages.")
