"""Every reader of stored answers and returned values answers 200 with sane content, whatever a
writer stored. The values are written DIRECTLY into the database (``Submission.objects.create``),
past the services' and the request layer's checks, so the readers are tested on their own."""

from __future__ import annotations

import csv
import html
import io
import json

import pytest
from django.db import connection

from learningpaths.classroom.services import RETURN_VALUE_QID
from learningpaths.learning.models import Submission

pytestmark = pytest.mark.django_db


RAW_DEEP = "[" * 999 + "]" * 999


def deep(n: int):
    value: object = "bottom"
    for _ in range(n):
        value = [value]
    return value


HOSTILE = {
    "deep list": deep(900),
    "deep dict": {"a": deep(300)},
    "lone surrogate": "answer \ud800 here",
    "surrogate key": {"\udfff": 1},
    "nul": "a\x00b",
    "huge string": "x" * 200_000,
    "huge int": 10**4000,  # str() and json.dumps work up to 4300 digits, so both databases take it
    "long list": list(range(50_000)),
    # JSON text that Python cannot read back at all (SQLite's own JSON functions stop at 1000 levels);
    # written with SQL, since json.dumps cannot write it either.
    "unreadable": RAW_DEEP,
}
# NaN and Infinity are not here: neither database stores them (not JSON); the writers' tests refuse them.


def store(user, question_id, value):
    if value is RAW_DEEP:
        row = store(user, question_id, 0)
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(Submission._meta.db_table)
            cast = "::jsonb" if connection.vendor == "postgresql" else ""
            cursor.execute(f"UPDATE {table} SET answer = %s{cast} WHERE id = %s", [value, row.pk])
        return row
    return Submission.objects.create(
        user=user,
        object_hruid="quiz" if question_id == "q1" else "train",
        object_language="en",
        object_version=1,
        question_id=question_id,
        answer=value,
        correct=None,
        score=None,
    )


@pytest.fixture(params=list(HOSTILE), ids=list(HOSTILE))
def hostile(request, member, assignment):
    """The name of the value, after storing it as member's answer to q1 and as a returned value."""
    if connection.vendor == "postgresql" and request.param in ("lone surrogate", "surrogate key", "nul"):
        pytest.skip("PostgreSQL's jsonb cannot hold a lone surrogate or \\u0000 at all: the write itself fails")
    store(member, "q1", HOSTILE[request.param])
    store(member, RETURN_VALUE_QID, HOSTILE[request.param])
    return request.param


def replaced(name: str) -> bool:
    """Whether the value holds characters every reader shows as U+FFFD."""
    return name in ("lone surrogate", "surrogate key", "nul")


def test_dashboard(client, teacher, member, assignment, hostile):
    client.force_login(teacher)
    response = client.get(f"/classes/{assignment.classroom_id}/assignments/{assignment.pk}/")
    assert response.status_code == 200
    page = response.content.decode("utf-8")
    # The returned value (after its icon), at most 24 characters.
    cell = html.unescape(page.split('class="returned"')[1].split("</svg>")[1].split("</span>")[0])
    assert 0 < len(cell) <= 24
    assert ("\ufffd" in cell) is replaced(hostile)


def test_csv(client, teacher, member, assignment, hostile):
    client.force_login(teacher)
    response = client.get(f"/classes/{assignment.classroom_id}/assignments/{assignment.pk}/export.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == member.username
    quiz = rows[1][rows[0].index("2. Quiz")]
    train = rows[1][rows[0].index("3. Train a model")]
    assert quiz == "answered" and train.startswith("returned ") and len(train) <= 220
    assert ("\ufffd" in train) is replaced(hostile)


def test_student_answers(client, teacher, member, assignment, hostile):
    client.force_login(teacher)
    response = client.get(f"/classes/{assignment.classroom_id}/assignments/{assignment.pk}/students/{member.pk}/")
    assert response.status_code == 200
    page = response.content.decode("utf-8")
    assert len(page) < 40_000  # the 200 000-character answer is cut at 5000 (twice: answer and returned value)
    assert ("\ufffd" in page) is replaced(hostile)
    assert "Returned value" in page and "No answer yet." not in page.split("2+2?")[1].split("</dl>")[0]


def test_my_data(client, member, assignment, hostile):
    client.force_login(member)
    response = client.get("/classes/me/data.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert [s["question"] for s in data["submissions"]] == ["q1", RETURN_VALUE_QID]
    answer = data["submissions"][0]["answer"]
    if hostile == "huge string":
        assert answer == HOSTILE[hostile]  # the person's own data is not cut
    if replaced(hostile):
        assert "\ufffd" in json.dumps(answer, ensure_ascii=False)
