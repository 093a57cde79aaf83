"""The benchmark's targets and its human-readable report."""

from __future__ import annotations

from typing import Any

TARGETS: dict[str, str] = {
    "throughput_ratio": ">= 0.5",
    "latency_ratio": "<= 3",
    "read_ratio": "<= 2",
    "mypages_ratio": "<= 2",
    "submit_ratio": ">= 0.5",
    "queries_constant": "true",
    "statistics_read_ratio": "<= 2",
    "statistics_queries_constant": "true",
    "proactive_ratio": ">= 0.5",
}

ROWS = [
    ("Ceiling (raw Celery)", "ceiling_cases_per_s", "cases/s"),
    ("  latency p50 / p95", ("ceiling_latency_p50_s", "ceiling_latency_p95_s"), "s"),
    ("Kontaktpunkt", "cases_per_s", "cases/s"),
    ("  latency p50 / p95", ("latency_p50_s", "latency_p95_s"), "s"),
    ("  throughput ratio", "throughput_ratio", ""),
    ("  latency ratio", "latency_ratio", ""),
    (
        "  p50: to first step, in, between",
        ("latency_until_first_step_ms", "latency_in_steps_ms", "latency_between_steps_ms"),
        "ms",
    ),
    (
        "  CPU per case (workers, DB, Redis, submitter)",
        (
            "worker_cpu_ms_per_case",
            "database_cpu_ms_per_case",
            "redis_cpu_ms_per_case",
            "submitter_cpu_ms_per_case",
        ),
        "ms",
    ),
    (
        "  ceiling's (workers, Redis, submitter)",
        (
            "ceiling_worker_cpu_ms_per_case",
            "ceiling_redis_cpu_ms_per_case",
            "ceiling_submitter_cpu_ms_per_case",
        ),
        "ms",
    ),
    ("  CPU ratio (all parts)", "cpu_ratio", ""),
    ("Trivial page", ("trivial_rps", "trivial_p99_s"), "req/s, p99 s"),
    ("Case status read", ("read_rps", "read_p99_s"), "req/s, p99 s"),
    ("My pages read", ("mypages_rps", "mypages_p99_s"), "req/s, p99 s"),
    (
        "Case status read, rendered every time",
        ("read_uncached_rps", "read_uncached_p99_s"),
        "req/s, p99 s",
    ),
    (
        "My pages read, rendered every time",
        ("mypages_uncached_rps", "mypages_uncached_p99_s"),
        "req/s, p99 s",
    ),
    ("  read ratio (status, My pages)", ("read_ratio", "mypages_ratio"), ""),
    (
        "  read ratio, rendered every time",
        ("read_uncached_ratio", "mypages_uncached_ratio"),
        "",
    ),
    (
        "  SQL per read (status, My pages)",
        ("queries_per_status_read", "queries_per_mypages_read"),
        "",
    ),
    ("  constant in steps and cases", "queries_constant", ""),
    ("Statistics read", ("statistics_rps", "statistics_p99_s"), "req/s, p99 s"),
    ("  statistics read ratio", "statistics_read_ratio", ""),
    (
        "  SQL per statistics read, constant",
        ("queries_per_statistics_read", "statistics_queries_constant"),
        "",
    ),
    ("  months released from the population", "statistics_months_released", ""),
    ("Submit through the API", ("submit_rps", "submit_p99_s"), "req/s, p99 s"),
    ("Submit raw Celery (HTTP, direct)", ("raw_submit_rps", "raw_submit_direct_per_s"), "req/s"),
    ("  submit ratio", "submit_ratio", ""),
    ("Scale (1 worker, 2 workers)", ("cases_per_s_1_worker", "cases_per_s_2_workers"), "cases/s"),
    ("  factor", "scale_factor_2_workers", ""),
    ("Worker peak memory", "worker_rss_mb", "MiB"),
    ("Proactive pass (people in the register)", "proactive_population", ""),
    ("  due, reminded (a day's pass)", ("proactive_due", "proactive_reminded"), "people"),
    ("  pass, its queries alone", ("proactive_pass_s", "proactive_queries_alone_s"), "s"),
    ("  people per second", "proactive_people_per_s", "people/s"),
    ("  proactive ratio", "proactive_ratio", ""),
    (
        "  first pass: reminded, s, ratio",
        ("proactive_first_reminded", "proactive_first_pass_s", "proactive_first_ratio"),
        "",
    ),
    ("  pass process's memory growth", "proactive_rss_growth_mb", "MiB"),
]


def _value(result: dict[str, Any], key: str) -> str:
    value = result.get(key)
    spread = result.get("ranges", {}).get(key)
    text = "-" if value is None else str(value)
    if spread:
        text += f" [{spread[0]}..{spread[1]}]"
    target = TARGETS.get(key)
    return f"{text} (target {target})" if target else text


def render(result: dict[str, Any]) -> str:
    """The figures as an aligned table, with targets, versions and settings."""
    lines = [f"Kontaktpunkt benchmark, {result.get('date')}"]
    for label, keys, unit in ROWS:
        names = keys if isinstance(keys, tuple) else (keys,)
        if all(result.get(name) is None for name in names):
            continue  # a phase left out with --only
        values = " / ".join(_value(result, name) for name in names)
        lines.append(f"{label:<36} {values} {unit}".rstrip())
    for heading in ("versions", "settings"):
        lines.append(f"{heading}: " + ", ".join(f"{k}={v}" for k, v in result[heading].items()))
    for kind, items in result.get("profile_top", {}).items():
        if kind != "samples":
            lines.append(f"profile ({kind}):")
            lines.extend(f"  {share:>5}%  {name}" for name, share in items)
    return "\n".join(lines)
