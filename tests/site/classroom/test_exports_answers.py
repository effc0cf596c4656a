"""CSV exports a spreadsheet opens as-is (separator by language, BOM, formula guard, school time zone,
answer texts) and the per-question item analysis on the dashboard."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from learningpaths.classroom import services
from learningpaths.learning.models import Submission

pytestmark = pytest.mark.django_db


def store(user, answer, correct, when=None):
    sub = Submission.objects.create(
        user=user,
        object_hruid="quiz",
        object_language="en",
        object_version=1,
        question_id="q1",
        answer=answer,
        correct=correct,
        score=None if correct is None else float(correct) * 0.5,
    )
    if when:
        Submission.objects.filter(pk=sub.pk).update(created_at=when)
    return sub


def url(assignment, suffix):
    return f"/classes/{assignment.classroom_id}/assignments/{assignment.pk}/{suffix}"


def test_answers_csv_in_dutch(client, teacher, member, assignment, settings):
    store(member, [0], False, datetime(2025, 1, 15, 12, 0, tzinfo=UTC))
    sub = store(member, [1], True, datetime(2025, 7, 1, 8, 30, tzinfo=UTC))
    services.submission_review(teacher=teacher, submission=sub, score="0,75", comment="=HYPERLINK(evil)")
    client.force_login(teacher)
    response = client.get(url(assignment, "answers.csv"), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:6] == ["student", "step", "question", "try", "answer", "expected"]
    newest, oldest = rows[1], rows[2]
    assert newest[4] == "4" and newest[5] == "4" and newest[6] == "yes" and oldest[4] == "3"
    assert newest[7] == "0,5" and newest[10] == "0,75"  # decimal comma
    assert newest[8] == "2025-07-01T10:30:00+02:00" and oldest[8] == "2025-01-15T13:00:00+01:00"  # Brussels
    assert newest[11] == "'=HYPERLINK(evil)"  # formula guard
    english = client.get(url(assignment, "answers.csv"), HTTP_ACCEPT_LANGUAGE="en").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(english)))
    assert rows[1][7] == "0.5" and len(rows[0]) == 12


def test_grid_csv_separator_and_time_zone(client, teacher, member, assignment):
    store(member, [1], True, datetime(2025, 7, 1, 8, 30, tzinfo=UTC))
    client.force_login(teacher)
    dutch = client.get(url(assignment, "export.csv"), HTTP_ACCEPT_LANGUAGE="nl").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(dutch), delimiter=";"))
    assert rows[0][:3] == ["student", "groups", "steps_done"]
    assert rows[1][rows[0].index("last_activity")] == "2025-07-01T10:30:00+02:00"


def test_item_analysis(client, teacher, member, assignment, classroom, django_user_model):
    other = django_user_model.objects.create_user("second", password="x")
    services.membership_join(user=other, code=classroom.code)
    outsider = django_user_model.objects.create_user("outsider", password="x")  # not in the class
    store(member, [0], False)
    store(member, [1], True)
    store(other, [1], True)
    store(outsider, [0], False)
    store(outsider, [0], False)
    client.force_login(teacher)
    page = client.get(url(assignment, "")).content.decode()
    row = page.split('data-question="q1"')[1].split("</tr>")[0]
    assert "2+2?" in row and "50 %" in row and "(1/2)" in row  # first tries: member wrong, other right
    assert "3" in row and "(\u00d71)" in row  # the outsider's two wrong answers do not count
    assert row.rstrip().endswith("<td>2</td>")
