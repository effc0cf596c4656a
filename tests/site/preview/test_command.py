"""``manage.py preview`` as an author runs it: its own process, a Dwengo-layout folder given by
path, the first build printed, and a save that the waiting page hears about."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.compiler.helpers import front, write

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 30) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def test_the_command_serves_and_rebuilds_on_save(tmp_path):
    lesson = write(tmp_path / "repo" / "learning_objects", {"a/index.md": front("a", drop=("title",))})
    port = _free_port()
    env = {**os.environ, "VAR_DIR": str(tmp_path / "var"), "DEBUG": "1", "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "preview", str(tmp_path / "repo"), "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        events = f"http://127.0.0.1:{port}/preview/events/"
        deadline = time.monotonic() + 90
        while True:
            try:
                first = _get(events)
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "the preview server did not start"
                time.sleep(0.3)
        assert (first["build"], first["errors"]) == (1, 1)
        (problem,) = first["diagnostics"]  # named as the author's terminal reaches the file
        assert problem["path"] == "repo/learning_objects/a/index.md" and problem["code"] == "lp.field_missing"

        (lesson / "a" / "index.md").write_text(front("a", title="Fixed"))
        fixed = _get(events + "?since=1")
        assert (fixed["build"], fixed["errors"], fixed["objects"]) == (2, 0, 1)
        assert fixed["changed"] == [str(lesson / "a" / "index.md")]
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=20)
    assert "repo/learning_objects/a/index.md:1:0: error: missing required field 'title'" in out
    assert "build 2: 1 objects, 0 paths, 0 errors, 0 warnings" in out
