"""Two app servers (gunicorn, production settings) sharing a real PostgreSQL and a real Redis, as
docs/deploy.md "Past one machine" describes: a session made on one is good on the other, the
sign-in and demo rate limits count across both, and a content build made through one is served by
the other at once.

Needs PostgreSQL and Redis: ``scripts/postgres.sh start`` and ``scripts/redis.sh start`` (both
install Debian's packages when run as root; ``make test`` starts them). Skipped when either cannot
be started. Each run gets a database of its own on the shared server, dropped at the end.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _started(script: str) -> str:
    out = subprocess.run([str(ROOT / "scripts" / script), "start"], capture_output=True, text=True, timeout=300)
    if out.returncode != 0 or not out.stdout.strip():
        pytest.skip(f"scripts/{script} start failed: {out.stderr.strip()[-300:]}")
    return out.stdout.strip().splitlines()[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """Cookies by hand: the production cookies are Secure, which http.cookiejar would not send over
    plain HTTP on loopback."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, body: bytes | None = None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, text

    def get(self, port: int, path: str):
        return self.request(port, "GET", path)

    def post_form(self, port: int, path: str, fields: dict):
        status, page = self.get(port, path)
        assert status == 200, (path, status)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        return self.request(port, "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    import psycopg

    pg_url = _started("postgres.sh")
    cache_url = _started("redis.sh")
    parts = urlsplit(pg_url)
    name = f"lp_servers_{secrets.token_hex(4)}"
    admin = psycopg.connect(pg_url, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    tmp = tmp_path_factory.mktemp("servers")
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG")}
    env.update(
        DEBUG="0",
        SECRET_KEY="two-servers-" + secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=parts._replace(path=f"/{name}").geturl(),
        CACHE_URL=cache_url,
        VAR_DIR=str(tmp / "var"),
        CONTENT_DIR=str(content),
        DEMO_RATE_LIMIT="6",
        LOG_LEVEL="WARNING",
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="2",
    )

    def manage(*args):
        out = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )
        assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]

    manage("migrate", "--noinput", "-v0")
    manage("compilecontent")
    manage("collectstatic", "--noinput", "-v0")  # production pages name the hashed static files
    ports, processes, logs = [_free_port(), _free_port()], [], []
    try:
        for port in ports:
            log = open(tmp / f"gunicorn-{port}.log", "w")
            logs.append(log)
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "learningpaths.wsgi"],
                    cwd=ROOT,
                    env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        deadline = time.monotonic() + 120
        for port, process in zip(ports, processes, strict=True):
            answer = None
            while answer != 200:
                assert process.poll() is None, (tmp / f"gunicorn-{port}.log").read_text()[-2000:]
                try:
                    answer = Browser().get(port, "/")[0]
                except OSError as exc:
                    answer = exc
                log = (tmp / f"gunicorn-{port}.log").read_text()[-2000:]
                assert time.monotonic() < deadline, f"gunicorn on {port} did not answer: {answer!r}\n{log}"
                time.sleep(0.3)
        yield {"ports": ports, "manage": manage, "content": content, "env": env}
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _user(servers, username: str, password: str) -> None:
    servers["manage"](
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        f"get_user_model().objects.create_user({username!r}, password={password!r}, role='student')",
    )


def test_a_session_made_on_one_server_is_good_on_the_other(servers):
    a, b = servers["ports"]
    username, password = f"ann{secrets.token_hex(3)}", "pw-" + secrets.token_urlsafe(12)
    _user(servers, username, password)
    browser = Browser()
    status, _ = browser.post_form(a, "/accounts/sign-in/", {"username": username, "password": password})
    assert status == 302 and "sessionid" in browser.cookies
    status, page = browser.get(b, "/paths/deep_learning/en/dl_neuron/")
    assert status == 200 and f'<span class="who">{username}</span>' in page
    # Progress recorded through B shows on A.
    browser.get(b, "/paths/deep_learning/en/dl_activation/")
    status, page = browser.get(a, "/paths/deep_learning/en/")
    assert status == 200 and 'aria-current="step">Activation functions<' in page


def test_sign_in_failures_count_across_both_servers(servers):
    a, b = servers["ports"]
    username = f"bob{secrets.token_hex(3)}"
    _user(servers, username, "pw-" + secrets.token_urlsafe(12))
    browser = Browser()
    statuses = [
        browser.post_form((a, b)[i % 2], "/accounts/sign-in/", {"username": username, "password": f"wrong-{i}"})[0]
        for i in range(10)
    ]
    assert statuses == [200] * 10  # ten wrong passwords, five on each server
    assert browser.post_form(a, "/accounts/sign-in/", {"username": username, "password": "wrong"})[0] == 429
    assert browser.post_form(b, "/accounts/sign-in/", {"username": username, "password": "wrong"})[0] == 429


def test_demo_requests_count_across_both_servers(servers):
    a, b = servers["ports"]
    if time.time() % 60 > 45:  # the limit's windows are whole minutes: do not straddle one
        time.sleep(61 - time.time() % 60)
    browser = Browser()
    browser.cookies["sessionid"] = secrets.token_hex(16)  # one browser (the limit follows the session)
    statuses = [
        browser.request(
            (a, b)[i % 2], "POST", "/api/demos/digits-cnn/predict", b"{}", {"Content-Type": "application/json"}
        )[0]
        for i in range(8)
    ]
    # DEMO_RATE_LIMIT=6 per minute: six answers (400: the body is no input), then 429 on either server.
    assert statuses[:6] == [400] * 6 and statuses[6:] == [429, 429], statuses


def test_a_build_made_through_one_server_is_served_by_the_other_at_once(servers):
    a, b = servers["ports"]
    lesson = "/paths/deep_learning/en/dl_neuron/"
    for port in (a, b):  # both have it memoised now
        status, page = Browser().get(port, lesson)
        assert status == 200 and "built from tiny units called" in page
    source = next(servers["content"].rglob("0030_one_neuron/index.md"))
    marker = f"REBUILT-{secrets.token_hex(4)}"
    source.write_text(source.read_text().replace("built from tiny units called", f"built from {marker} units called"))
    servers["manage"]("compilecontent")  # the same environment as server A
    for port in (b, a):
        status, page = Browser().get(port, lesson)
        assert status == 200 and marker in page and "built from tiny units called" not in page, port
