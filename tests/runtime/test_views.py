"""Serving the vendored Pyodide and the engine wheel: MIME types, gzip, cache lifetimes."""

import gzip

import pytest

from learningpaths.runtime import assets
from learningpaths.runtime.bundle import build_engine_wheel

pytestmark = pytest.mark.skipif(bool(assets.missing_pyodide_files()), reason="run `make assets` first")
BASE = f"/runtime/pyodide/{assets.PYODIDE_VERSION}/"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_wasm_is_served_gzipped_with_its_mime_type_and_forever(client):
    response = client.get(BASE + "pyodide.asm.wasm", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/wasm"
    assert response["Content-Encoding"] == "gzip"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Accept-Encoding" in response["Vary"]
    data = gzip.decompress(body(response))
    assert data[:4] == b"\0asm" and len(data) == (assets.PYODIDE_DIR / "pyodide.asm.wasm").stat().st_size


def test_plain_body_without_gzip_and_conditional_requests(client):
    response = client.get(BASE + "pyodide-lock.json")
    assert "Content-Encoding" not in response and response["Content-Type"] == "application/json"
    assert b'"numpy"' in body(response)
    again = client.get(BASE + "pyodide-lock.json", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert client.head(BASE + "pyodide.js").status_code == 200


def test_numpy_wheel_is_served_as_is(client):
    response = client.get(BASE + assets.NUMPY_WHEEL, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and "Content-Encoding" not in response


@pytest.mark.parametrize(
    "url",
    [
        BASE + "nothing.js",
        BASE + "..%2Fsettings.py",
        BASE + "pyodide.asm.wasm.gz",
        "/runtime/pyodide/0.0.1/pyodide.js",
        "/runtime/engine/engine-xyz.whl",
        "/runtime/engine/../manifest.json",
    ],
)
def test_unknown_files_are_404(client, url):
    assert client.get(url).status_code == 404


def test_engine_wheel_is_immutable_and_manifest_is_revalidated(client):
    manifest = build_engine_wheel()
    response = client.get(f"/runtime/engine/{manifest['wheel']}")
    assert response.status_code == 200 and response["Cache-Control"].endswith("immutable")
    assert body(response)[:2] == b"PK"
    response = client.get("/runtime/engine/manifest.json")
    assert response["Cache-Control"] == "no-cache" and manifest["wheel"].encode() in body(response)


def test_precompiled_bytecode_is_served_forever(client):
    pyc = assets.read_pyc_manifest()
    if pyc is None:
        pytest.skip("no precompiled bytecode (needs Node.js at `make assets`)")
    response = client.get(f"/runtime/pyc/{pyc['stdlib']}", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response["Cache-Control"].endswith("immutable")
    assert "Content-Encoding" not in response and body(response)[:2] == b"PK"
    assert client.get("/runtime/pyc/python_stdlib.zip").status_code == 404
