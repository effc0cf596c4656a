"""Screenshots of the key pages at desktop and phone width, for a reviewer (`make screenshots`).

    python scripts/screenshots.py [--out var/screenshots] [--lang en] [--dark]

Builds a throwaway site (its own SQLite database in a temporary folder: migrate, compilecontent,
demo_users), serves it with runserver on a free loopback port, and drives Debian's headless
Chromium through each page as the person who would see it: the catalogue and sign-in as a visitor;
lessons with each widget after a run and a check after a wrong answer as a student; the class
dashboard as a teacher. Each page is saved whole (not only the first screen) as
``<out>/<n>-<page>-<desktop|phone>[-dark].png``, and ``<out>/index.html`` shows them all side by side.
Nothing of the developer's own database is touched.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import html
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import chromium  # noqa: E402  (one way to start Chromium, shared with the tests)

DESKTOP = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}
PHONE = {"width": 375, "height": 740, "deviceScaleFactor": 2, "mobile": True}
PASSWORD = "screenshots-only"
PATH = "/paths/deep_learning/{lang}/"


@dataclass
class Page:
    name: str
    url: str
    who: str = ""  # "" (a visitor), "student" or "teacher"
    prepare: Callable | None = None  # called after the page has loaded, before the shot


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    print(f"  manage.py {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


@contextlib.contextmanager
def site(env: dict):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(base + "/", timeout=2)
                break
            time.sleep(0.5)
        else:
            raise SystemExit("the site did not start within a minute")
        yield base
    finally:
        server.terminate()
        server.wait(10)


def wait(browser, script: str, timeout: float = 60) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if browser.execute_script(script):
            return
        time.sleep(0.2)
    print(f"    (gave up waiting for: {script[:60]}...)", flush=True)


WIDGETS_READY = (
    "return [...document.querySelectorAll('.lp-widget')].every((n) => n.dataset.ready !== undefined"
    " && n.dataset.state !== 'loading')"
)


def widgets_ready(browser) -> None:
    wait(browser, WIDGETS_READY)


def train_playground(browser) -> None:
    """Press the playground's Train, let it learn a few seconds, pause it."""
    widgets_ready(browser)
    button = "document.querySelector('.lp-widget[data-widget=playground] button[aria-pressed]')"
    browser.execute_script(f"{button}.click()")
    wait(browser, "return document.querySelector('.lp-widget[data-widget=playground]').dataset.running === 'true'")
    time.sleep(6)
    browser.execute_script(f"if ({button}.getAttribute('aria-pressed') === 'true') {button}.click()")
    time.sleep(0.5)


def run_widgets(browser) -> None:
    """Press every widget's run button (the learning-rate and batch-mode widgets train on demand)."""
    widgets_ready(browser)
    browser.execute_script(
        "document.querySelectorAll('.lp-widget button').forEach((b) => { if (/run|train|uitvoeren|trainen/i"
        ".test(b.textContent) && !b.disabled) b.click(); })"
    )
    time.sleep(8)


def wrong_answer(browser) -> None:
    """Answer the check's first question wrongly and wait for the feedback."""
    browser.execute_script(
        "const f = document.querySelector('form.lp-question'); const i = f.querySelector('input[type=text],"
        " input[type=number]'); if (i) { i.value = '12345'; } else { f.querySelector("
        "'input[type=radio], input[type=checkbox]').click(); } f.requestSubmit();"
    )
    wait(browser, "return !!document.querySelector('.lp-question-feedback:not(:empty)')", 20)
    time.sleep(0.5)


def pages(lang: str) -> list[Page]:
    path = PATH.format(lang=lang)
    return [
        Page("catalogue", "/"),
        Page("search", "/search/?q=neuron"),
        Page("sign-in", "/accounts/sign-in/"),
        Page("path-start", path, "student"),
        Page("lesson-neuron", f"{path}dl_neuron/", "student", widgets_ready),
        Page("lesson-activation", f"{path}dl_activation/", "student", widgets_ready),
        Page("lesson-playground", f"{path}dl_layers/", "student", train_playground),
        Page("lesson-learning-rate", f"{path}dl_descent/", "student", run_widgets),
        Page("lesson-batches", f"{path}dl_batches/", "student", run_widgets),
        Page("lesson-convolution", f"{path}dl_cnn/", "student", widgets_ready),
        Page("lesson-confusion", f"{path}dl_evaluation/", "student", widgets_ready),
        Page("lesson-project", f"{path}dl_project/", "student", widgets_ready),
        Page("check-wrong-answer", f"{path}dl_check_neurons/", "student", wrong_answer),
        Page("student-home", "/classes/", "student"),
        Page("teacher-classes", "/classes/", "teacher"),
        Page("teacher-dashboard", "DASHBOARD", "teacher"),
    ]


