"""Shared pieces of the fault tests: two versions of a content tree, and a fingerprint of the
content tables that tells "old", "new" and "a mix" apart."""
from __future__ import annotations

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


def png(seed: str) -> bytes:
    """A distinct small file per seed (the site stores it by hash; its bytes need not be a real PNG)."""
    return b"\x89PNG\r\n\x1a\n" + hashlib.sha256(seed.encode()).digest() * 8


def write_version(root: Path, version: str, n: int = 120) -> Path:
    """Content tree ``version`` ("A" or "B"): B changes every object's text and asset, drops the
    last ten objects and adds ten new ones, so a half-applied build is visible in every table."""
    import shutil

    shutil.rmtree(root, ignore_errors=True)
    ids = list(range(n)) if version == "A" else list(range(10, n + 10))
    for i in ids:
        folder = root / "objects" / f"o{i:03d}"
        folder.mkdir(parents=True)
        (folder / "img.png").write_bytes(png(f"{version}-{i}"))
        (folder / "index.md").write_text(
            f"---\nhruid: o{i:03d}\nversion: 1\nlanguage: en\ntitle: \"Object {i} ({version})\"\n"
            f"description: \"Version {version} of object {i}\"\ncontent_type: text/markdown\nestimated_time: 5\n---\n"
            f"# Object {i}, version {version}\n\nBUILD-{version}-MARKER text of object {i}.\n\n"
            f"![picture {i}](img.png)\n\n"
            f"```question\nid: q1\nkind: multiple_choice\nprompt: \"Question {i} ({version})\"\n"
            f"options: [\"yes\", \"no\"]\nanswer: 0\n```\n")
    (root / "learning_paths").mkdir(parents=True)
    nodes = []
    for k, i in enumerate(ids):
        node = {"learningobject_hruid": f"o{i:03d}", "language": "en", "version": "1", "start_node": k == 0}
        if k + 1 < len(ids):
            node["transitions"] = [{"default": True, "next": {"hruid": f"o{ids[k + 1]:03d}", "language": "en",
                                                              "version": "1"}}]
        nodes.append(node)
    (root / "learning_paths" / "p.json").write_text(json.dumps(
        {"hruid": "faults", "language": "en", "title": f"Faults {version}", "description": f"Path {version}",
         "nodes": nodes}))
    return root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage_env(var_dir: Path, **extra) -> dict[str, str]:
    """Environment for a ``manage.py`` subprocess with its own VAR_DIR (file SQLite unless
    ``DATABASE_URL`` is given in ``extra``)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="learningpaths.settings", PYTHONPATH=str(ROOT),
               LOG_LEVEL="CRITICAL", **extra)
    return env


def manage(*args: str, env: dict, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout, check=check)
