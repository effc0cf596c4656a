"""The database goes away under a running server and comes back: while it is gone the site answers
503 with Retry-After and its standalone outage page (JSON on the API), never a 500 or a traceback;
once it is back the same server answers 200 again, without a restart.

gunicorn serves the site in a subprocess, as in production. On PostgreSQL its DATABASE_URL points
at the database server *through a TCP proxy in this test* (``helpers.Proxy``), and the outage is
the proxy cutting every connection and refusing new ones: what a crashed server, a failover or a
network split looks like to the site. Only this server's connections go through the proxy, so
other tests using the same PostgreSQL server are not disturbed; the test database is its own.

Both connection modes run: a new connection per request (``CONN_MAX_AGE=0``, the default) and
persistent connections (``CONN_MAX_AGE=60``), whose broken connections must be noticed and
replaced, including when the database blinked while the site was idle.

On SQLite (the default deployment) the database file becomes unopenable (a directory takes its
place) and comes back.

PostgreSQL comes from ``DATABASE_URL`` when the suite runs on it, else from
``scripts/postgres.sh start`` (which installs Debian's postgresql as root); only when neither
works are the PostgreSQL cases skipped, with the reason.
"""

from __future__ import annotations

import json
import shutil
from urllib.parse import urlsplit, urlunsplit

import pytest

from .helpers import (
    HttpClient,
    Proxy,
    manage,
    manage_env,
    postgres_database,
    postgres_url,
    serve,
    stop,
    write_version,
)

pytestmark = pytest.mark.slow

PAGES = {  # the catalogue, a path, a lesson page, and the API
    "/": "Faults A",
    "/paths/faults/en/": "BUILD-A-MARKER",
    "/objects/o003/en/1/": "BUILD-A-MARKER text of object 3",
    "/api/learningPath/faults/en": '"hruid": "faults"',
}
ANSWER_URL = "/learn/answers/o003/en/1/q1/"
STUDENT = ("outage-student", "pw-outage-student-123")
CREATE_STUDENT = (
    f"from django.contrib.auth import get_user_model; "
    f"get_user_model().objects.create_user({STUDENT[0]!r}, password={STUDENT[1]!r}, role='student')"
)


def assert_served(client: HttpClient, label: str) -> None:
    for url, marker in PAGES.items():
        status, _, body = client.get(url)
        assert status == 200, f"{label}: {url} answered {status}: {body[:300]}"
        assert marker in body, f"{label}: {url} lacks {marker!r}"
    if "sessionid" in client.cookies:
        status, _, body = post_answer(client)
        assert status == 201 and json.loads(body)["correct"] is True, (label, status, body[:300])


def assert_outage(client: HttpClient, label: str) -> None:
    for url in PAGES:
        status, headers, body = client.get(url)
        assert status == 503, f"{label}: {url} answered {status} during the outage: {body[:500]}"
        assert int(headers["retry-after"]) > 0, (url, headers)
        assert headers.get("cache-control") == "no-store", (url, headers)
        assert "Traceback" not in body and "Server Error" not in body, (url, body[:500])
        if url.startswith("/api/"):
            assert headers["content-type"].startswith("application/json"), (url, headers)
            assert json.loads(body)["error"] == "service_unavailable"
        else:
            assert headers["content-type"].startswith("text/html"), (url, headers)
            assert "Back in a moment" in body and "cannot reach its database" in body, body[:500]
            assert "Zo terug" in body  # the Dutch half of the page
    if "sessionid" in client.cookies:
        # An answer posted by the page's JavaScript gets JSON back (the player shows its message).
        status, headers, body = post_answer(client)
        assert status == 503 and int(headers["retry-after"]) > 0, (label, status, body[:300])
        assert json.loads(body)["error"] == "service_unavailable", body
        assert "unavailable" in json.loads(body)["detail"], body


def assert_logged_as_outage(log: str) -> None:
    """The server's log (LOG_LEVEL=ERROR) names the outage for the operator, and holds no 500."""
    assert "database unavailable while serving GET /objects/o003/en/1/" in log, log[-3000:]
    assert "Internal Server Error" not in log and "Traceback" not in log, log[-3000:]


