"""worker.js's ``untar`` in Node: NumPy's prepared files (numpy-site.tar) written into a file system.

The browser tests boot NumPy from the real archive; this one checks the reader's cases against
archives that Python's tarfile writes, with a recording stand-in for Pyodide's FS.
"""

from __future__ import annotations

import base64
import io
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from learningpaths.runtime import assets

WORKER_JS = Path(__file__).resolve().parents[2] / "static" / "js" / "runtime" / "worker.js"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


def untar(archive: bytes) -> dict:
    """{"files": {path: base64}, "folders": [...], "libs": [.so paths]} or {"error": message}."""
    source = WORKER_JS.read_text()
    start = source.index("function untar(")
    function = source[start : source.index("\n}\n", start) + 2]
    script = f"""
const untar = new Function({json.dumps(function + "; return untar;")})();
const files = {{}}, folders = [];
const FS = {{ mkdirTree: (p) => folders.push(p), writeFile: (p, b) => {{ files[p] = Buffer.from(b).toString("base64"); }} }};
const bytes = new Uint8Array(Buffer.from(require("fs").readFileSync(0, "utf8"), "base64"));
try {{ const libs = untar(FS, bytes, "/site"); console.log(JSON.stringify({{ files, folders, libs }})); }}
catch (err) {{ console.log(JSON.stringify({{ error: err.message }})); }}
"""
    done = subprocess.run(
        [NODE, "-e", script], input=base64.b64encode(archive).decode(), capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def archive(entries: list[tuple[str, bytes | None]], fmt=tarfile.USTAR_FORMAT, kind=tarfile.REGTYPE) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=fmt) as tf:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            if data is None:
                info.type = tarfile.DIRTYPE
                tf.addfile(info)
            else:
                info.type, info.size = kind, len(data)
                tf.addfile(info, io.BytesIO(data))
    return out.getvalue()


LONG = "numpy/" + "/".join(["a_rather_long_folder_name"] * 5) + "/module.cpython-312.pyc"  # > 100 chars: prefix field


def test_files_folders_and_long_names_come_out_as_python_wrote_them():
    assert len(LONG) > 100
    entries = [
        ("numpy/__init__.py", b"from ._core import *\n"),
        ("numpy/empty.txt", b""),
        ("numpy/_core", None),
        ("numpy/_core/_multiarray_umath.so", bytes(range(256)) * 9 + b"\x00tail"),  # not a multiple of 512
        (LONG, b"\x00" * 1024),
    ]
    out = untar(archive(entries))
    assert "error" not in out, out
    assert {p: base64.b64decode(b) for p, b in out["files"].items()} == {
        f"/site/{name}": data for name, data in entries if data is not None
    }
    assert "/site/numpy/_core" in out["folders"] and "/site/numpy" in out["folders"]
    assert out["libs"] == ["/site/numpy/_core/_multiarray_umath.so"]  # loaded before `import numpy`


@pytest.mark.parametrize(
    "entries,fmt,kind,message",
    [
        ([("../outside.py", b"x")], tarfile.USTAR_FORMAT, tarfile.REGTYPE, "bad archive entry"),
        ([("numpy/link", b"")], tarfile.USTAR_FORMAT, tarfile.SYMTYPE, "unexpected archive entry"),
        # PAX: a non-ASCII name makes tarfile write an extended header first (type "x")
        ([("numpy/données.py", b"x")], tarfile.PAX_FORMAT, tarfile.REGTYPE, "unexpected archive entry"),
    ],
)
def test_what_the_reader_does_not_know_is_refused_not_written(entries, fmt, kind, message):
    out = untar(archive(entries, fmt, kind))
    assert message in out.get("error", ""), out


def test_not_a_tar_is_refused():
    assert "not a ustar archive" in untar(b"PK\x03\x04" + b"\x01" * 1020).get("error", "")


def test_the_built_archive_holds_numpy_with_bytecode_and_without_build_files():
    manifest = assets.read_pyc_manifest()
    if not manifest:
        pytest.skip("no precompiled files (make assets without Node.js)")
    with tarfile.open(assets.PYC_DIR / manifest["numpy"]) as tf:
        members = tf.getmembers()
    names = {m.name for m in members}
    assert all(m.isfile() for m in members)  # what untar writes; no links, no PAX headers
    assert {"numpy/__init__.py", "numpy/__pycache__/__init__.cpython-312.pyc"} <= names
    assert any(n.startswith("numpy/_core/_multiarray_umath") and n.endswith(".so") for n in names)
    assert any(n.startswith("numpy-") and n.endswith(".dist-info/METADATA") for n in names)
    assert not [n for n in names if n.endswith((".pyi", ".h", ".a", ".pxd", ".pyx", ".c"))]
