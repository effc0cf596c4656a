"""The disk fills up while ``manage.py compilecontent`` copies a new build's assets: the command
fails with one clear line (no traceback) that names the problem, the asset and what to do; the
database still holds the previous build exactly; no partial file sits under an asset's final name
and no temporary file is left behind; the previous build's pages and files are still served; and
once there is space again the same build completes.

Two variants, both run when they can:

* ``tmpfs``: a real full filesystem. A small tmpfs is mounted as the asset store
  (``VAR_DIR/media/content``, i.e. CONTENT_ASSET_ROOT), the old build fits, the new build's images
  are bigger than the space left, so a real write fails with ENOSPC part-way through a file. Needs
  root (or CAP_SYS_ADMIN) and ``mount``; skipped with the reason otherwise. "Space again" is the
  tmpfs remounted larger.
* ``injected``: no privileges needed. ``compilecontent`` runs under a small wrapper that makes the
  third asset copy write 4 KiB and then raise ``OSError(ENOSPC)``, as a full disk does.

The site's database is the suite's kind: a file SQLite database in the test's VAR_DIR, or, when the
suite runs on PostgreSQL, a new database of its own on that server (so the rollback of the
half-done build is checked on both).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from .helpers import PYTHON, ROOT, fingerprint, manage, manage_env, png, postgres_database, write_version

pytestmark = pytest.mark.slow

N = 20  # objects per build: A holds 0..19, B holds 10..29
BIG = 64 * 1024  # the size of each of B's images
TMPFS_SIZE = 256 * 1024  # A's 20 small images take 20 pages (80 KiB); two of B's images still fit

# Runs manage.py with shutil.copyfileobj (what services._store_asset copies with) failing like a
# full disk at the LP_ENOSPC_AT-th asset, after part of the file is written.
ENOSPC_WRAPPER = """
import errno, os, runpy, shutil, sys
at, calls, real = int(os.environ["LP_ENOSPC_AT"]), [0], shutil.copyfileobj
def copyfileobj(src, dst, length=0):
    calls[0] += 1
    if calls[0] >= at:
        dst.write(src.read(4096))
        dst.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return real(src, dst, length)
shutil.copyfileobj = copyfileobj
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""

SERVED = """
import hashlib
from django.test import Client
c = Client()
for url, marker in [("/", "Faults {v}"), ("/paths/faults/en/", "BUILD-{v}-MARKER"),
                    ("/objects/o015/en/1/", "BUILD-{v}-MARKER text of object 15")]:
    r = c.get(url, HTTP_HOST="127.0.0.1")
    assert r.status_code == 200 and marker in r.content.decode(), (url, r.status_code)
r = c.get("/objects/o015/en/1/assets/img.png", HTTP_HOST="127.0.0.1")
assert r.status_code == 200, r.status_code
print("served", hashlib.sha256(b"".join(r.streaming_content)).hexdigest())
"""


@contextlib.contextmanager
def site_database(var: Path):
    """(environment for manage.py, a function returning the content tables' fingerprint)."""
    suite_url = os.environ.get("DATABASE_URL", "")
    if not suite_url.startswith(("postgres://", "postgresql://")):

        def state():
            con = sqlite3.connect(var / "db.sqlite3")
            try:
                return fingerprint(con.cursor())
            finally:
                con.close()

        yield manage_env(var), state
        return
    import psycopg

    with postgres_database(suite_url, "lp_diskfull") as url:

        def state():
            with psycopg.connect(url) as con, con.cursor() as cursor:
                return fingerprint(cursor)

        yield manage_env(var, DATABASE_URL=url), state


def stored_files(root: Path) -> dict[str, bytes]:
    return {str(f.relative_to(root)): f.read_bytes() for f in root.rglob("*") if f.is_file()}


def assert_served(env: dict, version: str, image: bytes) -> None:
    out = manage("shell", "-c", SERVED.replace("{v}", version), env=env).stdout
    assert f"served {hashlib.sha256(image).hexdigest()}" in out, out


