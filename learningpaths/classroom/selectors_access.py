"""Reads that decide who may see which class, group and assignment, and whom an assignment is for.

A teacher sees only classes they teach, a student only their own memberships. Anything else is
Http404, never 403, so ids leak nothing.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _

from learningpaths.learning.models import Submission
from learningpaths.paths.models import LearningPath

from .models import Assignment, ClassAccount, Classroom, Group, Membership


def classrooms_for_teacher(*, user) -> list[Classroom]:
    if not user.is_authenticated:
        return []
    return list(
        Classroom.objects.filter(teachers=user).annotate(
            n_students=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE), distinct=True),
            n_pending=Count("memberships", filter=Q(memberships__status=Membership.Status.PENDING), distinct=True),
            n_assignments=Count("assignments", distinct=True),
        )
    )


def classroom_for_teacher(*, user, class_id: int) -> Classroom:
    """The class, when ``user`` teaches it; otherwise 404 (also for ids that do not exist)."""
    if not user.is_authenticated:
        raise Http404("No such class.")
    classroom = Classroom.objects.filter(pk=class_id, teachers=user).first()
    if classroom is None:
        raise Http404("No such class.")
    return classroom


def classroom_for_member(*, user, class_id: int) -> Classroom:
    classroom = Classroom.objects.filter(pk=class_id, memberships__user=user).first() if user.is_authenticated else None
    if classroom is None:
        raise Http404("No such class.")
    return classroom


def group_for_teacher(*, classroom: Classroom, group_id: int) -> Group:
    group = classroom.groups.filter(pk=group_id).first()
    if group is None:
        raise Http404("No such group.")
    return group


def assignment_for_teacher(*, user, class_id: int, assignment_id: int) -> Assignment:
    classroom = classroom_for_teacher(user=user, class_id=class_id)
    assignment = classroom.assignments.filter(pk=assignment_id).first()
    if assignment is None:
        raise Http404("No such assignment.")
    return assignment


def active_students(*, classroom: Classroom) -> list:
    return [m.user for m in classroom.memberships.filter(status=Membership.Status.ACTIVE).select_related("user")]


def assignment_students(*, assignment: Assignment) -> list:
    """Active members the assignment is for: the whole class, or the members of its groups."""
    students = active_students(classroom=assignment.classroom)
    groups = list(assignment.groups.all())
    if groups:
        ids = set(Group.members.through.objects.filter(group__in=groups).values_list("user_id", flat=True))
        students = [s for s in students if s.pk in ids]
    return students


def student_submission(*, assignment: Assignment, student_id: int, submission_id: int) -> Submission:
    """One answer of a student the assignment is for; 404 otherwise (the service checks again)."""
    if not any(s.pk == student_id for s in assignment_students(assignment=assignment)):
        raise Http404("No such answer.")
    submission = Submission.objects.filter(pk=submission_id, user_id=student_id).first()
    if submission is None:
        raise Http404("No such answer.")
    return submission


def member_name(*, classroom: Classroom, user_id: int) -> str:
    membership = classroom.memberships.filter(user_id=user_id).select_related("user").first()
    return membership.user.username if membership else ""


def path_choices(*, user) -> list[LearningPath]:
    return list(LearningPath.objects.visible_to(user).order_by("title", "language", "hruid"))


def student_memberships(*, user) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user=user)
        .select_related("classroom")
        .prefetch_related("classroom__teachers")
        .order_by("classroom__name")
    )


def sole_taught_warnings(*, user) -> list[str]:
    """For the account deletion page: the classes only ``user`` teaches go with the account."""
    sole = [c.name for c in classrooms_for_teacher(user=user) if c.teachers.count() == 1]
    if not sole:
        return []
    return [_("You are the only teacher of these classes; they will be deleted too:") + " " + ", ".join(sole)]


def class_account_user_ids(*, classroom) -> set[int]:
    return set(classroom.class_accounts.values_list("user_id", flat=True))


def class_account_for_sign_in(*, code: str, name: str):
    """The class account with this class code and name (as sign-in compares names), or None."""
    code = (code or "").strip().upper()
    return (
        ClassAccount.objects.select_related("user", "classroom")
        .filter(classroom__code=code, name_key=ClassAccount.key_of(name or ""))
        .first()
    )


def class_account_for_token(*, token: str):
    """The class account whose card's unused QR code holds ``token``, or None (nothing is changed)."""
    if not token:
        return None
    return ClassAccount.objects.select_related("classroom").filter(qr_token_hash=ClassAccount.token_hash(token)).first()
