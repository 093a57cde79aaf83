"""Audit the installed dependencies for known vulnerabilities (pip-audit), as `make test` does.

A known vulnerability fails, unless `.pip-audit-ignore` lists its id with a reason. When the
vulnerability service cannot be reached (no network, or it answers nothing for any package),
this says so plainly and does not fail: nothing was checked, and the output says that.

Usage: python scripts/audit_dependencies.py [--ignore-file .pip-audit-ignore]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

UNREACHABLE_SIGNS = (
    "ConnectionError",
    "NameResolutionError",
    "Max retries exceeded",
    "Temporary failure in name resolution",
    "timed out",
    "Network is unreachable",
)


@dataclass(frozen=True)
class Verdict:
    """What the audit found: the exit status and the lines that say why."""

    status: int
    lines: list[str]


def ignored(path: Path) -> dict[str, str]:
    """The advisories to ignore, each with its reason: `<id> <reason>` a line, # comments.
    A line without a reason is refused: an ignored advisory must say why."""
    entries: dict[str, str] = {}
    if not path.exists():
        return entries
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = "" if line.lstrip().startswith("#") else line.strip()
        if not text:
            continue
        advisory, _, reason = text.partition(" ")
        if not reason.strip():
            raise SystemExit(f"{path}:{number}: {advisory} needs a reason after its id")
        entries[advisory] = reason.strip()
    return entries


def fixed_in(vulnerability: dict[str, Any]) -> str:
    """The releases that fix a vulnerability, as words."""
    return ", ".join(vulnerability.get("fix_versions") or []) or "no release yet"


def judge(returncode: int, stdout: str, stderr: str, ignoring: dict[str, str]) -> Verdict:
    """The verdict on one pip-audit run (`--format json`)."""
    try:
        report: dict[str, Any] = json.loads(stdout)
    except ValueError:
        if returncode and any(sign in stderr for sign in UNREACHABLE_SIGNS):
            return Verdict(
                0,
                [
                    "pip-audit: the vulnerability service cannot be reached;"
                    " dependencies NOT checked (not failing the build)."
                ],
            )
        return Verdict(returncode or 1, ["pip-audit failed:", stderr.strip()])
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    audited = [d for d in dependencies if not d.get("skip_reason")]
    found = [
        f"{d['name']} {d['version']}: {v['id']} (fixed in {fixed_in(v)})"
        for d in audited
        for v in d.get("vulns", [])
        if v["id"] not in ignoring and not set(v.get("aliases") or []) & set(ignoring)
    ]
    if found:
        return Verdict(
            1,
            ["pip-audit: known vulnerabilities in installed dependencies:"]
            + [f"  {line}" for line in found]
            + ["Upgrade them, or list an advisory in .pip-audit-ignore with why."],
        )
    if skipped and not audited:
        return Verdict(
            0,
            [
                f"pip-audit: the vulnerability service answered for none of"
                f" {len(skipped)} dependencies; dependencies NOT checked"
                " (not failing the build)."
            ],
        )
    lines = [
        f"pip-audit: {len(audited)} dependencies checked, no known vulnerabilities"
        + (f" ({len(ignoring)} advisories ignored with a reason)." if ignoring else ".")
    ]
    lines += [f"  not checked: {d['name']}: {d['skip_reason']}" for d in skipped]
    return Verdict(0, lines)


def main() -> int:
    """Run pip-audit over this environment and print the verdict; its exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ignore-file", type=Path, default=Path(".pip-audit-ignore"))
    ignoring = ignored(parser.parse_args().ignore_file)
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--skip-editable",
        "--progress-spinner",
        "off",
        "--format",
        "json",
        "--timeout",
        "15",
    ]
    command += [part for advisory in ignoring for part in ("--ignore-vuln", advisory)]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    verdict = judge(run.returncode, run.stdout, run.stderr, ignoring)
    print("\n".join(verdict.lines))
    return verdict.status


if __name__ == "__main__":
    sys.exit(main())
