"""`make audit`: a known vulnerability fails the build unless ignored with a reason; an
unreachable vulnerability service is said plainly and does not fail it."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import project_root


def audit() -> ModuleType:
    path = project_root() / "scripts" / "audit_dependencies.py"
    spec = importlib.util.spec_from_file_location("audit_dependencies", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def report(*dependencies: dict[str, object]) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


VULNERABLE = {
    "name": "jinja2",
    "version": "3.1.2",
    "vulns": [
        {"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"], "aliases": ["CVE-2024-22195"]}
    ],
}
CLEAN = {"name": "flask", "version": "3.1.3", "vulns": []}


def test_a_known_vulnerability_fails_and_names_the_fix() -> None:
    verdict = audit().judge(1, report(VULNERABLE, CLEAN), "", {})
    assert verdict.status == 1
    assert any(
        "jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in 3.1.3)" in line for line in verdict.lines
    )


def test_an_advisory_ignored_with_a_reason_passes_by_its_id_or_an_alias(tmp_path: Path) -> None:
    listed = tmp_path / "ignore"
    listed.write_text("# why each\nCVE-2024-22195 only templates we write ourselves\n")
    ignoring = audit().ignored(listed)
    assert ignoring == {"CVE-2024-22195": "only templates we write ourselves"}
    assert audit().judge(1, report(VULNERABLE, CLEAN), "", ignoring).status == 0


def test_an_ignored_advisory_without_a_reason_is_refused(tmp_path: Path) -> None:
    listed = tmp_path / "ignore"
    listed.write_text("GHSA-h5c8-rqwp-cp95\n")
    with pytest.raises(SystemExit, match="needs a reason"):
        audit().ignored(listed)


def test_an_unreachable_service_is_said_and_does_not_fail() -> None:
    offline = "requests.exceptions.ConnectionError: Max retries exceeded with url: /v1/query"
    verdict = audit().judge(1, "", offline, {})
    assert verdict.status == 0 and "NOT checked" in verdict.lines[0]
    nothing_found = {"name": "flask", "skip_reason": "Dependency not found on PyPI"}
    verdict = audit().judge(0, report(nothing_found, {**nothing_found, "name": "celery"}), "", {})
    assert verdict.status == 0 and "none of 2 dependencies" in verdict.lines[0]


def test_another_failure_of_pip_audit_fails() -> None:
    assert audit().judge(2, "", "error: unrecognized arguments", {}).status == 2


def test_the_project_ignores_nothing_without_a_reason() -> None:
    audit().ignored(project_root() / ".pip-audit-ignore")  # refuses a line without a reason
