"""The service worker script, a path's offline manifest and the offline page (client tests)."""

from __future__ import annotations

import dataclasses
import hashlib
import json

import pytest

from learningpaths.compiler.result import Asset
from learningpaths.learning import offline
from learningpaths.learning.models import StepDone
from learningpaths.paths.services import content_sync
from learningpaths.runtime import assets
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = pytest.mark.django_db

CELL = '<div class="lp-cell" data-lp-cell="1"><pre><code>print(1)</code></pre></div>'


def worker_config(client) -> dict:
    body = client.get("/sw.js").content.decode()
    first, _, rest = body.partition("\n")
    assert first.startswith("self.LP_SW = ") and first.endswith(";")
    return json.loads(first[len("self.LP_SW = ") : -1])


def asset(tmp_path, name: str, *, teacher_only: bool) -> Asset:
    data = f"file {name}".encode()
    source = tmp_path / "src" / name
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes(data)
    return Asset(name, source, hashlib.sha256(data).hexdigest(), len(data), teacher_only)


@pytest.fixture
def offline_site(settings, tmp_path):
    """A path of three steps: a public one with a picture and a teacher-only picture, a
    teacher-exclusive one, and one with a Python cell."""
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    intro = dataclasses.replace(
        compiled_object("intro", title="Introduction"),
        assets=[asset(tmp_path, "shown.png", teacher_only=False), asset(tmp_path, "key.png", teacher_only=True)],
    )
    guide = compiled_object("guide", title="Teacher guide", teacher_exclusive=True)
    cells = compiled_object("cells", title="Cells", html=CELL)
    content_sync(result=compile_result([intro, guide, cells], [compiled_path("deep", [intro, guide, cells])]))


