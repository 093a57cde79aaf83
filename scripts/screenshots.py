"""Screenshots of the main citizen pages in Swedish and English, for the README.

Starts `contactpoint run` on a free port with a fresh instance folder, walks the moving
journey in Debian's headless Chromium and writes PNGs to docs/screenshots/ (not in git).

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CONTACTPOINT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
PERSON = "19850312-2387"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_app() -> Iterator[str]:
    """`contactpoint run` in a fresh instance folder; yields its base URL."""
    port = free_port()
    instance = Path(tempfile.mkdtemp(prefix="kontaktpunkt-screens-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTACTPOINT_")}
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    env.update(
        {"CONTACTPOINT_INSTANCE_PATH": str(instance), "CONTACTPOINT_AGENCY_LATENCY_MS": "50"}
    )
    program = shutil.which("contactpoint", path=str(Path(sys.executable).parent))
    if program is None:
        raise SystemExit("install the project first: make install")
    process = subprocess.Popen([program, "run", "--port", str(port)], env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the app did not start")
            time.sleep(0.3)
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(instance, ignore_errors=True)


def form_value(value: Any) -> str:
    return "yes" if value is True else "no" if value is False else str(value)


def answer_page(page: Page, answers: dict[str, Any]) -> None:
    """Fill in the questions on one page from the example answers."""
    names = page.eval_on_selector_all(
        "main form[method=post] [name]",
        "els => [...new Set(els.map(e => e.name))].filter(n => n && n !== 'csrf_token')",
    )
    for name in names:
        question, _, part = name.partition(".")
        value = answers.get(question)
        if part:
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            continue
        field = page.locator(f"main form [name='{name}']").first
        if field.get_attribute("type") in ("radio", "checkbox"):
            for item in value if isinstance(value, list) else [value]:
                page.locator(f"input[name='{name}'][value='{form_value(item)}']").check()
        else:
            field.fill(form_value(value))


def submit(page: Page) -> None:
    page.locator("main form[method=post] [type=submit]").last.click()
    page.wait_for_load_state()


def shoot(page: Page, out: Path, language: str, name: str) -> None:
    path = out / f"{language}-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def walk(page: Page, out: Path, language: str) -> None:
    """The moving journey, a screenshot at each main page."""
    page.goto(f"/?lang={language}")
    shoot(page, out, language, "01-start")
    page.goto("/login")
    shoot(page, out, language, "02-login")
    page.locator("#personal_number").fill(PERSON)
    page.locator("main form").first.locator("[type=submit]").click()
    page.goto("/life-events/moving")
    shoot(page, out, language, "03-life-event")
    answers = page.request.get("/api/v1/life-events/moving").json()["example_answers"]
    submit(page)
    shoot(page, out, language, "04-question")
    submit(page)
    shoot(page, out, language, "05-question-error")
    for _ in range(30):
        if re.search(r"/check$", page.url):
            break
        answer_page(page, {**answers, "housing_allowance": False})
        submit(page)
    shoot(page, out, language, "06-check-answers")
    page.locator("#consent").check()
    submit(page)
    shoot(page, out, language, "07-confirmation")
    page.locator(".case-status[data-status='done']").wait_for(timeout=60_000)
    page.goto(page.url.split("?")[0])
    shoot(page, out, language, "08-case")
    page.goto("/my-pages")
    shoot(page, out, language, "09-my-pages")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    out = parser.parse_args().out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    with running_app() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for language in ("sv", "en"):
            context = browser.new_context(base_url=base, viewport={"width": 1024, "height": 768})
            context.set_default_timeout(15_000)
            walk(context.new_page(), out, language)
            context.close()
        phone = browser.new_context(base_url=base, viewport={"width": 375, "height": 740})
        page = phone.new_page()
        page.goto("/?lang=sv")
        shoot(page, out, "sv", "10-start-phone")
        browser.close()


if __name__ == "__main__":
    main()
