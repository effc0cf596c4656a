"""Serve the vendored Pyodide files and the engine wheel: right MIME types, gzip, long cache life.

URLs carry the Pyodide version or the wheel's content hash, so every response except the engine
manifest is immutable. ``static/vendor/`` is also reachable under STATIC_URL, but Django's static
handler (runserver, live_server) sends neither ``application/wasm`` reliably nor compressed bodies
nor cache headers, so pages use these URLs. Behind nginx, serve the same folders with
``gzip_static on`` and the same headers instead.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from . import assets

IMMUTABLE = "public, max-age=31536000, immutable"
CONTENT_TYPES = {
    ".wasm": "application/wasm",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".zip": "application/zip",
    ".tar": "application/x-tar",
    ".whl": "application/zip",
    ".map": "application/json",
}
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")
_ENGINE_FILE = re.compile(r"^engine-[0-9a-f]{16}\.(whl|pyc\.zip)$")
_PYC_FILE = re.compile(r"^(python_stdlib-[0-9a-f]{12}\.zip|numpy-site-[0-9a-f]{12}\.tar)$")


def _accepts_gzip(request) -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "")


def serve_file(request, path: Path, *, cache_control: str) -> HttpResponse:
    """Send ``path`` (or its precompressed ``.gz`` sibling when the client accepts gzip)."""
    if not path.is_file():
        raise Http404("Not vendored; run `make assets`.")
    st = path.stat()
    etag = f'"{st.st_size:x}-{st.st_mtime_ns:x}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Cache-Control"] = cache_control
        return response
    gz = path.with_name(path.name + ".gz")
    send, encoding = path, None
    if _accepts_gzip(request) and gz.is_file():
        send, encoding = gz, "gzip"
    response = FileResponse(open(send, "rb"), content_type=CONTENT_TYPES.get(path.suffix, "application/octet-stream"))
    if encoding:
        response["Content-Encoding"] = encoding
    response["Content-Length"] = str(send.stat().st_size)
    response["Vary"] = "Accept-Encoding"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(st.st_mtime)
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@require_safe
def pyodide_file(request, version: str, name: str):
    if version != assets.PYODIDE_VERSION or not _SAFE_NAME.match(name) or name.endswith(".gz"):
        raise Http404("No such Pyodide file.")
    return serve_file(request, assets.PYODIDE_DIR / name, cache_control=IMMUTABLE)


@require_safe
def engine_file(request, name: str):
    if name == "manifest.json":
        return serve_file(request, assets.ENGINE_MANIFEST, cache_control="no-cache")
    if not _ENGINE_FILE.match(name):
        raise Http404("No such engine wheel.")
    return serve_file(request, assets.ENGINE_OUT_DIR / name, cache_control=IMMUTABLE)


@require_safe
def pyc_file(request, name: str):
    """Precompiled bytecode (content-hashed names, so cached forever)."""
    if not _PYC_FILE.match(name):
        raise Http404("No such bytecode archive.")
    return serve_file(request, assets.PYC_DIR / name, cache_control=IMMUTABLE)