def test_service_worker_is_served_at_the_root_without_caching(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    assert 'addEventListener("fetch"' in response.content.decode()
    assert client.post("/sw.js").status_code == 405
    again = client.get("/sw.js", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again["Cache-Control"] == "no-cache"
    assert response["ETag"] == f'"{worker_config(client)["version"]}"'


def test_worker_config_names_only_this_site_and_never_caches_per_user_routes(client):
    config = worker_config(client)
    assert config["offlineURL"] == "/offline/"
    assert {"/api/", "/accounts/", "/classes/", "/admin/", "/learn/"} <= set(config["never"])
    assert all(url.startswith("/") and not url.startswith("//") for url in config["runtime"])
    manifest = assets.read_engine_manifest()
    if manifest:  # `make assets` has run: the engine wheel is a runtime file
        assert f"/runtime/engine/{manifest['wheel']}" in config["runtime"]
    assert f"/runtime/pyodide/{assets.PYODIDE_VERSION}/pyodide.asm.wasm" in config["runtime"]


def test_worker_version_changes_with_the_content_build(client, sample_site):
    before = worker_config(client)
    assert worker_config(client)["version"] == before["version"]  # nothing changed: same worker
    content_sync(result=compile_result([compiled_object("extra")], [compiled_path("more", [compiled_object("extra")])]))
    after = worker_config(client)
    assert after["version"] != before["version"]
    assert after["filesVersion"] == before["filesVersion"]  # the runtime files' cache survives


def test_worker_version_changes_with_the_static_build_in_production(client, settings, monkeypatch):
    settings.DEBUG = False
    manifest = {"value": b'{"paths": {"css/site.css": "css/site.0123456789ab.css"}}'}
    monkeypatch.setattr(offline, "_static_manifest", lambda: manifest["value"])
    offline._files_version_cached.cache_clear()
    before = offline.files_version()
    assert offline.files_version() == before
    manifest["value"] = b'{"paths": {"css/site.css": "css/site.ba9876543210.css"}}'
    offline._files_version_cached.cache_clear()  # a new process after collectstatic
    assert offline.files_version() != before
    offline._files_version_cached.cache_clear()


def test_worker_version_changes_with_the_site_files_in_development(settings, monkeypatch, tmp_path):
    settings.DEBUG = True
    (tmp_path / "site").mkdir()
    script = tmp_path / "site" / "player.js"
    script.write_text("one")
    monkeypatch.setattr(offline.layout, "SITE_STATIC_DIR", tmp_path)
    before = offline.files_version()
    script.write_text("two, longer")
    assert offline.files_version() != before


def test_manifest_lists_what_a_student_may_see(client, offline_site, student):
    client.force_login(student)
    response = client.get("/paths/deep/en/offline.json")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    manifest = response.json()
    assert manifest["pages"] == ["/paths/deep/en/", "/paths/deep/en/intro/", "/paths/deep/en/cells/"]
    assert "/objects/intro/en/1/assets/shown.png" in manifest["files"]
    assert "/objects/intro/en/1/assets/key.png" not in manifest["files"]
    assert not any("guide" in url for url in manifest["pages"] + manifest["files"])
    assert set(offline.runtime_files()) <= set(manifest["files"])  # a step has a Python cell
    assert "/static/site/offline.js" in manifest["files"]
    # KaTeX as content.js asks for it (data-vendor + the plain name), with its fonts.
    assert "/static/vendor/katex/katex.min.css" in manifest["files"]
    if assets.KATEX_DIR.is_dir():
        assert any(url.startswith("/static/vendor/katex/fonts/") for url in manifest["files"])
    assert manifest["version"] == worker_config(client)["version"]


def test_manifest_for_a_teacher_has_the_teacher_steps_unless_viewing_as_student(client, offline_site, teacher):
    client.force_login(teacher)
    manifest = client.get("/paths/deep/en/offline.json").json()
    assert "/paths/deep/en/guide/" in manifest["pages"]
    assert "/objects/intro/en/1/assets/key.png" in manifest["files"]
    as_student = client.get("/paths/deep/en/offline.json?as=student").json()
    assert "/paths/deep/en/intro/?as=student" in as_student["pages"]
    assert not any("guide" in url for url in as_student["pages"])
    assert "/objects/intro/en/1/assets/key.png" not in as_student["files"]


def test_manifest_for_an_anonymous_visitor_and_a_path_without_python(client, sample_site):
    manifest = client.get("/paths/deep/en/offline.json").json()
    assert manifest["pages"] == ["/paths/deep/en/", "/paths/deep/en/intro/", "/paths/deep/en/neuron/"]
    assert not any(url.startswith("/runtime/") for url in manifest["files"])  # no cells: no Pyodide
    assert not any("blockly" in url for url in manifest["files"])  # no programs: no Blockly


def test_manifest_of_a_path_with_a_blockly_program_has_blockly(client, settings, tmp_path):
    settings.CONTENT_ASSET_ROOT = tmp_path
    program = compiled_object("program", language="nl", html='<figure class="lp-blockly"><details></details></figure>')
    content_sync(result=compile_result([program], [compiled_path("robots", [program], language="nl")]))
    files = client.get("/paths/robots/nl/offline.json").json()["files"]
    assert set(offline.blockly_files("nl")) <= set(files)
    assert "/static/vendor/blockly/msg/nl.js" in files and "/static/js/blockly.js" in files


def test_manifest_errors_are_json(client, sample_site):
    missing = client.get("/paths/nope/en/offline.json")
    assert missing.status_code == 404
    assert set(missing.json()) == {"error", "detail"}
    wrong = client.post("/paths/deep/en/offline.json")
    assert wrong.status_code == 405
    assert set(wrong.json()) >= {"error", "detail"}


def test_a_prefetched_step_is_not_a_visit(client, offline_site, student):
    client.force_login(student)
    assert client.get("/paths/deep/en/cells/", HTTP_X_LP_PREFETCH="1").status_code == 200
    assert not StepDone.objects.filter(user=student).exists()
    client.get("/paths/deep/en/cells/")
    assert StepDone.objects.filter(user=student, object_hruid="cells").exists()


def test_offline_page_in_english_and_dutch(client):
    english = client.get("/offline/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200
    assert "You are offline" in english.content.decode()
    dutch = client.get("/offline/", HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9")
    assert "Je bent offline" in dutch.content.decode()


def test_every_page_registers_the_worker_and_the_player_has_the_button(client, sample_site):
    page = client.get("/paths/deep/en/intro/").content.decode()
    assert 'src="/static/site/offline.js" data-sw="/sw.js"' in page
    assert 'data-lp-offline="/paths/deep/en/offline.json"' in page
    assert "Get this path ready for offline use" in page
    assert 'data-sw="/sw.js"' in client.get("/").content.decode()


def test_teacher_pages_are_private_so_no_cache_keeps_them(client, sample_site, teacher, student):
    client.force_login(teacher)
    teacher_view = client.get("/paths/deep/en/guide/")
    assert teacher_view["Cache-Control"] == "private"  # sw.js stores nothing private
    assert "data-lp-offline" not in teacher_view.content.decode()
    assert client.get("/objects/guide/en/1/")["Cache-Control"] == "private"
    as_student = client.get("/paths/deep/en/intro/?as=student")
    assert "private" not in as_student.get("Cache-Control", "")
    assert 'data-lp-offline="/paths/deep/en/offline.json?as=student"' in as_student.content.decode()
    client.force_login(student)
    page = client.get("/paths/deep/en/intro/")
    assert "private" not in page.get("Cache-Control", "")
    assert "private" not in client.get("/objects/intro/en/1/").get("Cache-Control", "")
