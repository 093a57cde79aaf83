"""Prometheus alerting rules over the metrics `/metrics` serves: what an operator is called
out for (`page`: the service itself is failing citizens now) and what goes to a ticket, often
an agency's (`ticket`: act today). `contactpoint alert-rules` prints them as a rule file.

Every rule takes the highest (or the sum) over the web processes and hosts Prometheus
scrapes: the queue depths and the work waiting for people are read from Redis and the
database at each scrape, so every web host reports the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

# What each severity asks of the one who gets it.
SEVERITIES = ("page", "ticket")


@dataclass(frozen=True)
class Alert:
    """One alerting rule: its PromQL condition, how long it must hold, and its words."""

    name: str
    expr: str
    hold: str | None  # Prometheus's `for`; None fires at the first evaluation that holds
    severity: str
    summary: str
    description: str

    def rule(self) -> dict[str, Any]:
        """The rule as Prometheus reads it."""
        rule: dict[str, Any] = {"alert": self.name, "expr": self.expr}
        if self.hold:
            rule["for"] = self.hold
        rule["labels"] = {"severity": self.severity, "service": "kontaktpunkt"}
        rule["annotations"] = {"summary": self.summary, "description": self.description}
        return rule


def alerts(
    queue_depth: int = 500, step_seconds: float = 10.0, queue_wait_seconds: float = 30.0
) -> list[Alert]:
    """The rules, with the queue depth that no queue should keep for 15 minutes, the step
    time (p95 from a step's start to its agency's answer) that no agency should take, and the
    wait for a worker (p95 from a step's claim to its first attempt) that no step should."""
    return [
        Alert(
            "KontaktpunktRedisUnreachable",
            "absent(contactpoint_queue_depth)",
            "5m",
            "page",
            "No queue depth for 5 minutes: Redis is out of reach, or /metrics is not scraped.",
            "Cases are received and kept (outbox) but no step is sent. GET /healthz on a web"
            " host says whether it reaches Redis; the recovery pass sends what waited once it"
            " is back.",
        ),
        Alert(
            "KontaktpunktDatabaseUnreachable",
            "absent(contactpoint_steps_failed)",
            "5m",
            "page",
            "No step counts for 5 minutes: the database is out of reach, or /metrics is not"
            " scraped.",
            "Citizens cannot send cases or read their status: the web answers 503 with"
            " Retry-After. Workers put off the steps they take and try them again once it is"
            " back; the rest wait in Redis. GET /healthz says whether a web host reaches the"
            " database.",
        ),
        Alert(
            "KontaktpunktQueueNotDraining",
            f"min by (queue) (min_over_time(contactpoint_queue_depth[15m])) > {queue_depth}",
            None,
            "page",
            f"Queue {{{{ $labels.queue }}}} has held over {queue_depth} messages for 15 minutes.",
            "No worker consumes it, or too few do: `celery -A worker inspect active_queues`"
            " lists who serves which queue. Start workers for it (`celery -A worker worker -Q"
            " {{ $labels.queue }}`); the steps wait in order meanwhile.",
        ),
        Alert(
            "KontaktpunktAuditTrailWentBack",
            "max(contactpoint_audit_chain_head_position)"
            " < max(max_over_time(contactpoint_audit_chain_head_position[7d]))",
            None,
            "page",
            "The audit trail's last entry is at position {{ $value }}, before a head served in"
            " the last 7 days.",
            "The trail only grows: entries were removed from its end, or the database was put"
            " back from a backup. Run `contactpoint audit verify --published POSITION:HASH` with"
            " the last head logged before the drop (docs/operations.md, 'The audit trail's"
            " head').",
        ),
        Alert(
            "KontaktpunktAgencyUnreachable",
            "max by (agency) (contactpoint_agency_breaker_open) > 0"
            " or max by (agency) (contactpoint_steps_retry_scheduled) > 0",
            "15m",
            "ticket",
            "{{ $labels.agency }} has not been reached for 15 minutes.",
            "Its steps wait for their scheduled retries, and its officers' inbox lists them"
            " under 'Not delivered yet'. Tell the agency; nothing is lost while it is down.",
        ),
        Alert(
            "KontaktpunktStepsFailed",
            "max by (agency) (contactpoint_steps_failed) > 0",
            "15m",
            "ticket",
            "{{ $value }} steps at {{ $labels.agency }} failed after every retry.",
            "They are in the agency's 'Failed' queue. Once the agency is back, send them again"
            " with `contactpoint retry-failed --agency {{ $labels.agency }}` (or its supervisor"
            " from the inbox).",
        ),
        Alert(
            "KontaktpunktStepsOverdue",
            "max by (agency) (contactpoint_steps_overdue) > 0",
            "1h",
            "ticket",
            "{{ $value }} steps wait for {{ $labels.agency }} past their service level.",
            "The agency's officers have them in their 'Overdue' queue; its supervisor decides"
            " who takes them.",
        ),
        Alert(
            "KontaktpunktWorkDrivenAgain",
            'sum by (kind) (increase(contactpoint_recovered_total{kind=~"advanced|requeued"}'
            "[30m])) > 0",
            None,
            "ticket",
            "Recovery drove {{ $value }} {{ $labels.kind }} again in the last 30 minutes.",
            "A worker, a message or the broker was lost and recovery made it good: look for"
            " workers killed (memory) or restarted, and for Redis restarts without its"
            " append-only file.",
        ),
        Alert(
            "KontaktpunktStepsSlow",
            "histogram_quantile(0.95, sum by (agency, le)"
            " (rate(contactpoint_step_duration_seconds_bucket[10m]))) > " + f"{step_seconds:g}",
            "15m",
            "ticket",
            f"{{{{ $labels.agency }}}} takes over {step_seconds:g} s to answer one step in twenty.",
            "The agency's system is slow, or the way to it is: its workers wait on it, and"
            " the other agencies' queues do not.",
        ),
        Alert(
            "KontaktpunktStepsWaitForWorkers",
            "histogram_quantile(0.95, sum by (agency, le)"
            " (rate(contactpoint_step_queue_wait_seconds_bucket[10m]))) > "
            + f"{queue_wait_seconds:g}",
            "15m",
            "ticket",
            f"Steps for {{{{ $labels.agency }}}} wait over {queue_wait_seconds:g} s for a free"
            " worker, one in twenty.",
            "The agency's queue drains, but too slowly: its workers are busy (with a slow"
            " agency, KontaktpunktStepsSlow says so) or too few. Start more workers for its queue"
            " (`celery -A worker worker -Q agency.<name>`) or give them more processes"
            " (`--concurrency`).",
        ),
        Alert(
            "KontaktpunktAgencySecretsGuessed",
            'sum(increase(contactpoint_rate_limited_total{kind="agency_token_failures"}[10m])) > 0',
            None,
            "ticket",
            "Wrong agency secrets were refused for their rate in the last 10 minutes.",
            "Someone tries agency secrets, or an agency's system has an old one: each"
            " address is refused for a while after too many (`CONTACTPOINT_TOKEN_FAILURE_"
            "LIMIT`). Ask the agencies whether one changed its secret.",
        ),
        Alert(
            "KontaktpunktMinaArendenKeysGuessed",
            "sum(increase(contactpoint_rate_limited_total"
            '{kind="mina_arenden_key_failures"}[10m])) > 0',
            None,
            "ticket",
            "Wrong Mina ärenden keys were refused for their rate in the last 10 minutes.",
            "Someone tries keys at the Mina ärenden query, or Skatteverket's forwarding service"
            " sends one no longer in MINA_ARENDEN_API_KEYS: each address is refused for a while"
            " after too many (`CONTACTPOINT_MINA_ARENDEN_FAILURE_LIMIT`). Ask Skatteverket which"
            " key it sends (docs/mina-arenden.md).",
        ),
    ]


def rule_file(
    queue_depth: int = 500, step_seconds: float = 10.0, queue_wait_seconds: float = 30.0
) -> str:
    """The rules as a Prometheus rule file (YAML)."""
    rules = [alert.rule() for alert in alerts(queue_depth, step_seconds, queue_wait_seconds)]
    document = {"groups": [{"name": "kontaktpunkt", "rules": rules}]}
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
