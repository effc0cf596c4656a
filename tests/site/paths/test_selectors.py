"""Selectors decide visibility once for every route."""

import pytest

from learningpaths.paths import selectors
from learningpaths.paths.models import LearningObject
from learningpaths.paths.services import content_sync
from tests.conftest import compile_result, compiled_object

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions(settings, tmp_path):
    settings.CONTENT_ASSET_ROOT = tmp_path
    content_sync(
        result=compile_result(
            [
                compiled_object("lesson", version=1, html="<p>v1</p>"),
                compiled_object("lesson", version=2, html="<p>v2 draft</p>", teacher_exclusive=True),
                compiled_object("lesson", language="nl", version=1, teacher_exclusive=True),
            ]
        )
    )


def test_latest_visible_version(versions, student, teacher):
    assert selectors.object_get(user=student, hruid="lesson", language="en").version == 1
    assert selectors.object_get(user=teacher, hruid="lesson", language="en").version == 2
    visible = LearningObject.objects.visible_to(student).latest_versions()
    assert [(o.language, o.version) for o in visible] == [("en", 1)]


def test_variants_respect_visibility(versions, student, teacher):
    obj = selectors.object_get(user=student, hruid="lesson", language="en")
    assert selectors.object_variants(obj=obj, user=student) == []
    assert [v.language for v in selectors.object_variants(obj=obj, user=teacher)] == ["nl"]
