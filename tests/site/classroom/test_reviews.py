"""A teacher scores and comments an answer; only a teacher of the student's class may; the student
reads it on their home page (``classroom.services.submission_review``, ``learning.selectors.review_of``)."""

from __future__ import annotations

import pytest

from learningpaths.classroom import services
from learningpaths.core.exceptions import ApplicationError
from learningpaths.learning.models import REVIEW_COMMENT_MAX, Submission
from learningpaths.learning.selectors import review_of

pytestmark = pytest.mark.django_db


def essay_answer(user, hruid="quiz", text="I think\nit is 4"):
    return Submission.objects.create(
        user=user,
        object_hruid=hruid,
        object_language="en",
        object_version=1,
        question_id="q1",
        answer=text,
        correct=None,
        score=None,
    )


def review_url(assignment, sub):
    return f"/classes/{assignment.classroom_id}/assignments/{assignment.pk}/students/{sub.user_id}/answers/{sub.pk}/review/"


def test_teacher_reviews_and_the_student_reads_it(teacher, member, assignment):
    sub = essay_answer(member)
    assert review_of(sub) is None
    services.submission_review(teacher=teacher, submission=sub, score="80 %", comment="  Good <b>reasoning</b>  ")
    sub.refresh_from_db()
    review = review_of(sub)
    assert review["comment"] == "Good <b>reasoning</b>" and review["score"] == pytest.approx(0.8)
    assert review["reviewed_at"] and sub.reviewed_by == teacher


@pytest.mark.parametrize(
    ("raw", "score"), [("0,5", 0.5), ("1", 1.0), ("50", 0.5), ("100%", 1.0), ("", None), (0.25, 0.25)]
)
def test_score_forms(raw, score):
    assert services.review_score_parse(raw) == (pytest.approx(score) if score is not None else None)


@pytest.mark.parametrize("raw", ["-1", "101", "150 %", "abc", "nan", "inf", "1e999", True])
def test_bad_scores_are_refused(teacher, member, assignment, raw):
    sub = essay_answer(member)
    with pytest.raises(ApplicationError) as err:
        services.submission_review(teacher=teacher, submission=sub, score=raw, comment="x")
    assert err.value.extra.get("status", 400) == 400
    sub.refresh_from_db()
    assert sub.reviewed_at is None


@pytest.mark.parametrize("comment", ["x" * (REVIEW_COMMENT_MAX + 1), "a\x00b", "lone \ud800", "   "])
def test_bad_comments_are_refused(teacher, member, assignment, comment):
    sub = essay_answer(member)
    with pytest.raises(ApplicationError):
        services.submission_review(teacher=teacher, submission=sub, score="", comment=comment)
    sub.refresh_from_db()
    assert sub.reviewed_at is None and sub.review_comment == ""


def test_a_teacher_of_another_class_cannot_review(other_teacher, teacher, member, assignment):
    sub = essay_answer(member)
    mine = services.classroom_create(teacher=other_teacher, name="other class")
    services.assignment_create(classroom=mine, actor=other_teacher, path_hruid="quizpath", path_language="en")
    with pytest.raises(ApplicationError) as err:  # their class has the path, but not this student
        services.submission_review(teacher=other_teacher, submission=sub, score="1", comment="x")
    assert err.value.extra["status"] == 404


def test_only_for_an_assigned_paths_object(teacher, member, assignment):
    sub = essay_answer(member, hruid="elsewhere")
    with pytest.raises(ApplicationError) as err:
        services.submission_review(teacher=teacher, submission=sub, score="1", comment="x")
    assert err.value.extra["status"] == 404


def test_review_form_and_home_page(client, teacher, member, assignment, other_teacher):
    sub = essay_answer(member, text="<script>alert(1)</script>\nsecond line")
    client.force_login(teacher)
    page = client.get(f"/classes/{assignment.classroom_id}/assignments/{assignment.pk}/students/{member.pk}/")
    text = page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>second line" in text and 'name="comment"' in text
    bad = client.post(review_url(assignment, sub), {"score": "200", "comment": "x"})
    assert bad.status_code == 400 and "from 0 to 100" in bad.content.decode()
    ok = client.post(review_url(assignment, sub), {"score": "75", "comment": "Well argued.\nAdd a source."})
    assert ok.status_code == 302
    client.force_login(other_teacher)
    assert client.post(review_url(assignment, sub), {"score": "0", "comment": "no"}).status_code == 404
    client.force_login(member)
    assert client.post(review_url(assignment, sub), {"score": "100", "comment": "me"}).status_code == 404
    home = client.get("/classes/").content.decode()
    assert "Feedback from your teacher" in home and "Well argued.<br>Add a source." in home and "75 %" in home
    assert "/paths/quizpath/en/quiz/" in home.split("Feedback from your teacher")[1]
    sub.refresh_from_db()
    assert sub.review_comment == "Well argued.\nAdd a source." and sub.review_score == pytest.approx(0.75)
