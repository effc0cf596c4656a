"""Writes for classes, memberships, groups, assignments, returned values and a deleted account's classes.

Every function is keyword-only and atomic. Problems a person can fix raise ApplicationError with a
translated message (``extra["status"]`` is the HTTP status the interface should answer).
Authorisation is checked here too (``_require_teacher``), not only by the views' selectors.
"""

from __future__ import annotations

import math
import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learningpaths.compiler import limits
from learningpaths.compiler.callback_schema import ValueRefused, validate_value
from learningpaths.core.exceptions import ApplicationError
from learningpaths.core.jsonvalues import value_problem
from learningpaths.learning.models import REVIEW_COMMENT_MAX, Submission
from learningpaths.paths.models import LearningObject, LearningPath

from .models import CODE_ALPHABET, CODE_LENGTH, NAME_MAX, Assignment, Classroom, Group, Membership

RETURN_VALUE_QID = "return_value"


# -- helpers ---------------------------------------------------------------------------------------


def _require_teacher(classroom: Classroom, actor) -> None:
    if not (actor.is_authenticated and classroom.teachers.filter(pk=actor.pk).exists()):
        raise ApplicationError(_("This class does not exist."), extra={"status": 404})


def _clean_name(name: str, what: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Give the %(what)s a name.") % {"what": what})
    if len(name) > NAME_MAX:
        raise ApplicationError(_("This name is too long (at most %(n)d characters).") % {"n": NAME_MAX})
    return name


def _new_code() -> str:
    for _attempt in range(50):
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if not Classroom.objects.filter(code=code).exists():
            return code
    raise ApplicationError(_("Could not make a new class code; try again."), extra={"status": 503})


def normalise_code(raw: str) -> str:
    """What a student typed → a code: spaces and dashes dropped, upper case. Raises if malformed."""
    code = "".join(ch for ch in str(raw or "") if ch not in " -\t").upper()
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        raise ApplicationError(
            _("A class code has %(n)d letters and digits (no 0, O, 1 or I), for example K7QM3X.") % {"n": CODE_LENGTH}
        )
    return code


# -- classes ---------------------------------------------------------------------------------------


@transaction.atomic
def classroom_create(*, teacher, name: str, approval_required: bool = False) -> Classroom:
    if not getattr(teacher, "is_teacher", False):
        raise ApplicationError(_("Only teachers can create classes."), extra={"status": 403})
    name = _clean_name(name, _("class"))
    for _attempt in range(3):  # the unique code decides: another class may take ours between check and insert
        try:
            with transaction.atomic():
                classroom = Classroom.objects.create(
                    name=name, code=_new_code(), approval_required=approval_required, created_by=teacher
                )
            break
        except IntegrityError:
            continue
    else:
        raise ApplicationError(_("Could not make a new class code; try again."), extra={"status": 503})
    classroom.teachers.add(teacher)
    return classroom


@transaction.atomic
def classroom_update(*, classroom: Classroom, actor, name: str, approval_required: bool) -> Classroom:
    _require_teacher(classroom, actor)
    classroom.name = _clean_name(name, _("class"))
    classroom.approval_required = approval_required
    classroom.save(update_fields=["name", "approval_required"])
    return classroom


@transaction.atomic
def classroom_delete(*, classroom: Classroom, actor) -> None:
    _require_teacher(classroom, actor)
    _classroom_delete(classroom)


def _classroom_delete(classroom: Classroom) -> None:
    """Memberships, groups and assignments cascade; students' answers stay theirs. The class accounts
    made for it go too, with their answers: without the class code nobody could sign in to them."""
    get_user_model().objects.filter(class_account__classroom=classroom).delete()
    classroom.delete()


@transaction.atomic
def classroom_code_regenerate(*, classroom: Classroom, actor) -> str:
    """A new code; the old one stops working at once (members stay members)."""
    _require_teacher(classroom, actor)
    classroom.code = _new_code()
    classroom.save(update_fields=["code"])
    return classroom.code


@transaction.atomic
def classroom_teacher_add(*, classroom: Classroom, actor, username: str):
    _require_teacher(classroom, actor)
    User = get_user_model()
    other = User.objects.filter(username=(username or "").strip()).first()
    if other is None or not other.is_teacher:
        raise ApplicationError(_("There is no teacher with this username."))
    if classroom.teachers.filter(pk=other.pk).exists():
        raise ApplicationError(_("%(name)s already teaches this class.") % {"name": other.username})
    classroom.teachers.add(other)
    Membership.objects.filter(classroom=classroom, user=other).delete()
    return other


@transaction.atomic
def classroom_teacher_remove(*, classroom: Classroom, actor, teacher_id: int) -> None:
    _require_teacher(classroom, actor)
    if not classroom.teachers.filter(pk=teacher_id).exists():
        raise ApplicationError(_("This person does not teach this class."), extra={"status": 404})
    if classroom.teachers.count() <= 1:
        raise ApplicationError(_("A class needs at least one teacher. Add another teacher first, or delete the class."))
    classroom.teachers.remove(teacher_id)


# -- memberships -----------------------------------------------------------------------------------


@transaction.atomic
def membership_join(*, user, code: str) -> Membership:
    """A student enters a code: member at once, or pending when the class wants approval."""
    code = normalise_code(code)
    if getattr(user, "is_teacher", False):
        raise ApplicationError(
            _("Teachers do not join classes with a code; ask the class's teacher to add you as a co-teacher.")
        )
    classroom = Classroom.objects.select_for_update().filter(code=code).first()
    if classroom is None:
        raise ApplicationError(_("No class has this code. Check it with your teacher."), extra={"status": 404})
    existing = Membership.objects.filter(classroom=classroom, user=user).first()
    if existing is not None:
        if existing.status == Membership.Status.PENDING:
            raise ApplicationError(
                _("You already asked to join %(name)s; your teacher has not accepted yet.") % {"name": classroom.name}
            )
        raise ApplicationError(_("You are already in %(name)s.") % {"name": classroom.name})
    status = Membership.Status.PENDING if classroom.approval_required else Membership.Status.ACTIVE
    try:
        with transaction.atomic():  # the classroom row lock serialises joins; the unique constraint decides
            return Membership.objects.create(classroom=classroom, user=user, status=status)
    except IntegrityError:
        raise ApplicationError(_("You are already in %(name)s.") % {"name": classroom.name}) from None


def _membership(classroom: Classroom, student_id: int) -> Membership:
    membership = Membership.objects.filter(classroom=classroom, user_id=student_id).first()
    if membership is None:
        raise ApplicationError(_("This student is not in this class."), extra={"status": 404})
    return membership


@transaction.atomic
def membership_approve(*, classroom: Classroom, actor, student_id: int) -> Membership:
    _require_teacher(classroom, actor)
    membership = _membership(classroom, student_id)
    membership.status = Membership.Status.ACTIVE
    membership.save(update_fields=["status"])
    return membership


@transaction.atomic
def membership_remove(*, classroom: Classroom, actor, student_id: int) -> None:
    """Remove a student (or turn down a request). Their answers stay theirs; they leave the groups."""
    _require_teacher(classroom, actor)
    _membership(classroom, student_id).delete()
    for group in classroom.groups.all():
        group.members.remove(student_id)


@transaction.atomic
def membership_leave(*, classroom: Classroom, user) -> None:
    membership = Membership.objects.filter(classroom=classroom, user=user).first()
    if membership is None:
        raise ApplicationError(_("You are not in this class."), extra={"status": 404})
    membership.delete()
    for group in classroom.groups.all():
        group.members.remove(user)


# -- groups ----------------------------------------------------------------------------------------


def _members_only(classroom: Classroom, member_ids) -> list[int]:
    ids = {int(i) for i in member_ids}
    active = set(
        classroom.memberships.filter(status=Membership.Status.ACTIVE, user_id__in=ids).values_list("user_id", flat=True)
    )
    if ids - active:
        raise ApplicationError(_("Only students of this class can be in its groups."))
    return sorted(ids)


@transaction.atomic
def group_create(*, classroom: Classroom, actor, name: str, member_ids=()) -> Group:
    _require_teacher(classroom, actor)
    name = _clean_name(name, _("group"))
    try:
        with transaction.atomic():  # the unique (classroom, name) decides, also when two create at once
            group = Group.objects.create(classroom=classroom, name=name)
    except IntegrityError:
        raise ApplicationError(_("This class already has a group called %(name)s.") % {"name": name}) from None
    group.members.set(_members_only(classroom, member_ids))
    return group


@transaction.atomic
def group_update(*, group: Group, actor, name: str, member_ids=()) -> Group:
    _require_teacher(group.classroom, actor)
    name = _clean_name(name, _("group"))
    group.name = name
    try:
        with transaction.atomic():  # as in group_create
            group.save(update_fields=["name"])
    except IntegrityError:
        raise ApplicationError(_("This class already has a group called %(name)s.") % {"name": name}) from None
    group.members.set(_members_only(group.classroom, member_ids))
    return group


@transaction.atomic
def group_delete(*, group: Group, actor) -> None:
    _require_teacher(group.classroom, actor)
    group.delete()


# -- assignments -----------------------------------------------------------------------------------


def _assignment_fields(classroom: Classroom, path_hruid: str, path_language: str, groups, deadline) -> tuple[str, list]:
    problem = Assignment.deadline_problem(deadline)
    if problem:
        raise ApplicationError(problem)
    path = LearningPath.objects.filter(hruid=path_hruid, language=path_language).first()
    if path is None:
        raise ApplicationError(_("This learning path does not exist."))
    groups = list(groups or [])
    if any(g.classroom_id != classroom.pk for g in groups):
        raise ApplicationError(_("Choose groups of this class."))
    return path.title, groups


@transaction.atomic
def assignment_create(
    *, classroom: Classroom, actor, path_hruid: str, path_language: str, deadline=None, groups=()
) -> Assignment:
    """Assign a path to the whole class (no groups) or to some groups of it."""
    _require_teacher(classroom, actor)
    title, groups = _assignment_fields(classroom, path_hruid, path_language, groups, deadline)
    assignment = Assignment.objects.create(
        classroom=classroom,
        path_hruid=path_hruid,
        path_language=path_language,
        title=title,
        deadline=deadline,
        created_by=actor,
    )
    assignment.groups.set(groups)
    return assignment


@transaction.atomic
def assignment_update(
    *, assignment: Assignment, actor, path_hruid: str, path_language: str, deadline=None, groups=()
) -> Assignment:
    _require_teacher(assignment.classroom, actor)
    title, groups = _assignment_fields(assignment.classroom, path_hruid, path_language, groups, deadline)
    assignment.path_hruid, assignment.path_language = path_hruid, path_language
    assignment.title, assignment.deadline = title, deadline
    assignment.save()
    assignment.groups.set(groups)
    return assignment


@transaction.atomic
def assignment_delete(*, assignment: Assignment, actor) -> None:
    _require_teacher(assignment.classroom, actor)
    assignment.delete()


# -- returned values -------------------------------------------------------------------------------


def return_schema(obj: LearningObject) -> dict | None:
    rv = obj.return_value
    schema = rv.get("callback_schema") if isinstance(rv, dict) else None
    return schema if isinstance(schema, dict) else None


@transaction.atomic
def return_value_create(*, user, obj: LearningObject, value) -> Submission:
    """Store what a runnable cell returned (validated against the object's callback_schema)."""
    schema = return_schema(obj)
    if schema is None:
        raise ApplicationError(_("This learning object does not accept returned values."), extra={"status": 404})
    try:
        validate_value(value, schema)  # depth and size first, then jsonschema (no remote $ref is fetched)
    except ValueRefused as exc:  # the student sees the first (most relevant) error only
        raise ApplicationError(
            _("The returned value does not fit this learning object: %(why)s") % {"why": exc.errors[0]},
            extra={"errors": exc.errors},
        ) from None
    problem = value_problem(value)  # what fits a schema but no database stores: NaN, lone surrogates, NUL
    if problem:
        raise ApplicationError(_("The returned value cannot be stored: it has %(why)s.") % {"why": problem})
    return Submission.objects.create(
        user=user,
        object_hruid=obj.hruid,
        object_language=obj.language,
        object_version=obj.version,
        question_id=RETURN_VALUE_QID,
        answer=value,
        correct=None,
        score=None,
    )


# -- a student's password --------------------------------------------------------------------------

TEMP_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or off a board
TEMP_PASSWORD_LENGTH = 10


@transaction.atomic
def student_password_reset(*, classroom: Classroom, actor, student_id: int) -> str:
    """A new one-time password for an active member of ``actor``'s class (students often have no
    e-mail), returned once for the teacher to hand over; the old one stops working. Teachers' own
    accounts are not reset this way (a co-teacher is not a student)."""
    _require_teacher(classroom, actor)
    membership = _membership(classroom, student_id)
    user = membership.user
    if (
        membership.status != Membership.Status.ACTIVE
        or classroom.teachers.filter(pk=user.pk).exists()
        or (getattr(user, "is_teacher", False) or user.is_staff)
    ):
        raise ApplicationError(_("This student is not in this class."), extra={"status": 404})
    password = "".join(secrets.choice(TEMP_PASSWORD_ALPHABET) for _i in range(TEMP_PASSWORD_LENGTH))
    user.set_password(password)
    user.save(update_fields=["password"])
    return password


# -- reviews of answers ---------------------------------------------------------------------------


def review_score_parse(raw) -> float | None:
    """A teacher's score → 0..1, or None for none. "50 %" and "50" mean a percentage, "0.5" or "0,5"
    (at most 1) a fraction: a score of 1 is full marks either way."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    text = str(raw).strip().replace(",", ".")
    percent = text.endswith("%")
    try:
        value = float(text.rstrip("%").strip()) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError, OverflowError):
        value = float("nan")
    if isinstance(raw, bool) or not math.isfinite(value) or value < 0 or value > 100 or (percent and value > 100):
        raise ApplicationError(_("Give a score from 0 to 100 %, or from 0 to 1."))
    return value / 100 if percent or value > 1 else value


def _review_assignment(*, teacher, submission: Submission) -> Assignment | None:
    """An assignment of a class ``teacher`` teaches and the student is an active member of, for a path
    that holds the answered object (and, if it is for groups, for one of the student's groups)."""
    if not (getattr(teacher, "is_authenticated", False) and submission.user_id):
        return None
    assignments = Assignment.objects.filter(
        classroom__teachers=teacher,
        classroom__memberships__user_id=submission.user_id,
        classroom__memberships__status=Membership.Status.ACTIVE,
    ).prefetch_related("groups")
    for assignment in assignments:
        groups = list(assignment.groups.all())
        if groups and not any(g.members.filter(pk=submission.user_id).exists() for g in groups):
            continue
        # The assigned path or one of its language variants (the same hruid), as the dashboard counts.
        if LearningPath.objects.filter(
            hruid=assignment.path_hruid,
            nodes__object__hruid=submission.object_hruid,
            nodes__object__language=submission.object_language,
        ).exists():
            return assignment
    return None


@transaction.atomic
def submission_review(*, teacher, submission: Submission, score, comment: str) -> Submission:
    """Score and comment one answer (an open answer, mostly). Only a teacher of a class the student is
    in, for an assignment whose path holds the question; anyone else gets a 404 that names nothing.
    ``score``: see ``review_score_parse``; ``comment``: at most ``REVIEW_COMMENT_MAX`` characters."""
    if submission.question_id == RETURN_VALUE_QID or _review_assignment(teacher=teacher, submission=submission) is None:
        raise ApplicationError(_("This answer does not exist."), extra={"status": 404})
    value = review_score_parse(score)
    text = "" if comment is None else str(comment)
    if len(text) > REVIEW_COMMENT_MAX:
        raise ApplicationError(_("This comment is too long (at most %(n)d characters).") % {"n": REVIEW_COMMENT_MAX})
    if limits.UNSTORABLE_CHAR.search(text):
        raise ApplicationError(_("The comment holds a character that cannot be stored (NUL or a lone surrogate)."))
    text = text.replace("\r\n", "\n").strip()
    if value is None and not text:
        raise ApplicationError(_("Give a score or a comment."))
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    locked.review_score = value
    locked.review_comment = text
    locked.reviewed_at = timezone.now()
    locked.reviewed_by = teacher
    locked.save(update_fields=["review_score", "review_comment", "reviewed_at", "reviewed_by"])
    return locked


# -- accounts (GDPR) -------------------------------------------------------------------------------


@transaction.atomic
def account_classes_delete(*, user) -> dict:
    """The classes only ``user`` teaches (part of deleting their account, see ``accounts.exports``);
    classes shared with co-teachers stay."""
    sole = [c for c in Classroom.objects.filter(teachers=user) if c.teachers.count() == 1]
    for classroom in sole:
        _classroom_delete(classroom)
    return {"classes_deleted": len(sole)}
