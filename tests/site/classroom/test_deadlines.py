"""Deadlines stay between the years 2000 and 2099: the form, the service and the database refuse
others, and a deadline at either end shows on the class page, the dashboard and the student's list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from learningpaths.classroom import services
from learningpaths.classroom.forms import AssignmentForm
from learningpaths.classroom.models import DEADLINE_MAX, DEADLINE_MIN, Assignment
from learningpaths.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db

OUTSIDE = ["0001-01-01T00:00", "1999-12-31T23:59", "2100-01-01T01:00", "9999-12-31T23:59"]


def form(deadline: str) -> AssignmentForm:
    class Path:
        hruid, language, title = "quizpath", "en", "Quiz path"

    return AssignmentForm({"path": "quizpath|en", "deadline": deadline}, paths=[Path()])


@pytest.mark.parametrize("deadline", OUTSIDE)
def test_the_form_refuses_deadlines_outside_the_range_in_both_languages(deadline):
    assert form(deadline).errors["deadline"] == ["Choose a deadline between the years 2000 and 2099."]
    with translation.override("nl"):
        assert form(deadline).errors["deadline"] == ["Kies een deadline tussen de jaren 2000 en 2099."]


def test_the_form_takes_deadlines_inside(settings):
    for deadline in ("2000-01-01T01:00", "2030-05-01T10:00", "2099-12-31T23:59"):
        assert form(deadline).is_valid(), deadline


def test_the_view_answers_400_with_the_message(client, classroom, teacher, quiz_site):
    client.force_login(teacher)
    response = client.post(
        f"/classes/{classroom.pk}/assignments/new/", {"path": "quizpath|en", "deadline": "0001-01-01T00:00"}
    )
    assert response.status_code == 400
    assert "Choose a deadline between the years 2000 and 2099." in response.content.decode()
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("deadline", [datetime(1, 1, 1, tzinfo=UTC), DEADLINE_MAX, datetime(9999, 1, 1, tzinfo=UTC)])
def test_the_service_and_the_database_refuse_them(classroom, teacher, quiz_site, deadline):
    with pytest.raises(ApplicationError, match="between the years 2000 and 2099"):
        services.assignment_create(
            classroom=classroom, actor=teacher, path_hruid="quizpath", path_language="en", deadline=deadline
        )
    assignment = services.assignment_create(
        classroom=classroom, actor=teacher, path_hruid="quizpath", path_language="en"
    )
    with pytest.raises(IntegrityError), transaction.atomic():  # the admin, a shell, any other writer
        Assignment.objects.filter(pk=assignment.pk).update(deadline=deadline)


@pytest.mark.parametrize("deadline", [DEADLINE_MIN, DEADLINE_MAX - timedelta(minutes=1)])
def test_deadlines_at_the_ends_show_everywhere(client, classroom, teacher, member, quiz_site, deadline):
    assignment = services.assignment_create(
        classroom=classroom, actor=teacher, path_hruid="quizpath", path_language="en", deadline=deadline
    )
    client.force_login(teacher)
    year = str(timezone.localtime(deadline).year)  # Brussels: 2000-01-01 01:00, 2100-01-01 00:59 local
    for url in (f"/classes/{classroom.pk}/", f"/classes/{classroom.pk}/assignments/{assignment.pk}/"):
        response = client.get(url)
        assert response.status_code == 200 and year in response.content.decode(), url
    client.force_login(member)
    response = client.get("/classes/")
    assert response.status_code == 200 and year in response.content.decode()