def sign_in(browser, base: str, username: str) -> None:
    from selenium.webdriver.common.by import By

    browser.delete_all_cookies()
    browser.get(base + "/accounts/sign-in/")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait(browser, "return !!document.querySelector('.who')", 20)


def dashboard_url(browser, base: str) -> str:
    browser.get(base + "/classes/")
    room = browser.execute_script('return document.querySelector(\'main a[href^="/classes/"][href$="/"]\')?.href')
    browser.get(room)
    link = browser.execute_script("return document.querySelector('main a[href*=\"/assignments/\"]')?.href")
    return link or room


def shoot(browser, metrics: dict, dark: bool, out: Path) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    scheme = "dark" if dark else "light"
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"media": "", "features": [{"name": "prefers-color-scheme", "value": scheme}]}
    )
    time.sleep(0.6)  # a layout at the new size, charts redrawn on resize
    size = browser.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    shot = browser.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": metrics["width"], "height": min(size["height"], 12000), "scale": 1},
        },
    )
    out.write_bytes(base64.b64decode(shot["data"]))


def index(out: Path, shots: list[tuple[str, list[Path]]]) -> None:
    rows = "\n".join(
        f"<section><h2>{html.escape(name)}</h2>"
        + "".join(f'<figure><img src="{p.name}" alt=""><figcaption>{p.name}</figcaption></figure>' for p in files)
        + "</section>"
        for name, files in shots
    )
    (out / "index.html").write_text(
        "<!doctype html><meta charset=utf-8><title>learningpaths screenshots</title><style>"
        "body{font-family:sans-serif;margin:1rem}section{display:flex;gap:1rem;align-items:flex-start;"
        "flex-wrap:wrap;border-top:1px solid #ccc}figure{margin:0}img{max-width:640px;border:1px solid #999}"
        "h2{flex-basis:100%}</style>" + rows,
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "screenshots")
    parser.add_argument("--lang", default="en", choices=["en", "nl"], help="UI and content language")
    parser.add_argument("--dark", action="store_true", help="also shoot every page in the dark scheme")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("*.png"):
        old.unlink()

    with tempfile.TemporaryDirectory(prefix="lp-screenshots-") as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3", "DEMO_RATE_LIMIT": "10000"}
        print("building a throwaway site ...", flush=True)
        manage(env, "migrate", "--noinput")
        manage(env, "compilecontent")
        manage(env, "demo_users", "--password", PASSWORD, "--force")
        shots: list[tuple[str, list[Path]]] = []
        with site(env) as base, chromium(lang=args.lang) as browser:
            browser.get(base + "/")
            browser.add_cookie({"name": "django_language", "value": args.lang})
            who = None
            todo = pages(args.lang)
            for n, page in enumerate(todo, 1):
                if page.who != who:
                    if page.who:
                        sign_in(browser, base, f"demo-{page.who}" + ("-1" if page.who == "student" else ""))
                    else:
                        browser.delete_all_cookies()
                    browser.get(base + "/")
                    browser.add_cookie({"name": "django_language", "value": args.lang})
                    who = page.who
                url = dashboard_url(browser, base) if page.url == "DASHBOARD" else base + page.url
                files = []
                for label, metrics in (("desktop", DESKTOP), ("phone", PHONE)):
                    for dark in (False, True) if args.dark else (False,):
                        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
                        browser.get(url)
                        if page.prepare:
                            page.prepare(browser)
                        file = args.out / f"{n:02d}-{page.name}-{label}{'-dark' if dark else ''}.png"
                        shoot(browser, metrics, dark, file)
                        files.append(file)
                print(f"[{n}/{len(todo)}] {page.name}: {', '.join(f.name for f in files)}", flush=True)
                shots.append((page.name, files))
            browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    index(args.out, shots)
    print(f"{sum(len(f) for _, f in shots)} screenshots -> {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
