"""Findings of every scanner in one shape, the waivers in security/waivers.toml, and the report.

A waiver names the tool, the rule and where (`file`, for bandit and semgrep, or `url`, a path on the
portal, for sqlmap and wapiti, where * stands for any text), optionally `match` (text the flagged source line must contain, so a
new finding of the same rule in the same file is not waived with it), and always a `reason`.
"""

from __future__ import annotations

import tomllib
from fnmatch import fnmatchcase
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WAIVERS = ROOT / "security" / "waivers.toml"
SEVERITIES = ("high", "medium", "low", "info")
FAILING = ("high", "medium")


@dataclass
class Finding:
    """One finding of one tool: its rule, severity (high, medium, low, info) and where."""

    tool: str
    rule: str
    severity: str
    where: str  # a file (relative to the repository) or a URL path
    line: int | None = None
    text: str = ""
    source: str = ""  # the flagged source line, for a waiver's `match`
    waiver: dict | None = field(default=None, repr=False)

    def location(self) -> str:
        return f"{self.where}:{self.line}" if self.line else self.where


def load_waivers(path: Path = WAIVERS) -> list[dict]:
    """Every waiver; each must name a tool, a rule, a file or URL, and a reason."""
    waivers = tomllib.loads(path.read_text(encoding="utf-8")).get("waiver", [])
    for number, waiver in enumerate(waivers, 1):
        missing = [key for key in ("tool", "rule", "reason") if not str(waiver.get(key, "")).strip()]
        if not (waiver.get("file") or waiver.get("url")):
            missing.append("file or url")
        if missing:
            raise ValueError(f"waiver {number} in {path.name} lacks {', '.join(missing)}")
    return waivers


def source_line(file: str, line: int | None) -> str:
    """The text of a line of a file of the repository ('' when it cannot be read)."""
    try:
        return (ROOT / file).read_text(encoding="utf-8").splitlines()[line - 1] if line else ""
    except (OSError, IndexError, UnicodeDecodeError):
        return ""


def _covers(waiver: dict, finding: Finding) -> bool:
    if waiver["tool"] != finding.tool or waiver["rule"] != finding.rule:
        return False
    if waiver.get("file") and waiver["file"] != finding.where:
        return False
    # A URL waiver may use * for the parts that change between runs (ids of rows the scanners created).
    if waiver.get("url") and not fnmatchcase(finding.where, waiver["url"]):
        return False
    return not waiver.get("match") or waiver["match"] in (finding.source or finding.text)


def apply_waivers(findings: list[Finding], waivers: list[dict], tools: set[str]) -> list[dict]:
    """Mark each finding a waiver covers; return the waivers of these tools that covered nothing."""
    used: set[int] = set()
    for finding in findings:
        for number, waiver in enumerate(waivers):
            if _covers(waiver, finding):
                finding.waiver = waiver
                used.add(number)
                break
    return [w for n, w in enumerate(waivers) if w["tool"] in tools and n not in used]


def unwaived_failures(findings: list[Finding]) -> list[Finding]:
    """Findings of high or medium severity that no waiver covers."""
    return [f for f in findings if f.severity in FAILING and f.waiver is None]


def report(tool: str, findings: list[Finding], seconds: float | None = None) -> str:
    """A tool's findings: counts by severity, then each finding (waived ones with their reason)."""
    mine = [f for f in findings if f.tool == tool]
    counts = ", ".join(
        f"{severity} {sum(f.severity == severity for f in mine)}"
        f" ({sum(f.severity == severity and f.waiver is not None for f in mine)} waived)"
        for severity in SEVERITIES)
    took = f" in {seconds:.1f} s" if seconds is not None else ""
    lines = [f"== {tool}{took}: {counts}"]
    for finding in sorted(mine, key=lambda f: (SEVERITIES.index(f.severity), f.where, f.line or 0)):
        state = "waived" if finding.waiver else ("FAIL" if finding.severity in FAILING else "note")
        lines.append(f"  [{state}] {finding.severity} {finding.rule} {finding.location()}: {finding.text}")
        if finding.waiver:
            lines.append(f"           reason: {finding.waiver['reason']}")
    return "\n".join(lines)
