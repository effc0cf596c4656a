"""Pages and endpoints: who may see what, and every problem is a 4xx with a message."""

import json

import pytest

from learningpaths.classroom import services
from learningpaths.classroom.models import Assignment, Classroom, Group, Membership
from learningpaths.learning.models import Submission

pytestmark = pytest.mark.django_db


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get("/classes/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_nav_link_for_signed_in_users(client, student):
    assert 'href="/classes/"' not in client.get("/").content.decode()
    client.force_login(student)
    assert 'href="/classes/"' in client.get("/").content.decode()


def test_empty_states(client, teacher, student):
    client.force_login(teacher)
    assert "No classes yet — create one" in client.get("/classes/").content.decode()
    client.force_login(student)
    page = client.get("/classes/").content.decode()
    assert "join a class with the code" in page and 'name="code"' in page and "<label" in page


def test_teacher_creates_a_class(client, teacher):
    client.force_login(teacher)
    response = client.post("/classes/new/", {"name": "3B science"})
    classroom = Classroom.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/classes/{classroom.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert f'data-join-code="{classroom.code}"' in page and "No assignments yet" in page


@pytest.mark.parametrize("data", [{"name": ""}, {"name": "x" * 101}, {}])
def test_bad_class_names_get_400_with_a_message(client, teacher, data):
    client.force_login(teacher)
    response = client.post("/classes/new/", data)
    assert response.status_code == 400 and 'class="errorlist' in response.content.decode()
    assert not Classroom.objects.exists()


def test_students_cannot_create_classes(client, student):
    client.force_login(student)
    assert client.post("/classes/new/", {"name": "X"}).status_code == 404
    assert not Classroom.objects.exists()


def test_student_joins_and_sees_the_class(client, classroom, student):
    client.force_login(student)
    response = client.post("/classes/join/", {"code": classroom.code.lower()})
    assert response.status_code == 302
    page = client.get("/classes/").content.decode()
    assert "You joined 3B science." in page and "Leave class" in page


@pytest.mark.parametrize(
    "code,message",
    [
        ("", "This field is required."),
        ("0O1I00", "A class code has 6 letters"),
        ("A" * 40, "at most 16"),
        ("ZZZZZZ", "No class has this code"),
    ],
)
def test_bad_codes_get_400_with_a_message(client, classroom, student, code, message):
    client.force_login(student)
    response = client.post("/classes/join/", {"code": code})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Membership.objects.exists()


def test_pending_students_are_approved_by_the_teacher(client, classroom, teacher, student):
    services.classroom_update(classroom=classroom, actor=teacher, name=classroom.name, approval_required=True)
    client.force_login(student)
    client.post("/classes/join/", {"code": classroom.code})
    assert "waiting for your teacher" in client.get("/classes/").content.decode()
    client.force_login(teacher)
    assert "Waiting for approval" in client.get(f"/classes/{classroom.pk}/").content.decode()
    assert client.post(f"/classes/{classroom.pk}/students/{student.pk}/approve/").status_code == 302
    assert Membership.objects.get().status == "active"


def test_teacher_removes_a_student_and_regenerates_the_code(client, classroom, teacher, member):
    client.force_login(teacher)
    old = classroom.code
    assert client.post(f"/classes/{classroom.pk}/code/").status_code == 302
    classroom.refresh_from_db()
    assert classroom.code != old
    assert client.post(f"/classes/{classroom.pk}/students/{member.pk}/remove/").status_code == 302
    assert not Membership.objects.exists()
    assert client.post(f"/classes/{classroom.pk}/students/{member.pk}/remove/").status_code == 404


def test_other_teachers_and_students_get_404_everywhere(client, classroom, assignment, member, other_teacher):
    urls = [
        f"/classes/{classroom.pk}/",
        f"/classes/{classroom.pk}/assignments/{assignment.pk}/",
        f"/classes/{classroom.pk}/assignments/{assignment.pk}/export.csv",
        f"/classes/{classroom.pk}/assignments/{assignment.pk}/students/{member.pk}/",
        f"/classes/{classroom.pk}/assignments/new/",
        f"/classes/{classroom.pk}/delete/",
    ]
    posts = [
        f"/classes/{classroom.pk}/code/",
        f"/classes/{classroom.pk}/students/{member.pk}/remove/",
        f"/classes/{classroom.pk}/teachers/add/",
        f"/classes/{classroom.pk}/delete/",
        f"/classes/{classroom.pk}/assignments/{assignment.pk}/delete/",
    ]
    for who in (other_teacher, member):
        client.force_login(who)
        for url in urls:
            assert client.get(url).status_code == 404, (who, url)
        for url in posts:
            assert client.post(url, {"username": "other"}).status_code == 404, (who, url)
    assert Classroom.objects.get().teachers.count() == 1 and Membership.objects.count() == 1
    assert Assignment.objects.count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "/classes/999/",
        "/classes/99999999999999999999999/",
        "/classes/1/assignments/99999999999999999999999/",
        "/classes/abc/",
    ],
)
def test_wrong_ids_are_404_not_500(client, teacher, url):
    client.force_login(teacher)
    assert client.get(url).status_code == 404


