"""bandit and semgrep (with the rules in security/semgrep.yml) find no high or medium problem that
security/waivers.toml does not waive, and every waiver still covers something (`make security` runs
the same checks, then the scanners against a running portal)."""

from __future__ import annotations

import pytest

from security import static
from security.findings import Finding, apply_waivers, load_waivers, report, unwaived_failures


@pytest.fixture(scope="module")
def scanned():
    return static.scan()


def test_no_unwaived_high_or_medium_finding(scanned):
    findings, _, times = scanned
    failures = unwaived_failures(findings)
    assert not failures, "\n".join(report(tool, failures) for tool in times)


def test_every_waiver_still_covers_a_finding(scanned):
    _, stale, _ = scanned
    assert not stale, f"waivers that match nothing now (remove them): {stale}"


def test_every_waiver_gives_a_reason():
    for waiver in load_waivers():
        assert len(waiver["reason"].split()) >= 5, waiver


def test_the_rules_catch_what_they_are_for(tmp_path, monkeypatch):
    """The semgrep rules find an unescaped value, formatted SQL, a template from a string and an open redirect."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("<p>{{ view.text|safe }}</p>\n{% autoescape false %}{{ x }}{% endautoescape %}\n")
    (tmp_path / "bad.py").write_text(
        "from flask import redirect, render_template_string, request\n"
        "from markupsafe import Markup\n"
        "from sqlalchemy import text\n"
        "def page(db, name):\n"
        "    db.execute(text(f\"SELECT * FROM cases WHERE reference = '{name}'\"))\n"
        "    return Markup(request.form['views']) + render_template_string(name)\n"
        "def back():\n"
        "    return redirect(request.args.get('next'), code=303)\n")
    monkeypatch.setattr(static, "ROOT", tmp_path)
    monkeypatch.setattr(static, "TARGETS", ("templates", "bad.py"))
    monkeypatch.setattr(static, "source_line", lambda file, line: "")
    rules = {finding.rule for finding in static.run_semgrep()}
    assert {"jinja-safe-filter", "sql-text-with-formatting", "markup-of-non-literal", "render-template-string",
            "redirect-to-request-data", "jinja-autoescape-off"} <= rules


def test_a_waiver_covers_only_its_own_line():
    waiver = {"tool": "bandit", "rule": "B704", "file": "portal/x.py", "match": "Markup(svg)", "reason": "r"}
    covered = Finding("bandit", "B704", "medium", "portal/x.py", 3, source="    return Markup(svg)")
    other = Finding("bandit", "B704", "medium", "portal/x.py", 9, source="    return Markup(request.form['x'])")
    stale = apply_waivers([covered, other], [waiver], {"bandit"})
    assert covered.waiver is waiver and other.waiver is None and not stale
    assert unwaived_failures([covered, other]) == [other]
