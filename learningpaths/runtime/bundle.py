"""Package ``engine/`` (and the page helper module ``lp``) as a pure-Python wheel for Pyodide.

The wheel is built reproducibly (sorted entries, fixed timestamps), so its name carries a hash of
its content: ``static/engine/engine-<hash>.whl``. ``static/engine/manifest.json`` says which wheel
is current; pages learn the URL from it and the file itself can be cached forever.

Plain Python, no Django: ``scripts/vendor_assets.py`` and the tests call :func:`build_engine_wheel`.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import tempfile
import zipfile
from pathlib import Path

from .assets import BASE_DIR, ENGINE_MANIFEST, ENGINE_OUT_DIR

ENGINE_SRC = BASE_DIR / "engine"
LP_SRC = Path(__file__).resolve().parent / "python" / "lp"
DIST_NAME = "engine"
DIST_VERSION = "0.1.0"
_ZIP_DATE = (2020, 1, 1, 0, 0, 0)
_KEEP_OLD_WHEELS = 3  # a page rendered just before a rebuild may still ask for the previous one


def _sources() -> list[tuple[str, Path]]:
    """(path inside the wheel, file on disk) for every Python file to ship, sorted."""
    found: list[tuple[str, Path]] = []
    for package, root in (("engine", ENGINE_SRC), ("lp", LP_SRC)):
        if not root.is_dir():
            continue
        for path in root.rglob("*"):
            rel = path.relative_to(root)
            if (
                path.is_file()
                and path.suffix in (".py", ".json")
                and "__pycache__" not in rel.parts
                and not any(part.startswith(".") for part in rel.parts)
            ):
                found.append((f"{package}/{rel.as_posix()}", path))
    return sorted(found)


def _fingerprint(sources: list[tuple[str, Path]]) -> str:
    """Cheap change detector (names, sizes, mtimes) used before hashing contents."""
    digest = hashlib.sha256()
    for arc, path in sources:
        st = path.stat()
        digest.update(f"{arc}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _wheel_bytes(files: list[tuple[str, bytes]]) -> bytes:
    dist_info = f"{DIST_NAME}-{DIST_VERSION}.dist-info"
    top = sorted({arc.split("/", 1)[0] for arc, _ in files})
    meta = [
        (
            f"{dist_info}/METADATA",
            (
                f"Metadata-Version: 2.1\nName: {DIST_NAME}\nVersion: {DIST_VERSION}\n"
                "Summary: learningpaths engine and lp page helpers, packaged for Pyodide\n"
                "Requires-Dist: numpy\n"
            ).encode(),
        ),
        (
            f"{dist_info}/WHEEL",
            b"Wheel-Version: 1.0\nGenerator: learningpaths.runtime.bundle\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        ),
        (f"{dist_info}/top_level.txt", ("\n".join(top) + "\n").encode()),
    ]
    entries = files + meta
    record = "".join(f"{arc},{_record_hash(data)},{len(data)}\n" for arc, data in entries)
    record += f"{dist_info}/RECORD,,\n"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for arc, data in entries + [(f"{dist_info}/RECORD", record.encode())]:
            info = zipfile.ZipInfo(arc, date_time=_ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def build_engine_wheel(out_dir: Path = ENGINE_OUT_DIR, *, force: bool = False) -> dict:
    """Build (or keep) the current wheel; return the manifest
    ``{"wheel": name, "sha256", "size", "files", "packages", "fingerprint"}``."""
    manifest_path = out_dir / ENGINE_MANIFEST.name
    sources = _sources()
    fingerprint = _fingerprint(sources)
    try:
        old = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        old = None
    if not force and old and old.get("fingerprint") == fingerprint and (out_dir / old["wheel"]).is_file():
        return old
    files = [(arc, path.read_bytes()) for arc, path in sources]
    content = hashlib.sha256()
    for arc, data in files:
        content.update(arc.encode() + b"\0" + hashlib.sha256(data).digest())
    name = f"engine-{content.hexdigest()[:16]}.whl"
    wheel = out_dir / name
    if force or not wheel.is_file():
        _write_atomic(wheel, _wheel_bytes(files))
    data = wheel.read_bytes()
    manifest = {
        "wheel": name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        "files": len(files),
        "packages": sorted({arc.split("/", 1)[0] for arc, _ in files}),
        "engine": (ENGINE_SRC / "__init__.py").is_file(),
        "fingerprint": fingerprint,
    }
    if manifest != old:
        _write_atomic(manifest_path, (json.dumps(manifest, indent=2) + "\n").encode())
    old_wheels = sorted(out_dir.glob("engine-*.whl"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in [p for p in old_wheels if p.name != name][_KEEP_OLD_WHEELS:]:
        stale.unlink(missing_ok=True)
        stale.with_name(stale.name[: -len(".whl")] + ".pyc.zip").unlink(missing_ok=True)
    return manifest
