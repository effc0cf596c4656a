"""A person's own data: the download (accounts.selectors.user_data with each app's sections) and
account deletion with password confirmation (accounts.services.account_delete)."""

import json

import pytest

from learningpaths.accounts import exports, services as account_services
from learningpaths.accounts.selectors import user_data
from learningpaths.classroom import services
from learningpaths.classroom.models import Classroom, Membership
from learningpaths.learning.models import PathProgress, StepDone, Submission

pytestmark = pytest.mark.django_db


def test_student_downloads_all_their_data(client, member, assignment, django_user_model):
    other = django_user_model.objects.create_user("someone", password="x")
    Submission.objects.create(
        user=other,
        object_hruid="quiz",
        object_language="en",
        object_version=1,
        question_id="q1",
        answer=[0],
        correct=False,
        score=0.0,
    )
    client.force_login(member)
    client.get("/paths/quizpath/en/quiz/")
    client.post("/learn/answers/quiz/en/1/q1/", data='{"answer": ["1"]}', content_type="application/json")
    response = client.get("/classes/me/data.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["username"] == member.username and "password" not in json.dumps(data)
    assert data["classes"][0]["name"] == "3B science"
    assert len(data["submissions"]) == 1 and data["submissions"][0]["answer"] == [1]
    assert data["steps_done"][0]["step"] == "quiz" and data["path_progress"][0]["path"] == "quizpath"


def test_data_download_needs_sign_in(client):
    assert client.get("/classes/me/data.json").status_code == 302


def test_delete_account_needs_the_password(client, member, assignment):
    client.force_login(member)
    client.get("/paths/quizpath/en/quiz/")
    client.post("/learn/answers/quiz/en/1/q1/", data='{"answer": ["1"]}', content_type="application/json")
    page = client.get("/classes/me/delete/").content.decode()
    assert 'for="id_password"' in page and 'for="id_confirm"' in page
    response = client.post("/classes/me/delete/", {"password": "wrong", "confirm": "on"})
    assert response.status_code == 400 and "This password is not right." in response.content.decode()
    assert client.post("/classes/me/delete/", {"password": "pw-student-123"}).status_code == 400  # not confirmed
    assert Submission.objects.exists()
    response = client.post("/classes/me/delete/", {"password": "pw-student-123", "confirm": "on"})
    assert response.status_code == 302
    assert not member.__class__.objects.filter(pk=member.pk).exists()
    assert not Submission.objects.exists() and not StepDone.objects.exists() and not PathProgress.objects.exists()
    assert not Membership.objects.exists() and Classroom.objects.exists()
    assert client.get("/classes/").status_code == 302  # signed out


def test_teacher_deletion_removes_only_classes_they_alone_teach(teacher, other_teacher):
    alone = services.classroom_create(teacher=teacher, name="Alone")
    shared = services.classroom_create(teacher=teacher, name="Shared")
    services.classroom_teacher_add(classroom=shared, actor=teacher, username=other_teacher.username)
    result = account_services.account_delete(user=teacher, password="pw-teacher-123")
    assert result["classes_deleted"] == 1
    assert list(Classroom.objects.values_list("name", flat=True)) == ["Shared"]
    assert not Classroom.objects.filter(pk=alone.pk).exists()


def test_the_deletion_page_warns_about_classes_the_teacher_alone_teaches(client, teacher, other_teacher):
    services.classroom_create(teacher=teacher, name="Alone")
    shared = services.classroom_create(teacher=teacher, name="Shared")
    services.classroom_teacher_add(classroom=shared, actor=teacher, username=other_teacher.username)
    client.force_login(teacher)
    page = client.get("/classes/me/delete/").content.decode()
    assert (
        '<p class="alert alert-warning">You are the only teacher of these classes; they will be deleted too: Alone</p>'
    ) in page
    client.force_login(other_teacher)
    assert "alert-warning" not in client.get("/classes/me/delete/").content.decode()


def test_every_app_contributes_its_sections_after_the_account(member, assignment):
    assert list(user_data(user=member)) == [
        "account",
        "linked_sign_ins",
        "path_progress",
        "steps_done",
        "submissions",
        "classes",
        "groups",
        "classes_taught",
        "class_account",
        "lti_identities",
    ]


def test_a_registered_section_and_deletion_take_part(student, monkeypatch):
    monkeypatch.setattr(exports, "_sections", dict(exports._sections))
    monkeypatch.setattr(exports, "_deletions", dict(exports._deletions))
    seen = []
    exports.register("extra", lambda *, user: {"who": user.username})
    exports.deletion_register("extra", delete=lambda *, user: seen.append(user.pk) or {"extra_deleted": 2})
    assert user_data(user=student)["extra"] == {"who": "stud"}
    pk = student.pk
    report = account_services.account_delete(user=student, password="pw-student-123")
    assert report == {"username": "stud", "classes_deleted": 0, "extra_deleted": 2} and seen == [pk]


def test_the_pages_keep_their_addresses_under_the_accounts_names():
    from django.urls import reverse

    assert reverse("accounts:my_data") == "/classes/me/data.json"
    assert reverse("accounts:account_delete") == "/classes/me/delete/"
    assert reverse("accounts:login") == "/accounts/sign-in/"
