"""A preview session: every kind of save lands in the database; a broken one is listed, not fatal."""

from __future__ import annotations

import threading
import time

import pytest
from django.urls import reverse

from learningpaths.paths.models import LearningObject
from learningpaths.preview import session as preview
from tests.compiler.helpers import front, write

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def isolated_storage(settings, tmp_path):
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    settings.COMPILE_CACHE_DIR = tmp_path / "cache"


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "lessons" / "learning_objects"
    write(root, {"a/index.md": front("a", body="First text."), "b/index.md": front("b")})
    return tmp_path / "lessons"


def bump(path):
    """Saves within one clock tick must still look changed: move the mtime on."""
    st = path.stat()
    import os

    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))


def titles():
    return dict(LearningObject.objects.values_list("hruid", "title"))


def test_change_add_delete_rename_and_a_broken_edit(tree):
    session = preview.PreviewSession([tree])
    first = session.rebuild()
    assert (first.number, first.objects, first.errors, titles()) == (1, 2, 0, {"a": "A", "b": "B"})
    assert session.poll() is None  # nothing changed: no build

    a = tree / "learning_objects" / "a" / "index.md"
    a.write_text(front("a", title="Neurons", body="Second text."))
    bump(a)
    build = session.poll()
    assert build.number == 2 and build.changed == [str(a)] and titles()["a"] == "Neurons"

    write(tree / "learning_objects", {"c/index.md": front("c")})
    assert session.poll().objects == 3 and "c" in titles()

    (tree / "learning_objects" / "c").rename(tree / "learning_objects" / "c2")  # the folder is not the identity
    build = session.poll()
    assert len(build.changed) == 2 and "c" in titles()

    (tree / "learning_objects" / "c2" / "index.md").unlink()
    assert session.poll().objects == 2 and "c" not in titles()

    b = tree / "learning_objects" / "b" / "index.md"
    b.write_text(front("b").replace("version: 1", "version: [oops"))
    bump(b)
    broken = session.poll()
    assert broken.errors >= 1 and broken.loaded
    (problem,) = [d for d in broken.diagnostics if d.severity == "error"]
    assert problem.path == "lessons/learning_objects/b/index.md" or problem.path.endswith("learning_objects/b/index.md")
    # YAML reports the unclosed "[" where it gives up: the next line
    assert problem.line == 4 and problem.col > 0 and problem.code == "lp.front_matter"
    assert titles()["a"] == "Neurons"  # what compiled is still served
    assert titles()["b"] == "B"  # and the broken object keeps its last good version

    b.write_text(front("b", title="Fixed"))
    bump(b)
    fixed = session.poll()
    assert fixed.errors == 0 and titles()["b"] == "Fixed"


@pytest.mark.django_db(transaction=True)  # the build runs on another thread, with its own connection
def test_wait_returns_when_a_build_lands(tree):
    session = preview.PreviewSession([tree])
    session.rebuild()
    t0 = time.perf_counter()
    assert session.wait(1, timeout=0.2).number == 1  # none newer: times out with the current one
    assert time.perf_counter() - t0 >= 0.15
    threading.Timer(0.1, session.rebuild).start()
    assert session.wait(1, timeout=10).number == 2


def test_routes_answer_404_without_a_preview(client):
    preview.activate(None)
    assert client.get(reverse("preview:events")).status_code == 404
    assert client.post(reverse("preview:view_as", args=["teacher"])).status_code == 404
    assert b"preview.js" not in client.get("/search/").content


@pytest.fixture
def active(tree):
    session = preview.PreviewSession([tree])
    session.rebuild()
    preview.activate(session)
    yield session
    preview.activate(None)


@pytest.mark.django_db(transaction=True)  # the build runs on another thread, with its own connection
def test_events_and_page_script(client, active):
    doc = client.get(reverse("preview:events")).json()
    assert (doc["build"], doc["objects"], doc["errors"], doc["diagnostics"]) == (1, 2, 0, [])
    assert client.get(reverse("preview:events"), {"since": "x"}).status_code == 400
    threading.Timer(0.1, active.rebuild).start()
    assert client.get(reverse("preview:events"), {"since": "1"}).json()["build"] == 2
    page = client.get("/search/").content.decode()  # (not a memoised page: those are tested in paths)
    assert "site/preview.js" in page and "site/offline.js" not in page  # no service worker while previewing


def test_view_as_uses_real_accounts(client, active):
    response = client.post(reverse("preview:view_as", args=["teacher"]), {"next": "/search/"})
    assert response.status_code == 302 and response.url == "/search/"
    assert client.get("/search/").context["user"].is_teacher
    client.post(reverse("preview:view_as", args=["student"]), {"next": "https://elsewhere.example/"})
    user = client.get("/search/").context["user"]
    assert user.username == "preview-student" and not user.is_teacher and not user.has_usable_password()
    client.post(reverse("preview:view_as", args=["visitor"]))
    assert not client.get("/search/").context["user"].is_authenticated
    assert client.post(reverse("preview:view_as", args=["admin"])).status_code == 404


def test_a_broken_step_keeps_its_path_and_its_last_good_version(tree, client):
    from learningpaths.paths.models import LearningPath
    from tests.compiler.helpers import path_json

    write(tree / "learning_paths", {"p.json": path_json("p", ["a", "b"])})
    session = preview.PreviewSession([tree])
    assert session.rebuild().errors == 0
    b = tree / "learning_objects" / "b" / "index.md"
    b.write_text(front("b", body="![gone](embed/missing.png)"))
    bump(b)
    broken = session.poll()
    assert broken.errors == 1 and broken.loaded
    assert LearningPath.objects.get(hruid="p").nodes.count() == 2
    assert client.get("/paths/p/en/").status_code == 200
    assert b"Body text." in client.get("/objects/b/en/1/").content  # the version before the edit


def test_an_edit_reaches_the_objects_that_embed_it(tree):
    a = tree / "learning_objects" / "a" / "index.md"
    a.write_text(front("a", body="A embeds B\n\n![b](@learning-object/b/en/1)\n"))
    session = preview.PreviewSession([tree])
    session.rebuild()
    b = tree / "learning_objects" / "b" / "index.md"
    b.write_text(front("b", body="B, edited."))
    bump(b)
    build = session.poll()
    assert build.changed == [str(b)]
    assert "B, edited." in LearningObject.objects.get(hruid="a").html


def test_the_compile_cache_is_written_after_the_first_build_and_when_asked(tree, settings):
    session = preview.PreviewSession([tree])
    session.rebuild()
    cache = settings.COMPILE_CACHE_DIR / "compile-cache.pickle"
    first = cache.stat().st_mtime_ns
    a = tree / "learning_objects" / "a" / "index.md"
    a.write_text(front("a", body="Third text."))
    bump(a)
    session.poll()
    assert cache.stat().st_mtime_ns == first  # not on every build: the author may be typing
    session.save()
    assert cache.stat().st_mtime_ns != first