def post_answer(client: HttpClient) -> tuple[int, dict[str, str], str]:
    return client.request("POST", ANSWER_URL, json_body={"answer": 0}, accept="application/json")


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    return write_version(tmp_path_factory.mktemp("content") / "A", "A", n=8)


@pytest.fixture(scope="module")
def postgres():
    url, why = postgres_url()
    if url is None:
        pytest.skip(f"PostgreSQL is not available (DATABASE_URL is not a postgres:// URL, and {why})")
    return url


@pytest.fixture(scope="module")
def pg_site(postgres, content, tmp_path_factory):
    """A database of its own on the PostgreSQL server, migrated and holding ``content`` and a
    student: (its URL, the VAR_DIR); dropped afterwards."""
    var = tmp_path_factory.mktemp("var")
    with postgres_database(postgres, "lp_outage") as url:
        env = manage_env(var, DATABASE_URL=url)
        manage("migrate", "--noinput", "-v", "0", env=env, timeout=300)
        manage("compilecontent", str(content), env=env)
        manage("shell", "-c", CREATE_STUDENT, env=env)
        yield url, var


@pytest.mark.parametrize("conn_max_age", ["0", "60"])
def test_postgres_outage_gives_503_and_the_site_recovers(pg_site, conn_max_age):
    pg_database, var = pg_site
    db = urlsplit(pg_database)
    proxy = Proxy((db.hostname, db.port))
    through_proxy = db._replace(netloc=f"{db.username}:{db.password}@127.0.0.1:{proxy.port}")
    env = manage_env(var, DATABASE_URL=urlunsplit(through_proxy), CONN_MAX_AGE=conn_max_age, LOG_LEVEL="ERROR")
    server, port = serve(env, workers=2)
    try:
        anonymous, student = HttpClient(port), HttpClient(port)
        student.sign_in(*STUDENT)
        for round_ in range(2):  # a second outage after the first recovery
            # Several times, so both workers (and their persistent connections) take part.
            for _ in range(2):
                assert_served(anonymous, f"before outage {round_ + 1}, anonymous")
                assert_served(student, f"before outage {round_ + 1}, signed in")
            proxy.cut()
            for _ in range(2):
                assert_outage(anonymous, f"outage {round_ + 1}, anonymous")
                assert_outage(student, f"outage {round_ + 1}, signed in")
            proxy.restore()
            for _ in range(2):
                assert_served(anonymous, f"after outage {round_ + 1}, anonymous")
                assert_served(student, f"after outage {round_ + 1}, signed in")  # still signed in

        # The database blinks while the site is idle: no request sees it go, and the next visitors
        # must not get an error from a connection that broke meanwhile.
        proxy.cut()
        proxy.restore()
        for _ in range(3):
            assert_served(anonymous, "after a blink while idle, anonymous")
            assert_served(student, "after a blink while idle, signed in")
    finally:
        errors = stop(server)
        proxy.cut()
    assert_logged_as_outage(errors)
    print(f"CONN_MAX_AGE={conn_max_age}: {proxy.connections} connections through the proxy")


def test_sqlite_outage_gives_503_and_the_site_recovers(tmp_path, content):
    var = tmp_path / "var"
    env = manage_env(var)
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("compilecontent", str(content), env=env)
    manage("shell", "-c", CREATE_STUDENT, env=env)
    db, aside = var / "db.sqlite3", var / "db.sqlite3.aside"
    server, port = serve({**env, "LOG_LEVEL": "ERROR"}, workers=2)
    try:
        anonymous, student = HttpClient(port), HttpClient(port)
        student.sign_in(*STUDENT)
        assert_served(anonymous, "before, anonymous")
        assert_served(student, "before, signed in")
        db.rename(aside)
        db.mkdir()  # SQLite cannot open it, and does not create an empty database in its place
        try:
            assert_outage(anonymous, "outage, anonymous")
            assert_outage(student, "outage, signed in")
        finally:
            shutil.rmtree(db)
            aside.rename(db)
        assert_served(anonymous, "after, anonymous")
        assert_served(student, "after, signed in")
    finally:
        errors = stop(server)
    assert_logged_as_outage(errors)
