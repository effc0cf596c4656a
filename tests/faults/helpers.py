"""Shared pieces of the fault tests: two versions of a content tree, and a fingerprint of the
content tables that tells "old", "new" and "a mix" apart."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable

# One query per content table; the rows say which build they came from.
FINGERPRINT_SQL = {
    "objects": "SELECT hruid, language, version, content_hash, title FROM paths_learningobject",
    "assets": "SELECT o.hruid, a.path, a.sha256 FROM paths_objectasset a "
    "JOIN paths_learningobject o ON o.id = a.learning_object_id",
    "questions": "SELECT o.hruid, q.qid, q.prompt FROM paths_question q "
    "JOIN paths_learningobject o ON o.id = q.learning_object_id",
    "paths": "SELECT hruid, language, content_hash, title FROM paths_learningpath",
    "nodes": "SELECT p.hruid, n.position, o.hruid FROM paths_pathnode n "
    "JOIN paths_learningpath p ON p.id = n.path_id JOIN paths_learningobject o ON o.id = n.object_id",
    "transitions": "SELECT a.position, b.position FROM paths_pathtransition t "
    "JOIN paths_pathnode a ON a.id = t.node_id JOIN paths_pathnode b ON b.id = t.next_node_id",
}


def fingerprint(cursor) -> dict[str, list]:
    out = {}
    for name, sql in FINGERPRINT_SQL.items():
        cursor.execute(sql)
        out[name] = sorted(tuple(str(v) for v in row) for row in cursor.fetchall())
    return out


def png(seed: str, size: int = 0) -> bytes:
    """A distinct file per seed, of at least ``size`` bytes (the site stores it by hash; its bytes
    need not be a real PNG)."""
    block = hashlib.sha256(seed.encode()).digest()
    return b"\x89PNG\r\n\x1a\n" + block * max(8, -(-size // len(block)))


def write_version(root: Path, version: str, n: int = 120, *, asset_size: int = 0) -> Path:
    """Content tree ``version`` ("A" or "B"): B changes every object's text and asset, drops the
    last ten objects and adds ten new ones, so a half-applied build is visible in every table.
    Each object has one image of about ``asset_size`` bytes (small by default)."""
    import shutil

    shutil.rmtree(root, ignore_errors=True)
    ids = list(range(n)) if version == "A" else list(range(10, n + 10))
    for i in ids:
        folder = root / "objects" / f"o{i:03d}"
        folder.mkdir(parents=True)
        (folder / "img.png").write_bytes(png(f"{version}-{i}", asset_size))
        (folder / "index.md").write_text(
            f'---\nhruid: o{i:03d}\nversion: 1\nlanguage: en\ntitle: "Object {i} ({version})"\n'
            f'description: "Version {version} of object {i}"\ncontent_type: text/markdown\nestimated_time: 5\n---\n'
            f"# Object {i}, version {version}\n\nBUILD-{version}-MARKER text of object {i}.\n\n"
            f"![picture {i}](img.png)\n\n"
            f'```question\nid: q1\nkind: multiple_choice\nprompt: "Question {i} ({version})"\n'
            f'options: ["yes", "no"]\nanswer: 0\n```\n'
        )
    (root / "learning_paths").mkdir(parents=True)
    nodes = []
    for k, i in enumerate(ids):
        node = {"learningobject_hruid": f"o{i:03d}", "language": "en", "version": "1", "start_node": k == 0}
        if k + 1 < len(ids):
            node["transitions"] = [
                {"default": True, "next": {"hruid": f"o{ids[k + 1]:03d}", "language": "en", "version": "1"}}
            ]
        nodes.append(node)
    (root / "learning_paths" / "p.json").write_text(
        json.dumps(
            {
                "hruid": "faults",
                "language": "en",
                "title": f"Faults {version}",
                "description": f"Path {version}",
                "nodes": nodes,
            }
        )
    )
    return root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage_env(var_dir: Path, **extra) -> dict[str, str]:
    """Environment for a ``manage.py`` subprocess with its own VAR_DIR (file SQLite unless
    ``DATABASE_URL`` is given in ``extra``)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="learningpaths.settings",
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="CRITICAL",
    )
    env.update(extra)
    return env


def manage(*args: str, env: dict, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )


# --- a real server, and a database connection the test can cut ----------------------------------------


