"""manage.py demo_users"""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from learningpaths.classroom.models import Assignment, Classroom, Membership

pytestmark = pytest.mark.django_db


def test_refuses_without_debug_or_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        call_command("demo_users", "--password", "pw")
    assert not Classroom.objects.exists()


def test_without_paths_creates_the_class_and_says_so(settings, capsys):
    settings.DEBUG = False
    call_command("demo_users", "--password", "demo-pw-1", "--force")
    out = capsys.readouterr().out
    assert "No learning path exists yet" in out
    classroom = Classroom.objects.get()
    assert classroom.teachers.get().username == "demo-teacher"
    assert sorted(m.user.username for m in Membership.objects.all()) == [f"demo-student-{i}" for i in (1, 2, 3)]
    assert not Assignment.objects.exists()


def test_idempotent_and_prefers_deep_learning(settings, tmp_path, capsys):
    from learningpaths.paths.services import content_sync
    from tests.conftest import compile_result, compiled_object, compiled_path

    settings.DEBUG = True
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    a, b = compiled_object("a"), compiled_object("b")
    content_sync(
        result=compile_result(
            [a, b], [compiled_path("aaa_first", [a], title="AAA"), compiled_path("deep_learning", [b], title="Deep")]
        )
    )
    call_command("demo_users", "--password", "demo-pw-1")
    call_command("demo_users", "--password", "demo-pw-2")
    assert Classroom.objects.count() == 1 and Membership.objects.count() == 3
    assignment = Assignment.objects.get()
    assert assignment.path_hruid == "deep_learning" and assignment.deadline is not None
    assert authenticate(username="demo-student-2", password="demo-pw-2") is not None
    assert authenticate(username="demo-teacher", password="demo-pw-2").is_teacher