def test_co_teacher_sees_the_class(client, classroom, teacher, other_teacher):
    client.force_login(teacher)
    assert client.post(f"/classes/{classroom.pk}/teachers/add/", {"username": "nobody"}).status_code == 400
    assert client.post(f"/classes/{classroom.pk}/teachers/add/", {"username": "other"}).status_code == 302
    client.force_login(other_teacher)
    assert client.get(f"/classes/{classroom.pk}/").status_code == 200
    # the last teacher cannot leave
    client.post(f"/classes/{classroom.pk}/teachers/{teacher.pk}/remove/")
    response = client.post(f"/classes/{classroom.pk}/teachers/{other_teacher.pk}/remove/")
    assert response.status_code == 400 and "at least one teacher" in response.content.decode()


def test_groups_through_the_pages(client, classroom, teacher, member):
    client.force_login(teacher)
    assert (
        client.post(f"/classes/{classroom.pk}/groups/new/", {"name": "Team A", "members": [member.pk]}).status_code
        == 302
    )
    group = Group.objects.get()
    assert list(group.members.all()) == [member]
    assert client.post(f"/classes/{classroom.pk}/groups/new/", {"name": "Team A"}).status_code == 400
    assert client.post(f"/classes/{classroom.pk}/groups/new/", {"name": "B", "members": ["9999"]}).status_code == 400
    assert client.get(f"/classes/{classroom.pk}/groups/{group.pk}/").status_code == 200
    assert client.post(f"/classes/{classroom.pk}/groups/{group.pk}/", {"name": "Team Z"}).status_code == 302
    assert client.post(f"/classes/{classroom.pk}/groups/{group.pk}/delete/").status_code == 302
    assert not Group.objects.exists()


def test_assignment_form(client, classroom, teacher, quiz_site):
    client.force_login(teacher)
    page = client.get(f"/classes/{classroom.pk}/assignments/new/").content.decode()
    assert 'value="quizpath|en"' in page and 'type="datetime-local"' in page
    response = client.post(
        f"/classes/{classroom.pk}/assignments/new/", {"path": "quizpath|en", "deadline": "2030-05-01T10:00"}
    )
    assignment = Assignment.objects.get()
    assert response.status_code == 302 and assignment.deadline.year == 2030 and assignment.title == "Quiz path"
    assert client.post(f"/classes/{classroom.pk}/assignments/new/", {"path": "nope|en"}).status_code == 400
    assert (
        client.post(
            f"/classes/{classroom.pk}/assignments/new/", {"path": "quizpath|en", "deadline": "yesterday"}
        ).status_code
        == 400
    )
    assert Assignment.objects.count() == 1
    assert (
        client.post(f"/classes/{classroom.pk}/assignments/{assignment.pk}/edit/", {"path": "quizpath|en"}).status_code
        == 302
    )
    assignment.refresh_from_db()
    assert assignment.deadline is None


def test_assignment_form_without_paths_says_so(client, classroom, teacher):
    client.force_login(teacher)
    assert "There are no learning paths yet" in client.get(f"/classes/{classroom.pk}/assignments/new/").content.decode()


def test_students_see_assignments_of_their_groups_only(
    client, classroom, teacher, member, quiz_site, django_user_model
):
    other = django_user_model.objects.create_user("stud2", password="x")
    services.membership_join(user=other, code=classroom.code)
    group = services.group_create(classroom=classroom, actor=teacher, name="Team A", member_ids=[member.pk])
    services.assignment_create(
        classroom=classroom, actor=teacher, path_hruid="quizpath", path_language="en", groups=[group]
    )
    client.force_login(member)
    assert "Quiz path" in client.get("/classes/").content.decode()
    client.force_login(other)
    assert "Quiz path" not in client.get("/classes/").content.decode()


