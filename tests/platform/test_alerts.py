"""The alerting rules are a rule file Prometheus loads: PromQL that parses, one name each,
a severity each, and the thresholds the operator asked for."""

from __future__ import annotations

import promql_parser
import pytest
import yaml
from click.testing import CliRunner

from contactpoint.cli import main
from contactpoint.platform.observability.alerts import SEVERITIES, alerts, rule_file


def test_every_rule_parses_as_promql_and_has_a_name_and_severity_of_its_own() -> None:
    rules = alerts()
    assert len({alert.name for alert in rules}) == len(rules)
    for alert in rules:
        promql_parser.parse(alert.expr)  # raises ValueError on what Prometheus would refuse
        assert alert.severity in SEVERITIES and alert.summary and alert.description
    assert {alert.severity for alert in rules} == set(SEVERITIES)


def test_a_broken_expression_is_what_the_parser_refuses() -> None:
    with pytest.raises(ValueError):
        promql_parser.parse("max by (agency (contactpoint_steps_failed) > 0")


def test_the_command_prints_a_rule_file_with_the_thresholds_asked_for() -> None:
    printed = CliRunner().invoke(
        main,
        [
            "alert-rules",
            "--queue-depth",
            "80",
            "--step-seconds",
            "2.5",
            "--queue-wait-seconds",
            "4",
        ],
    )
    assert printed.exit_code == 0, printed.output
    document = yaml.safe_load(printed.output)
    assert printed.output == rule_file(80, 2.5, 4)
    [group] = document["groups"]
    rules = {rule["alert"]: rule for rule in group["rules"]}
    assert set(rules) == {alert.name for alert in alerts()}
    assert rules["KontaktpunktQueueNotDraining"]["expr"].endswith("> 80")
    assert rules["KontaktpunktStepsSlow"]["expr"].endswith("> 2.5")
    assert rules["KontaktpunktStepsWaitForWorkers"]["expr"].endswith("> 4")
    assert (
        "contactpoint_step_queue_wait_seconds_bucket"
        in rules["KontaktpunktStepsWaitForWorkers"]["expr"]
    )
    assert rules["KontaktpunktRedisUnreachable"]["for"] == "5m"
    assert "for" not in rules["KontaktpunktWorkDrivenAgain"]  # fires at once
    assert all(rule["labels"]["severity"] in SEVERITIES for rule in rules.values())


def test_thresholds_that_cannot_hold_are_refused_by_name() -> None:
    refused = CliRunner().invoke(main, ["alert-rules", "--queue-depth", "0"])
    assert refused.exit_code == 2 and "--queue-depth" in refused.output
