"""Path traversal on every route that serves files: content assets, Pyodide, the engine wheel,
bytecode archives, static files and path images. Nothing outside the stored files comes back."""

from __future__ import annotations

from pathlib import Path

import pytest

from .payloads import PNG

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

# Words from files an attacker would want; none may appear in a refused response.
SECRETS = [b"root:x:0:0", b"SECRET_KEY", b"DATABASES", b"[project]", b"dev-only-insecure-key", b"SQLite format 3"]

TRAVERSALS = [
    "../../../../../../etc/passwd",
    "..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "..%252f..%252f..%252fetc%252fpasswd",
    "....//....//....//etc/passwd",
    "..\\..\\..\\..\\etc\\passwd",
    "..%5c..%5c..%5cetc%5cpasswd",
    "/etc/passwd",
    "//etc/passwd",
    "%2fetc%2fpasswd",
    "file:///etc/passwd",
    "img/../../../../learningpaths/settings.py",
    "../../../../../pyproject.toml",
    "..%c0%af..%c0%af..%c0%afetc%c0%afpasswd",
    "%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "x.png%00.txt",
    "./x.png/../../../../var/db.sqlite3",
    "x.png/..",
    "%2e",
    ".",
    "..",
    "img/%2e%2e/%2e%2e/settings.py",
]


@pytest.fixture
def asset_site(settings, tmp_path):
    """One object with one real asset, compiled by the real compiler."""
    from learningpaths.compiler import compile_content
    from learningpaths.compiler.options import CompileOptions
    from learningpaths.paths.services import content_sync

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    obj = tmp_path / "content" / "o"
    (obj / "img").mkdir(parents=True)
    (obj / "img" / "x.png").write_bytes(PNG)
    (obj / "index.md").write_text(
        "---\nhruid: o\nversion: 1\nlanguage: en\ntitle: O\ndescription: d\n"
        "content_type: text/markdown\nestimated_time: 5\n---\n![a dot](img/x.png)\n"
    )
    result = compile_content([tmp_path / "content"], options=CompileOptions())
    assert result.accepted(strict=False) and result.objects[0].assets
    content_sync(result=result)


def refused(response) -> bool:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code in (301, 302, 400, 404) and not any(s in body for s in SECRETS)


def test_the_real_asset_is_served(client, asset_site):
    response = client.get("/objects/o/en/1/assets/img/x.png")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG


@pytest.mark.parametrize("attack", TRAVERSALS)
def test_asset_route_refuses_traversal(client, asset_site, attack):
    for url in (f"/objects/o/en/1/assets/{attack}", f"/objects/o/en/1/assets/img/{attack}"):
        response = client.get(url)
        assert refused(response), (url, response.status_code)


@pytest.mark.parametrize(
    "prefix",
    [
        "/runtime/pyodide/0.27.7/",
        "/runtime/engine/",
        "/runtime/pyc/",
        "/static/",
        "/static/vendor/",
        "/media/",
        "/paths/x/en/image/",
    ],
)
def test_file_routes_refuse_traversal(client, prefix):
    for attack in TRAVERSALS:
        response = client.get(prefix + attack)
        assert refused(response), (prefix + attack, response.status_code)


def test_stored_assets_live_only_under_their_hash(asset_site, settings):
    """Files are stored by content hash; a name from the content never becomes a file name."""
    import hashlib

    stored = [p for p in Path(settings.CONTENT_ASSET_ROOT).rglob("*") if p.is_file()]
    assert stored and all(p.name == hashlib.sha256(p.read_bytes()).hexdigest() for p in stored)


def test_compiler_refuses_assets_outside_the_object_folder(tmp_path):
    """An image reference that climbs out of the object folder is an error, never a copied file."""
    from learningpaths.compiler import compile_content
    from learningpaths.compiler.options import CompileOptions

    (tmp_path / "secret.txt").write_text("SECRET_KEY=1")
    obj = tmp_path / "content" / "o"
    obj.mkdir(parents=True)
    (obj / "index.md").write_text(
        "---\nhruid: o\nversion: 1\nlanguage: en\ntitle: O\ndescription: d\ncontent_type: text/markdown\n"
        'estimated_time: 5\n---\n![s](../../secret.txt)\n\n![p](/etc/passwd)\n\n<img src="../../secret.txt" alt="s">\n\n'
        "[pdf](@pdf/../../secret.txt)\n"
    )
    result = compile_content([tmp_path / "content"], options=CompileOptions())
    for obj in result.objects:
        assert all("secret" not in str(a.source) and "passwd" not in str(a.source) for a in obj.assets)
