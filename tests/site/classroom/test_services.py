"""Services: classes, codes, joining, approval, co-teachers, groups, assignments."""

import pytest

from learningpaths.classroom import services
from learningpaths.classroom.models import CODE_ALPHABET, Classroom, Membership
from learningpaths.core.exceptions import ApplicationError
from learningpaths.learning.models import Submission
from learningpaths.paths.models import LearningObject

pytestmark = pytest.mark.django_db


def test_codes_are_short_unambiguous_and_unique(teacher):
    codes = {services.classroom_create(teacher=teacher, name=f"C{i}").code for i in range(60)}
    assert len(codes) == 60
    for code in codes:
        assert len(code) == 6 and set(code) <= set(CODE_ALPHABET)
        assert not set(code) & set("0O1I")


def test_only_teachers_create_classes(student):
    with pytest.raises(ApplicationError) as exc:
        services.classroom_create(teacher=student, name="Nope")
    assert exc.value.extra["status"] == 403


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_class_names_must_be_sensible(teacher, name):
    with pytest.raises(ApplicationError):
        services.classroom_create(teacher=teacher, name=name)
    assert Classroom.objects.count() == 0


def test_join_automatically_with_a_forgiving_code(classroom, student):
    typed = f" {classroom.code[:3].lower()}-{classroom.code[3:]} "
    membership = services.membership_join(user=student, code=typed)
    assert membership.status == Membership.Status.ACTIVE
    with pytest.raises(ApplicationError, match="already in 3B science"):
        services.membership_join(user=student, code=classroom.code)


@pytest.mark.parametrize("code", ["", "ABC", "ABCDEFG", "ABCDE0", "ABCDEI", "ÄBCDEF", "AB CD"])
def test_malformed_codes_are_refused_with_a_message(classroom, student, code):
    with pytest.raises(ApplicationError, match="A class code has 6 letters"):
        services.membership_join(user=student, code=code)


def test_unknown_code_and_teachers_cannot_join(classroom, student, other_teacher):
    code = next(c * 6 for c in CODE_ALPHABET if c * 6 != classroom.code)
    with pytest.raises(ApplicationError, match="No class has this code") as exc:
        services.membership_join(user=student, code=code)
    assert exc.value.extra["status"] == 404
    with pytest.raises(ApplicationError, match="co-teacher"):
        services.membership_join(user=other_teacher, code=classroom.code)


def test_approval_flow(classroom, teacher, student, other_teacher):
    services.classroom_update(classroom=classroom, actor=teacher, name="3B", approval_required=True)
    membership = services.membership_join(user=student, code=classroom.code)
    assert membership.status == Membership.Status.PENDING
    with pytest.raises(ApplicationError, match="not accepted yet"):
        services.membership_join(user=student, code=classroom.code)
    with pytest.raises(ApplicationError):  # not their class
        services.membership_approve(classroom=classroom, actor=other_teacher, student_id=student.pk)
    services.membership_approve(classroom=classroom, actor=teacher, student_id=student.pk)
    assert Membership.objects.get().status == Membership.Status.ACTIVE


def test_regenerated_code_replaces_the_old_one(classroom, teacher, student):
    old = classroom.code
    new = services.classroom_code_regenerate(classroom=classroom, actor=teacher)
    assert new != old
    with pytest.raises(ApplicationError, match="No class has this code"):
        services.membership_join(user=student, code=old)
    services.membership_join(user=student, code=new)


def test_remove_student_also_removes_them_from_groups(classroom, teacher, member):
    group = services.group_create(classroom=classroom, actor=teacher, name="Team A", member_ids=[member.pk])
    services.membership_remove(classroom=classroom, actor=teacher, student_id=member.pk)
    assert not Membership.objects.exists() and not group.members.exists()
    with pytest.raises(ApplicationError) as exc:
        services.membership_remove(classroom=classroom, actor=teacher, student_id=member.pk)
    assert exc.value.extra["status"] == 404


def test_co_teachers(classroom, teacher, other_teacher, student):
    services.classroom_teacher_add(classroom=classroom, actor=teacher, username="other")
    assert set(classroom.teachers.all()) == {teacher, other_teacher}
    with pytest.raises(ApplicationError, match="already teaches"):
        services.classroom_teacher_add(classroom=classroom, actor=teacher, username="other")
    with pytest.raises(ApplicationError, match="no teacher with this username"):
        services.classroom_teacher_add(classroom=classroom, actor=teacher, username=student.username)
    services.classroom_teacher_remove(classroom=classroom, actor=other_teacher, teacher_id=teacher.pk)
    with pytest.raises(ApplicationError, match="at least one teacher"):
        services.classroom_teacher_remove(classroom=classroom, actor=other_teacher, teacher_id=other_teacher.pk)
    with pytest.raises(ApplicationError):  # no longer a teacher of the class
        services.classroom_code_regenerate(classroom=classroom, actor=teacher)


def test_groups_only_hold_class_members(classroom, teacher, member, django_user_model):
    outsider = django_user_model.objects.create_user("outsider", password="x")
    with pytest.raises(ApplicationError, match="Only students of this class"):
        services.group_create(classroom=classroom, actor=teacher, name="G", member_ids=[outsider.pk])
    group = services.group_create(classroom=classroom, actor=teacher, name="G", member_ids=[member.pk])
    with pytest.raises(ApplicationError, match="already has a group"):
        services.group_create(classroom=classroom, actor=teacher, name="G")
    services.group_update(group=group, actor=teacher, name="G2", member_ids=[])
    assert group.name == "G2" and not group.members.exists()


def test_assignment_refers_to_the_path_by_identity_and_survives_rebuilds(classroom, teacher, quiz_site):
    from learningpaths.paths.models import LearningPath
    from learningpaths.paths.services import content_sync
    from tests.conftest import compile_result

    a = services.assignment_create(classroom=classroom, actor=teacher, path_hruid="quizpath", path_language="en")
    assert (a.path_hruid, a.path_language, a.title) == ("quizpath", "en", "Quiz path")
    content_sync(result=compile_result([], []))  # the path disappears
    assert not LearningPath.objects.exists()
    a.refresh_from_db()
    with pytest.raises(ApplicationError, match="does not exist"):
        services.assignment_create(classroom=classroom, actor=teacher, path_hruid="quizpath", path_language="en")


def test_assignment_groups_must_belong_to_the_class(classroom, teacher, quiz_site):
    other = services.classroom_create(teacher=teacher, name="Other")
    foreign = services.group_create(classroom=other, actor=teacher, name="X")
    with pytest.raises(ApplicationError, match="groups of this class"):
        services.assignment_create(
            classroom=classroom, actor=teacher, path_hruid="quizpath", path_language="en", groups=[foreign]
        )


@pytest.mark.parametrize(
    ("value", "message"),
    [  # the schema's "number" lets NaN and Infinity through; neither database stores them (not JSON)
        ({"accuracy": float("nan")}, "The returned value cannot be stored: it has a number that is not finite."),
        ({"accuracy": float("-inf")}, "The returned value does not fit this learning object"),  # under the minimum
        # this schema's enum refuses these first; value_problem is the guarantee for schemas that take any text
        ({"accuracy": 0.5, "model": "mlp\ud800"}, "The returned value does not fit this learning object"),
    ],
)
def test_returned_values_no_database_can_store_are_refused(quiz_site, student, value, message):
    obj = LearningObject.objects.get(hruid="train")
    with pytest.raises(ApplicationError) as caught:
        services.return_value_create(user=student, obj=obj, value=value)
    assert caught.value.message.startswith(message)
    assert not Submission.objects.exists()