class Proxy:
    """A TCP proxy on 127.0.0.1 in front of a database server, which the test can cut and restore.

    ``cut()`` closes the listener and every open connection (to the site this looks like a crashed
    server, a failover or a network split: open connections break and new ones are refused);
    ``restore()`` listens again on the same port. Only connections through this proxy are
    affected, so other users of the same database server carry on.
    """

    def __init__(self, upstream: tuple[str, int]):
        import threading

        self.upstream = upstream
        self.port = free_port()
        self.connections = 0  # accepted so far
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self.restore()

    def restore(self) -> None:
        import threading

        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        with self._lock:
            self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._sockets = self._sockets, set()
        for s in ([listener] if listener else []) + list(sockets):
            try:
                s.shutdown(socket.SHUT_RDWR)  # wakes the threads blocked in accept() and recv()
            except OSError:
                pass
            s.close()

    def _accept(self, listener: socket.socket) -> None:
        import threading

        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                server = socket.create_connection(self.upstream, timeout=10)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._listener is not listener:  # cut meanwhile
                    client.close()
                    server.close()
                    return
                self._sockets |= {client, server}
                self.connections += 1
            for src, dst in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            with self._lock:
                self._sockets.discard(src)
            src.close()


def postgres_url() -> tuple[str | None, str]:
    """(DATABASE_URL of a PostgreSQL server, "") : the one the suite runs on, else the one
    scripts/postgres.sh starts (installing Debian's postgresql when it can); (None, why) without one."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url, ""
    try:
        out = subprocess.run(
            [str(ROOT / "scripts" / "postgres.sh"), "start"], capture_output=True, text=True, timeout=600
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"scripts/postgres.sh start: {exc}"
    if out.returncode != 0 or not out.stdout.strip().startswith("postgres"):
        return None, f"scripts/postgres.sh start failed ({out.returncode}): {out.stderr.strip()[-300:]}"
    return out.stdout.strip().splitlines()[-1], ""


@contextlib.contextmanager
def postgres_database(server_url: str, prefix: str):
    """A new, empty database on the PostgreSQL server of ``server_url``; yields its URL and drops
    it afterwards (the server's own test databases are left alone)."""
    import secrets
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def serve(env: dict, *, workers: int = 2) -> tuple[subprocess.Popen, int]:
    """gunicorn serving the site (as in production) on a free loopback port; waits until it answers."""
    import time

    port = free_port()
    proc = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "learningpaths.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--graceful-timeout",
            "10",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env={"DEMO_WARM_UP": "0", **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"gunicorn exited with {proc.returncode}: {proc.stderr.read()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc, port
        except OSError:
            time.sleep(0.1)
    stop(proc)
    raise AssertionError("gunicorn did not start listening within 90 s")


def stop(proc: subprocess.Popen) -> str:
    """Stop a server started by ``serve``; returns what it wrote on stderr."""
    proc.terminate()  # gunicorn's graceful shutdown: requests in flight finish
    try:
        _, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    return err or ""


class HttpClient:
    """Just enough of a browser for a server subprocess: cookies, and the CSRF token for a form post."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        *,
        form: dict | None = None,
        json_body=None,
        accept: str = "text/html",
        timeout: float = 60,
    ) -> tuple[int, dict[str, str], str]:
        import http.client
        import json
        from urllib.parse import urlencode

        headers = {"Host": "127.0.0.1", "Accept": accept}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode({"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form})
            headers.update(
                {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{self.port}{path}"}
            )
        elif json_body is not None:  # as the page's JavaScript posts an answer
            body = json.dumps(json_body)
            headers.update(
                {
                    "Content-Type": "application/json",
                    "X-CSRFToken": self.cookies.get("csrftoken", ""),
                    "Referer": f"http://127.0.0.1:{self.port}/",
                }
            )
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, {k.lower(): v for k, v in response.getheaders()}, text
        finally:
            conn.close()

    def get(self, path: str, **kwargs) -> tuple[int, dict[str, str], str]:
        return self.request("GET", path, **kwargs)

    def sign_in(self, username: str, password: str) -> None:
        self.get("/accounts/sign-in/")
        status, headers, _ = self.request(
            "POST", "/accounts/sign-in/", form={"username": username, "password": password}
        )
        assert status == 302 and "sessionid" in self.cookies, (status, headers)
