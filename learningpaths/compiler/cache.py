"""The incremental-build cache (``CompileOptions.cache_dir``).

One pickle file holds four tables, each keyed by a hash of everything its value depends on:

* ``front``: parse + validate of one object source (its bytes, its display path);
* ``path``: parse + validate of one path file;
* ``render``: ``render_object`` output (source bytes, every file's name/size/mtime in the folder,
  the options that shape HTML);
* ``text``: the plain text of an object's final HTML (its content hash);
* ``file``: the sha256 of a file, by (path, size, mtime).

Every key also includes :func:`code_fingerprint`, a hash of the compiler's own source files
(renderer included), so a changed compiler never reuses stale output. Entries not used by a
build are dropped when it saves, so the file does not grow without bound. A missing, corrupt or
foreign cache file is ignored (the build is then cold).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

COMPILER_VERSION = "1"  # bump when the meaning of compiled output changes
_FILE = "compile-cache.pickle"
_TABLES = ("front", "path", "render", "text", "file")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    digest = hashlib.sha256(COMPILER_VERSION.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def options_fingerprint(options) -> str:
    """The options that shape rendered HTML (not cache_dir, progress or strict)."""
    shaping = (
        options.object_url,
        options.asset_url,
        options.path_url,
        tuple(options.iframe_allowlist),
        tuple(options.widgets),
        sorted((str(k), repr(v)) for k, v in options.extra.items()),
    )
    return hashlib.sha256(repr(shaping).encode()).hexdigest()


def digest(*parts: Any) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else repr(part).encode())
        h.update(b"\0")
    return h.hexdigest()


class Cache:
    """In-memory tables, loaded from and saved to ``directory`` when one is given."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = Path(directory) if directory else None
        self.tables: dict[str, dict] = {name: {} for name in _TABLES}
        self.used: dict[str, set] = {name: set() for name in _TABLES}
        self.dirty = False
        if self.directory is not None:
            self._load(self.directory)

    def _load(self, directory: Path) -> None:
        try:
            with open(directory / _FILE, "rb") as fh:
                tables = pickle.load(fh)
            if isinstance(tables, dict) and tables.get("fingerprint") == code_fingerprint():
                self.tables.update({k: tables[k] for k in _TABLES if isinstance(tables.get(k), dict)})
        except Exception:  # noqa: BLE001 - a broken cache only makes the build cold
            pass

    def get(self, table: str, key: Any) -> Any:
        value = self.tables[table].get(key)
        if value is not None:
            self.used[table].add(key)
        return value

    def put(self, table: str, key: Any, value: Any) -> Any:
        self.tables[table][key] = value
        self.used[table].add(key)
        self.dirty = True
        return value

    def file_sha256(self, path: str, size: int, mtime_ns: int) -> str | None:
        key = (path, size, mtime_ns)
        known = self.get("file", key)
        if known is not None:
            return known
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            return None
        return self.put("file", key, hashlib.sha256(data).hexdigest())

    def save(self) -> None:
        if self.directory is None:
            return
        stale = any(len(self.used[t]) != len(self.tables[t]) for t in _TABLES)
        if not (self.dirty or stale):
            return
        tables: dict[str, Any] = {t: {k: v for k, v in self.tables[t].items() if k in self.used[t]} for t in _TABLES}
        tables["fingerprint"] = code_fingerprint()
        tmp = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".cache-")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(tables, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.directory / _FILE)
            self.dirty = False  # a cache kept between builds (the live preview) is saved again only when it grows
        except Exception:  # noqa: BLE001 - an unwritable cache only costs the next build time
            if tmp and os.path.exists(tmp):
                os.unlink(tmp)
