"""Killing the compiler mid-build (SIGKILL: no cleanup, no rollback by Python) leaves the site with
either the old content or the new one, never a mix, on a file-based SQLite database.

``manage.py compilecontent`` runs in a subprocess against its own VAR_DIR. It is killed at random
moments, and, to be sure the kill lands inside the database transaction, while the build holds
SQLite's write lock (the site runs SQLite in WAL mode, so there is no rollback journal to watch: the
test asks SQLite itself whether a writer is in, with ``BEGIN IMMEDIATE`` and no wait). After each kill the content tables are compared
with the old and new builds, SQLite's integrity check passes, and at the end ``manage.py check``
passes, the pages and assets are served, and a new build completes.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from .helpers import PYTHON, ROOT, fingerprint, manage, manage_env, write_version

pytestmark = pytest.mark.slow

PAGE_CHECK = """
from django.test import Client
c = Client()
for url, marker in [("/", "Faults"), ("/paths/faults/en/", "MARKER"), ("/objects/o050/en/1/", "MARKER"),
                    ("/api/learningPath/faults/en", "faults")]:
    r = c.get(url, HTTP_HOST="127.0.0.1")
    assert r.status_code == 200 and marker in r.content.decode(), (url, r.status_code)
r = c.get("/objects/o050/en/1/assets/img.png", HTTP_HOST="127.0.0.1")
assert r.status_code == 200, r.status_code
print("pages ok")
"""


def db_state(db: Path) -> dict:
    con = sqlite3.connect(db)  # opening recovers from what the killed process left (its log or journal)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return fingerprint(con.cursor())
    finally:
        con.close()


def write_locked(db: Path) -> bool:
    """Whether another connection holds the database's write lock (a write transaction is open).
    Our settings begin every transaction IMMEDIATE, so the build holds it from its first statement."""
    if not db.exists():
        return False
    con = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:  # "database is locked"
        return True
    finally:
        con.close()


def restore(snapshot: Path, db: Path) -> None:
    """Put the old database back, without the write-ahead log a killed build left beside it (SQLite
    would otherwise replay that log onto the restored file)."""
    for side in ("-wal", "-shm", "-journal"):
        db.with_name(db.name + side).unlink(missing_ok=True)
    shutil.copyfile(snapshot, db)


def start_build(source: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, str(ROOT / "manage.py"), "compilecontent", str(source)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_sigkill_mid_build_leaves_old_or_new_content(tmp_path):
    rng = random.Random(20240909)
    var = tmp_path / "var"
    env = manage_env(var)
    db = var / "db.sqlite3"
    old, new = write_version(tmp_path / "A", "A"), write_version(tmp_path / "B", "B")
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("compilecontent", str(old), env=env)
    state_old = db_state(db)
    snapshot = tmp_path / "old.sqlite3"
    shutil.copyfile(db, snapshot)

    # One full new build, timed, watching for how long the write transaction lasts.
    started = time.monotonic()
    proc, write_began, write_ended = start_build(new, env), None, None
    while proc.poll() is None:
        locked = write_locked(db)
        if locked and write_began is None:
            write_began = time.monotonic()
        elif write_began is not None and write_ended is None and not locked:
            write_ended = time.monotonic()
        time.sleep(0.001)
    assert proc.returncode == 0
    total = time.monotonic() - started
    assert write_began is not None, "never saw the build hold the write lock"
    write_time = (write_ended or time.monotonic()) - write_began
    state_new = db_state(db)
    assert state_new != state_old
    assert all("(B)" in row[-1] for row in state_new["objects"]) and all(
        "(A)" in row[-1] for row in state_old["objects"]
    )

    outcomes = []
    plans = [("anywhere", rng.uniform(0.2, total)) for _ in range(2)]
    plans += [("in the write", rng.uniform(0, write_time * 0.8)) for _ in range(4)]
    for where, delay in plans:
        restore(snapshot, db)
        proc = start_build(new, env)
        if where == "in the write":
            deadline = time.monotonic() + 60
            while not write_locked(db) and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.0005)
        time.sleep(delay)
        mid_write = write_locked(db)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        state = db_state(db)
        assert state in (state_old, state_new), f"mixed content after a kill {where} ({delay:.3f} s)"
        outcomes.append(("old" if state == state_old else "new", where, mid_write, proc.returncode))
    print(f"build {total:.2f} s, write {write_time:.2f} s, kills: {outcomes}")
    # At least one kill landed inside the transaction and the old content survived it.
    assert any(o == "old" and mid for o, _, mid, rc in outcomes if rc == -signal.SIGKILL), outcomes

    # The site works on whatever the last kill left, and assets on disk are whole.
    manage("check", env=env)
    assert "pages ok" in manage("shell", "-c", PAGE_CHECK, env=env).stdout
    for f in (var / "media" / "content").rglob("*"):
        if f.is_file() and not f.name.startswith(".tmp-"):
            assert f.name == hashlib.sha256(f.read_bytes()).hexdigest(), f"partial asset {f}"
    # And the next build completes.
    manage("compilecontent", str(new), env=env)
    assert db_state(db) == state_new
    assert "pages ok" in manage("shell", "-c", PAGE_CHECK, env=env).stdout