def mount_tmpfs(where: Path, size: int) -> str | None:
    """Mount a tmpfs of ``size`` bytes at ``where``; the reason when that is not possible."""
    where.mkdir(parents=True, exist_ok=True)
    try:
        out = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=755", "tmpfs", str(where)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"mount: {exc}"
    return None if out.returncode == 0 else f"mount -t tmpfs failed: {out.stderr.strip() or out.returncode}"


@pytest.mark.parametrize("variant", ["tmpfs", "injected"])
def test_full_disk_during_asset_copy(tmp_path, variant):
    var = tmp_path / "var"
    assets = var / "media" / "content"  # CONTENT_ASSET_ROOT
    old = write_version(tmp_path / "A", "A", n=N)
    new = write_version(tmp_path / "B", "B", n=N, asset_size=BIG)
    mounted = False
    if variant == "tmpfs":
        why = mount_tmpfs(assets, TMPFS_SIZE)
        if why:
            pytest.skip(f"no real full filesystem here ({why}); the 'injected' variant covers this")
        mounted = True
    try:
        with site_database(var) as (env, db_state):
            run_builds(variant, env, db_state, assets, old, new)
    finally:
        if mounted:
            subprocess.run(["umount", str(assets)], check=False, timeout=30).returncode == 0 or subprocess.run(
                ["umount", "-l", str(assets)], check=False, timeout=30
            )


def run_builds(variant: str, env: dict, db_state, assets: Path, old: Path, new: Path) -> None:
    """Build ``old``, fill the disk while building ``new``, check (a) to (e), then build ``new``."""
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("compilecontent", str(old), env=env)
    state_old, files_old = db_state(), stored_files(assets)
    assert len(files_old) == N

    # The build that fills the disk.
    command = [PYTHON, str(ROOT / "manage.py"), "compilecontent", str(new)]
    if variant == "injected":
        command = [PYTHON, "-c", ENOSPC_WRAPPER, *command[1:]]
    build = subprocess.run(
        command, cwd=ROOT, env={**env, "LP_ENOSPC_AT": "3"}, capture_output=True, text=True, timeout=300
    )
    print(f"variant {variant}: exit {build.returncode}; stderr: {build.stderr.strip()}")

    # (a) A non-zero exit and one line that says what happened, to which file, and what to do.
    assert build.returncode != 0
    assert "Traceback" not in build.stderr, build.stderr
    lines = [line for line in build.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, build.stderr
    assert "no space left on device" in lines[0].lower(), lines[0]
    named = re.search(r"(\S+/o(\d{3})/img\.png)", lines[0])
    assert named and Path(named[1]).read_bytes() == png(f"B-{int(named[2])}", BIG), lines[0]
    assert "CONTENT_ASSET_ROOT" in lines[0] and "previous content" in lines[0], lines[0]

    # (b) The database holds the previous build exactly.
    assert db_state() == state_old

    # (c) No temporary file left, no partial file under a final name; the old files untouched.
    files = stored_files(assets)
    assert not [name for name in files if ".tmp-" in name], sorted(files)
    for name, data in files.items():
        assert Path(name).name == hashlib.sha256(data).hexdigest(), f"partial or foreign file {name}"
    assert {k: files[k] for k in files_old} == files_old
    extra = set(files) - set(files_old)  # whole new files written before the disk was full
    assert len(extra) < N, "the build did not stop at the full disk"

    # (d) The previous build is still served, files included.
    assert_served(env, "A", png("A-15"))

    # (e) With space again, the same build completes and is served.
    if variant == "tmpfs":
        subprocess.run(["mount", "-o", f"remount,size={4 * N * BIG}", str(assets)], check=True, timeout=30)
    done = manage("compilecontent", str(new), env=env, check=False)
    assert done.returncode == 0, done.stderr
    state_new = db_state()
    assert state_new != state_old and all("(B)" in row[-1] for row in state_new["objects"])
    assert_served(env, "B", png("B-15", BIG))
    assert not [f for f in assets.rglob(".tmp-*")]
