"""A teacher gives a student of their own class a new one-time password; nobody else can."""

from __future__ import annotations

import pytest

from learningpaths.classroom import services
from learningpaths.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


def test_teacher_resets_a_members_password(client, teacher, member, classroom):
    client.force_login(teacher)
    response = client.post(f"/classes/{classroom.pk}/students/{member.pk}/password/", follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "New password for stud: " in page
    password = page.split("New password for stud: ")[1].split(" ")[0]
    member.refresh_from_db()
    assert member.check_password(password) and not member.check_password("pw-student-123")
    again = client.get(f"/classes/{classroom.pk}/").content.decode()
    assert password not in again  # shown once


def test_a_teacher_of_another_class_cannot(client, other_teacher, member, classroom):
    other_class = services.classroom_create(teacher=other_teacher, name="other")
    with pytest.raises(ApplicationError) as err:
        services.student_password_reset(classroom=other_class, actor=other_teacher, student_id=member.pk)
    assert err.value.extra["status"] == 404
    with pytest.raises(ApplicationError):
        services.student_password_reset(classroom=classroom, actor=other_teacher, student_id=member.pk)
    client.force_login(other_teacher)
    assert client.post(f"/classes/{classroom.pk}/students/{member.pk}/password/").status_code == 404
    member.refresh_from_db()
    assert member.check_password("pw-student-123")


def test_a_student_cannot_reset_a_classmate(client, member, classroom, django_user_model):
    mate = django_user_model.objects.create_user("mate", password="pw-mate-123")
    services.membership_join(user=mate, code=classroom.code)
    client.force_login(member)
    assert client.post(f"/classes/{classroom.pk}/students/{mate.pk}/password/").status_code == 404
    mate.refresh_from_db()
    assert mate.check_password("pw-mate-123")


def test_not_for_a_co_teacher(teacher, other_teacher, classroom):
    services.classroom_teacher_add(classroom=classroom, actor=teacher, username=other_teacher.username)
    with pytest.raises(ApplicationError):
        services.student_password_reset(classroom=classroom, actor=teacher, student_id=other_teacher.pk)
