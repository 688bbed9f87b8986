"""The command-line tools: demo data and translations."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from config import ProductionConfig
from portal.translation_check import check_catalogues


def test_demo_load_runs_and_is_idempotent(runner):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "Demo data ready" in first.output
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0, second.output
    assert "(0 rows created" in second.output


def test_demo_accounts_json_is_a_list_of_sign_ins(runner):
    result = runner.invoke(args=["demo", "accounts", "--json"])
    assert result.exit_code == 0, result.output
    accounts = json.loads(result.output)
    assert isinstance(accounts, list)
    for account in accounts:
        assert set(account) == {"login", "password", "role", "name", "cases"}


def test_demo_commands_refuse_in_production(app, monkeypatch):
    monkeypatch.setitem(app.config, "ENV_NAME", ProductionConfig.ENV_NAME)
    runner = app.test_cli_runner()
    for args in (["demo", "load"], ["demo", "accounts", "--json"]):
        result = runner.invoke(args=args)
        assert result.exit_code != 0
        assert "never loaded in production" in result.output


def write_po(path: Path, entries: dict[str, str], fuzzy: set[str] = frozenset()) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for msgid, msgstr in entries.items():
        if msgid in fuzzy:
            lines.append("#, fuzzy")
        lines += [f'msgid "{msgid}"', f'msgstr "{msgstr}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def test_check_finds_stale_pot_gaps_fuzzy_english_and_broken_placeholders(tmp_path):
    fresh = tmp_path / "fresh.pot"
    committed = tmp_path / "translations" / "messages.pot"
    write_po(fresh, {"Hello there": "", "Run by %(council)s": "", "Read the reports": "", "Tell us more": ""})
    write_po(committed, {"Hello there": "", "Run by %(council)s": ""})
    base = tmp_path / "translations" / "xx" / "LC_MESSAGES" / "messages.po"
    write_po(base, {"Hello there": "Salaan", "Run by %(council)s": "Waxaa maamula %(golaha)s",
                    "Read the reports": "Read the reports", "Tell us more": "Wax badan"}, fuzzy={"Tell us more"})
    problems, count = check_catalogues(fresh, committed, tmp_path / "translations", ["xx", "yy"])
    text = "\n".join(problems)
    assert count == 4
    assert "stale (2 new, 0 removed)" in text
    assert "still in English 'Read the reports'" in text
    assert "fuzzy 'Tell us more'" in text
    assert "council" in text  # the placeholder was renamed
    assert "yy: messages.po is missing" in text


def test_check_passes_a_complete_catalogue(tmp_path):
    fresh = tmp_path / "fresh.pot"
    write_po(fresh, {"Hello there": ""})
    shutil.copy(fresh, tmp_path / "messages.pot")
    write_po(tmp_path / "xx" / "LC_MESSAGES" / "messages.po", {"Hello there": "Salaan"})
    assert check_catalogues(fresh, tmp_path / "messages.pot", tmp_path, ["xx"]) == ([], 1)