def test_student_home_shows_progress_deadline_and_overdue(client, classroom, teacher, member, quiz_site):
    from django.utils import timezone

    services.assignment_create(
        classroom=classroom,
        actor=teacher,
        path_hruid="quizpath",
        path_language="en",
        deadline=timezone.now() - timezone.timedelta(days=1),
    )
    client.force_login(member)
    client.get("/paths/quizpath/en/intro/")
    page = client.get("/classes/").content.decode()
    assert 'aria-valuenow="33"' in page and "1 of 3 steps" in page and "overdue" in page
    assert "Teacher guide" not in page


def test_student_leaves_a_class(client, classroom, member):
    client.force_login(member)
    assert client.post(f"/classes/{classroom.pk}/leave/").status_code == 302
    assert not Membership.objects.exists()
    assert client.post(f"/classes/{classroom.pk}/leave/").status_code == 404


def test_delete_a_class(client, classroom, teacher, member, assignment):
    client.force_login(teacher)
    assert "Delete 3B science?" in client.get(f"/classes/{classroom.pk}/delete/").content.decode()
    assert client.post(f"/classes/{classroom.pk}/delete/").status_code == 302
    assert not Classroom.objects.exists() and not Assignment.objects.exists()
    assert member.__class__.objects.filter(pk=member.pk).exists()


# -- returned values -------------------------------------------------------------------------------


def post_return(client, body, url="/classes/returns/train/en/1/"):
    return client.post(url, data=body if isinstance(body, str) else json.dumps(body), content_type="application/json")


def test_return_value_is_validated_and_stored(client, student, quiz_site):
    client.force_login(student)
    response = post_return(client, {"value": {"accuracy": 0.93, "model": "cnn"}})
    assert response.status_code == 201 and response.json() == {"message": "Your result was saved."}
    sub = Submission.objects.get()
    assert (sub.question_id, sub.answer, sub.object_hruid, sub.correct) == (
        "return_value",
        {"accuracy": 0.93, "model": "cnn"},
        "train",
        None,
    )


@pytest.mark.parametrize(
    "body,status,fragment",
    [
        ("not json", 400, "could not be read"),
        ("[1]", 400, 'Send the value as {"value": ...}.'),
        ({"answer": 1}, 400, "Send the value as"),
        ({"value": {"accuracy": 2}}, 400, "object: value.accuracy: 2 is greater than the maximum of 1"),
        ({"value": {}}, 400, "'accuracy' is a required property"),
        ({"value": {"accuracy": 0.5, "x": 1}}, 400, "('x' was unexpected)"),
        ({"value": {"accuracy": 0.5, "model": "svm"}}, 400, "value.model: 'svm' is not one of ['mlp', 'cnn']"),
        (
            {
                "value": {
                    "accuracy": 0.5,
                    "model": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],
                }
            },
            400,
            "value: nested more than 32 levels deep",
        ),
        ({"value": {"accuracy": "x" * 40000}}, 413, "too large"),
        ("[" * 5000 + "]" * 5000, 400, ""),
    ],
)
def test_bad_return_values_get_4xx_and_store_nothing(client, student, quiz_site, body, status, fragment):
    client.force_login(student)
    response = post_return(client, body)
    assert response.status_code == status and fragment in response.json()["detail"]
    assert not Submission.objects.exists()


def test_return_value_errors_for_objects(client, student, quiz_site):
    assert post_return(client, {"value": {"accuracy": 1}}).status_code == 401
    client.force_login(student)
    assert (
        post_return(client, {"value": 1}, "/classes/returns/quiz/en/1/").json()["detail"]
        == "This learning object does not accept returned values."
    )
    assert post_return(client, {"value": 1}, "/classes/returns/nope/en/1/").status_code == 404
    assert post_return(client, {"value": 1}, "/classes/returns/guide/en/1/").status_code == 404  # teacher-only
    assert client.get("/classes/returns/train/en/1/").status_code == 405
    assert not Submission.objects.exists()


def test_answer_keys_never_reach_students(client, member, assignment):
    client.force_login(member)
    for url in ("/classes/", "/paths/quizpath/en/quiz/"):
        page = client.get(url).content.decode()
        assert '"correct"' not in page and "Expected:" not in page
