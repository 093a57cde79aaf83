"""Where the time goes: py-spy samples the worker processes; the top frames are summarised."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from contactpoint.bench.runtime import BenchError


def _py_spy() -> str | None:
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.exists() else shutil.which("py-spy")


@contextmanager
def profiled(pid: int, output: Path, rate: int = 100) -> Iterator[None]:
    """Sample `pid` and its child processes while the block runs; write collapsed stacks."""
    binary = _py_spy()
    if binary is None:
        raise BenchError("py-spy is not installed: pip install py-spy")
    command = [
        binary, "record", "--pid", str(pid), "--subprocesses", "--format", "raw",
        "--rate", str(rate), "--nonblocking", "--output", str(output),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _frame(raw: str) -> str:
    """`function (path:line)` -> `function (file)`, so lines of one function add up."""
    name, _, where = raw.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    parts = Path(path).parts
    for root in ("site-packages", "contactpoint", "workflows", "agencies"):
        if root in parts:
            index = parts.index(root)
            path = "/".join(parts[index + (root == "site-packages") :])
            break
    else:
        path = Path(path).name
    return f"{name} ({path})"


def top_items(collapsed: Path, count: int = 12) -> dict[str, list[list[object]]]:
    """The functions with the most samples: inclusive (on the stack) and self (on top)."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    ours: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, samples = line.rpartition(" ")
        if not samples.isdigit():
            continue
        weight = int(samples)
        frames = [_frame(f) for f in stack.split(";") if " (" in f]
        if not frames:
            continue
        total += weight
        own[frames[-1]] += weight
        for frame in set(frames):
            inclusive[frame] += weight
            if frame.split(" (")[1].startswith(("contactpoint/", "workflows/", "agencies/")):
                ours[frame] += weight
    share = 100.0 / total if total else 0.0

    def ranked(counter: Counter[str]) -> list[list[object]]:
        return [[name, round(n * share, 1)] for name, n in counter.most_common(count)]

    return {
        "samples": [[total]],
        "self_pct": ranked(own),
        "inclusive_pct": ranked(inclusive),
        "project_inclusive_pct": ranked(ours),
    }
