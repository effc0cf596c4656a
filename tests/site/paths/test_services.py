"""content_sync: one transaction, hash-based updates, deletions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learningpaths.paths.models import LearningObject, LearningPath, PathTransition
from learningpaths.paths.services import content_sync
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = pytest.mark.django_db


def test_sync_creates_objects_and_path(sample_site):
    assert LearningObject.objects.count() == 3
    path = LearningPath.objects.get(hruid="deep")
    assert [n.object.hruid for n in path.nodes.all()] == ["intro", "guide", "neuron"]
    assert PathTransition.objects.filter(node__path=path).count() == 2
    assert path.min_age == 12 and path.max_age == 18 and path.estimated_time == 30


def test_resync_leaves_unchanged_rows_alone(sample_site):
    before = {o.hruid: o.updated_at for o in LearningObject.objects.all()}
    a, b, c = sample_site.objects
    changed = compiled_object("neuron", title="A neuron, revised", html="<p>New</p>")
    report = content_sync(result=compile_result([a, b, changed], [compiled_path("deep", [a, b, changed])]))
    assert (report.created, report.updated, report.unchanged, report.deleted) == (0, 1, 2, 0)
    after = {o.hruid: o.updated_at for o in LearningObject.objects.all()}
    assert after["intro"] == before["intro"] and after["neuron"] != before["neuron"]
    assert LearningObject.objects.get(hruid="neuron").title == "A neuron, revised"


def writes(queries) -> list[str]:
    """``UPDATE table`` and the like for each query that writes (not reads, savepoints or releases)."""
    sql = [q["sql"] for q in queries]
    return [q.split(" ")[0] + " " + q.split('"')[1] for q in sql if q.startswith(("INSERT", "UPDATE", "DELETE"))]


def test_resync_writes_only_the_rows_that_changed(sample_site):
    """The live preview loads every build: an unchanged one writes nothing, a one-object edit that object."""
    with CaptureQueriesContext(connection) as unchanged:
        report = content_sync(result=sample_site)
    assert (report.unchanged, report.paths_unchanged, writes(unchanged.captured_queries)) == (3, 1, [])
    a, b, c = sample_site.objects
    changed = compiled_object("neuron", title="A neuron, revised", html="<p>New</p>")
    with CaptureQueriesContext(connection) as one:
        content_sync(result=compile_result([a, b, changed], [compiled_path("deep", [a, b, changed])]))
    touched = [w for w in writes(one.captured_queries) if "learningobject" in w]
    assert touched == ["UPDATE paths_learningobject"]
    assert LearningObject.objects.get(hruid="intro").html == "<p>Welcome</p>"


def test_sync_deletes_what_left_the_build(sample_site):
    a = sample_site.objects[0]
    report = content_sync(result=compile_result([a], []))
    assert report.deleted == 2 and report.paths_deleted == 1
    assert list(LearningObject.objects.values_list("hruid", flat=True)) == ["intro"]


def test_failed_sync_rolls_back(sample_site, monkeypatch):
    """An error halfway leaves the previous content intact (one transaction)."""
    from learningpaths.paths import services

    a, b, c = sample_site.objects
    new = compiled_object("extra")
    calls = {"n": 0}
    real = services._replace_children

    def boom(row, obj):
        calls["n"] += 1
        if obj.key.hruid == "extra":
            raise RuntimeError("disk on fire")
        return real(row, obj)

    monkeypatch.setattr(services, "_replace_children", boom)
    with pytest.raises(RuntimeError):
        content_sync(result=compile_result([new], []))
    assert sorted(LearningObject.objects.values_list("hruid", flat=True)) == ["guide", "intro", "neuron"]
    assert LearningPath.objects.filter(hruid="deep").exists()
