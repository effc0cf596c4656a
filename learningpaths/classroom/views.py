"""Thin views: parse the request, call a selector or a service, render. Problems are 4xx with a message."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from learningpaths.compiler.callback_schema import MAX_VALUE_DEPTH, MAX_VALUE_NODES
from learningpaths.core.bodies import BodyRefused, json_body
from learningpaths.core.errors import json_error, json_methods
from learningpaths.core.exceptions import ApplicationError
from learningpaths.learning.models import REVIEW_COMMENT_MAX
from learningpaths.paths import selectors as content

from . import selectors_access, selectors_dashboard, selectors_exports, selectors_home, services
from .forms import AssignmentForm, ClassAccountsForm, ClassroomForm, GroupForm, JoinForm, TeacherAddForm

MAX_BODY = 32 * 1024


def _status(exc: ApplicationError) -> int:
    return exc.extra.get("status", 400)


# -- home ------------------------------------------------------------------------------------------


def _home(request, *, status=200, create_form=None, join_form=None):
    user = request.user
    if user.is_teacher:
        return render(
            request,
            "classroom/teacher_home.html",
            {
                "classrooms": selectors_access.classrooms_for_teacher(user=user),
                "form": create_form or ClassroomForm(),
            },
            status=status,
        )
    home = selectors_home.student_home(user=user)
    return render(
        request,
        "classroom/student_home.html",
        {
            "memberships": selectors_access.student_memberships(user=user),
            "home": home,
            "assignments": home.assignments,
            "reviews": home.reviews,
            "form": join_form or JoinForm(),
        },
        status=status,
    )


@login_required
@require_safe
def home(request):
    return _home(request)


@login_required
@require_POST
def classroom_create(request):
    form = ClassroomForm(request.POST)
    if not request.user.is_teacher:
        raise Http404("Only teachers create classes.")
    if form.is_valid():
        try:
            classroom = services.classroom_create(teacher=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Class created. Give your students the code %(code)s.") % {"code": classroom.code}
            )
            return redirect("classroom:detail", classroom.pk)
    return _home(request, status=400, create_form=form)


@login_required
@require_POST
def join(request):
    form = JoinForm(request.POST)
    if form.is_valid():
        try:
            membership = services.membership_join(user=request.user, code=form.cleaned_data["code"])
        except ApplicationError as exc:
            form.add_error("code", exc.message)
        else:
            if membership.status == membership.Status.PENDING:
                messages.success(
                    request,
                    _("You asked to join %(name)s. Your teacher will accept you soon.")
                    % {"name": membership.classroom.name},
                )
            else:
                messages.success(request, _("You joined %(name)s.") % {"name": membership.classroom.name})
            return redirect("classroom:home")
    if request.user.is_teacher:
        messages.error(request, form.errors.get("code", [_("This code is not valid.")])[0])
        return _home(request, status=400)
    return _home(request, status=400, join_form=form)


@login_required
@require_POST
def leave(request, class_id: int):
    classroom = selectors_access.classroom_for_member(user=request.user, class_id=class_id)
    services.membership_leave(classroom=classroom, user=request.user)
    messages.success(request, _("You left %(name)s.") % {"name": classroom.name})
    return redirect("classroom:home")


# -- one class (teachers) --------------------------------------------------------------------------


def _class_page(
    request,
    classroom,
    *,
    status=200,
    settings_form=None,
    teacher_form=None,
    group_form=None,
    accounts_form=None,
    accounts_error="",
):
    overview = selectors_dashboard.classroom_overview(classroom=classroom)
    students = [m.user for m in overview.members]
    return render(
        request,
        "classroom/classroom_detail.html",
        {
            "classroom": classroom,
            "overview": overview,
            "settings_form": settings_form
            or ClassroomForm(initial={"name": classroom.name, "approval_required": classroom.approval_required}),
            "teacher_form": teacher_form or TeacherAddForm(),
            "group_form": group_form or GroupForm(students=students, auto_id="id_group_%s"),
            "accounts_form": accounts_form or ClassAccountsForm(auto_id="id_accounts_%s"),
            "accounts_error": accounts_error,
            "card_ids": selectors_access.class_account_user_ids(classroom=classroom),
        },
        status=status,
    )


def _failed(request, classroom, exc: ApplicationError, **forms):
    if _status(exc) == 404:
        raise Http404(exc.message)
    messages.error(request, exc.message)
    return _class_page(request, classroom, status=_status(exc), **forms)


@login_required
@require_safe
def classroom_detail(request, class_id: int):
    classroom = selectors_access.classroom_for_teacher(user=request.user, class_id=class_id)
    return _class_page(request, classroom)


@login_required
@require_POST
def classroom_update(request, class_id: int):
    classroom = selectors_access.classroom_for_teacher(user=request.user, class_id=class_id)
    form = ClassroomForm(request.POST)
    if not form.is_valid():
        return _class_page(request, classroom, status=400, settings_form=form)
    try:
        services.classroom_update(classroom=classroom, actor=request.user, **form.cleaned_data)
    except ApplicationError as exc:
        return _failed(request, classroom, exc, settings_form=form)
    messages.success(request, _("Saved."))
    return redirect("classroom:detail", classroom.pk)


@login_required
@require_POST
def classroom_code(request, class_id: int):
    classroom = selectors_access.classroom_for_teacher(user=request.user, class_id=class_id)
    try:
        code = services.classroom_code_regenerate(classroom=classroom, actor=request.user)
    except ApplicationError as exc:
        return _failed(request, classroom, exc)
    messages.success(request, _("New code: %(code)s. The old code no longer works.") % {"code": code})
    return redirect("classroom:detail", classroom.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def classroom_delete(request, class_id: int):
    classroom = selectors_access.classroom_for_teacher(user=request.user, class_id=class_id)
    if request.method == "POST":
        services.classroom_delete(classroom=classroom, actor=request.user)
        messages.success(request, _("Class %(name)s deleted.") % {"name": classroom.name})
        return redirect("classroom:home")
    cards = len(selectors_access.class_account_user_ids(classroom=classroom))
    return render(request, "classroom/classroom_delete.html", {"classroom": classroom, "class_accounts": cards})


@login_required
@require_POST
def member_approve(request, class_id: int, user_id: int):
    classroom = selectors_access.classroom_for_teacher(user=request.user, class_id=class_id)
    try:
        membership = services.membership_approve(classroom=classroom, actor=request.user, student_id=user_id)
    except ApplicationError as exc:
        return _failed(request, classroom, exc)
    messages.success(request, _("%(name)s is now in the class.") % {"name": membership.user.username})
    return redirect("classroom:detail", classroom.pk)


@login_required
@require_POST
def member_remove(request, class_id: int, user_id: int):
    classroom = selectors_access.classroom_for_teacher(user=request.user, class_id=class_id)
    try:
        services.membership_remove(classroom=classroom, actor=request.user, student_id=user_id)
    except ApplicationError as exc:
        return _failed(request, classroom, exc)
    messages.success(request, _("Removed from the class."))
    return redirect("classroom:detail", classroom.pk)


@login_required
@require_POST
def member_password_reset(request, class_id: int, user_id: int):
    classroom = selectors_access.classroom_for_teacher(user=request.user, class_id=class_id)
    try:
        password = services.student_password_reset(classroom=classroom, actor=request.user, student_id=user_id)
    except ApplicationError as exc:
        return _failed(request, classroom, exc)
    messages.success(
        request,
        _("New password for %(name)s: %(password)s — give it to them now; it is shown only once.")
        % {"name": selectors_access.member_name(classroom=classroom, user_id=user_id), "password": password},
    )
    response = redirect("classroom:detail", class_id)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def teacher_add(request, class_id: int):
    classroom = selectors_access.classroom_for_teacher(user=request.user, class_id=class_id)
    form = TeacherAddForm(request.POST)
    if not form.is_valid():
        return _class_page(request, classroom, status=400, teacher_form=form)
    try:
        other = services.classroom_teacher_add(classroom=classroom, actor=request.user, **form.cleaned_data)
    except ApplicationError as exc:
        form.add_error("username", exc.message)
        return _class_page(request, classroom, status=_status(exc), teacher_form=form)
    messages.success(request, _("%(name)s now teaches this class too.") % {"name": other.username})
    return redirect("classroom:detail", classroom.pk)


@login_required
@require_POST
def teacher_remove(request, class_id: int, user_id: int):
    classroom = selectors_access.classroom_for_teacher(user=request.user, class_id=class_id)
    try:
        services.classroom_teacher_remove(classroom=classroom, actor=request.user, teacher_id=user_id)
    except ApplicationError as exc:
        return _failed(request, classroom, exc)
    messages.success(request, _("Teacher removed from the class."))
    if user_id == request.user.pk:
        return redirect("classroom:home")
    return redirect("classroom:detail", classroom.pk)


# -- groups ----------------------------------------------------------------------------------------


@login_required
@require_POST
def group_create(request, class_id: int):
    classroom = selectors_access.classroom_for_teacher(user=request.user, class_id=class_id)
    form = GroupForm(
        request.POST, students=selectors_access.active_students(classroom=classroom), auto_id="id_group_%s"
    )
    if not form.is_valid():
        return _class_page(request, classroom, status=400, group_form=form)
    try:
        services.group_create(
            classroom=classroom,
            actor=request.user,
            name=form.cleaned_data["name"],
            member_ids=form.cleaned_data["members"],
        )
    except ApplicationError as exc:
        form.add_error("name", exc.message)
        return _class_page(request, classroom, status=_status(exc), group_form=form)
    messages.success(request, _("Group created."))
    return redirect("classroom:detail", classroom.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def group_edit(request, class_id: int, group_id: int):
    classroom = selectors_access.classroom_for_teacher(user=request.user, class_id=class_id)
    group = selectors_access.group_for_teacher(classroom=classroom, group_id=group_id)
    students = selectors_access.active_students(classroom=classroom)
    initial = {"name": group.name, "members": [str(m.pk) for m in group.members.all()]}
    form = GroupForm(request.POST or None, initial=initial, students=students)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.group_update(
                    group=group,
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    member_ids=form.cleaned_data["members"],
                )
            except ApplicationError as exc:
                form.add_error("name", exc.message)
            else:
                messages.success(request, _("Group saved."))
                return redirect("classroom:detail", classroom.pk)
        status = 400
    return render(
        request, "classroom/group_form.html", {"classroom": classroom, "group": group, "form": form}, status=status
    )


@login_required
@require_POST
def group_delete(request, class_id: int, group_id: int):
    classroom = selectors_access.classroom_for_teacher(user=request.user, class_id=class_id)
    group = selectors_access.group_for_teacher(classroom=classroom, group_id=group_id)
    services.group_delete(group=group, actor=request.user)
    messages.success(request, _("Group deleted."))
    return redirect("classroom:detail", classroom.pk)


# -- assignments -----------------------------------------------------------------------------------


def _assignment_form(request, classroom, assignment=None):
    initial = {}
    if assignment is not None:
        initial = {
            "path": f"{assignment.path_hruid}|{assignment.path_language}",
            "deadline": assignment.deadline,
            "groups": [str(g.pk) for g in assignment.groups.all()],
        }
    return AssignmentForm(
        request.POST or None,
        initial=initial,
        paths=selectors_access.path_choices(user=request.user),
        groups=list(classroom.groups.all()),
    )


def _assignment_save(request, classroom, assignment=None):
    form = _assignment_form(request, classroom, assignment)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            (hruid, language) = form.cleaned_data["path"]
            fields = dict(
                actor=request.user,
                path_hruid=hruid,
                path_language=language,
                deadline=form.cleaned_data["deadline"],
                groups=form.cleaned_data.get("groups", []),
            )
            try:
                if assignment is None:
                    assignment = services.assignment_create(classroom=classroom, **fields)
                else:
                    assignment = services.assignment_update(assignment=assignment, **fields)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Assignment saved."))
                return redirect("classroom:dashboard", classroom.pk, assignment.pk)
        status = 400
    return render(
        request,
        "classroom/assignment_form.html",
        {"classroom": classroom, "assignment": assignment, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assignment_create(request, class_id: int):
    classroom = selectors_access.classroom_for_teacher(user=request.user, class_id=class_id)
    return _assignment_save(request, classroom)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assignment_edit(request, class_id: int, assignment_id: int):
    assignment = selectors_access.assignment_for_teacher(
        user=request.user, class_id=class_id, assignment_id=assignment_id
    )
    return _assignment_save(request, assignment.classroom, assignment)


@login_required
@require_POST
def assignment_delete(request, class_id: int, assignment_id: int):
    assignment = selectors_access.assignment_for_teacher(
        user=request.user, class_id=class_id, assignment_id=assignment_id
    )
    services.assignment_delete(assignment=assignment, actor=request.user)
    messages.success(request, _("Assignment deleted. The students' answers are kept."))
    return redirect("classroom:detail", class_id)


@login_required
@require_safe
def dashboard(request, class_id: int, assignment_id: int):
    assignment = selectors_access.assignment_for_teacher(
        user=request.user, class_id=class_id, assignment_id=assignment_id
    )
    grid = selectors_dashboard.assignment_grid(
        assignment=assignment, teacher=request.user, by=request.GET.get("by", "student")
    )
    return render(
        request,
        "classroom/dashboard.html",
        {
            "classroom": assignment.classroom,
            "assignment": assignment,
            "grid": grid,
            "items": selectors_dashboard.item_analysis(assignment=assignment, nodes=grid.nodes),
            "has_groups": assignment.classroom.groups.exists(),
        },
    )


@login_required
@require_safe
def dashboard_csv(request, class_id: int, assignment_id: int):
    assignment = selectors_access.assignment_for_teacher(
        user=request.user, class_id=class_id, assignment_id=assignment_id
    )
    grid = selectors_dashboard.assignment_grid(
        assignment=assignment, teacher=request.user, by=request.GET.get("by", "student")
    )
    return _csv_response(
        request, f"assignment-{assignment.pk}-{grid.by}.csv", selectors_exports.grid_csv_rows(grid=grid)
    )


def _dutch(request) -> bool:
    return (getattr(request, "LANGUAGE_CODE", "") or "").startswith("nl")


def _csv_response(request, filename: str, rows: list[list[str]]) -> HttpResponse:
    """CSV a spreadsheet opens as it is: UTF-8 with a BOM, and in Dutch a ``;`` separator (a Dutch
    Excel reads "," as the decimal comma, so a comma-separated file lands in one column)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    text = io.StringIO()
    text.write("\ufeff")  # so spreadsheet programs read UTF-8
    csv.writer(text, delimiter=";" if _dutch(request) else ",").writerows(rows)
    # Cells are made safe in the selectors; "replace" is the last guard for any other text (a name
    # written by the admin) holding a lone surrogate, which UTF-8 cannot encode.
    response.write(text.getvalue().encode("utf-8", errors="replace"))
    return response


@login_required
@require_safe
def answers_csv(request, class_id: int, assignment_id: int):
    assignment = selectors_access.assignment_for_teacher(
        user=request.user, class_id=class_id, assignment_id=assignment_id
    )
    rows = selectors_exports.answers_csv_rows(assignment=assignment, teacher=request.user, comma=_dutch(request))
    return _csv_response(request, f"assignment-{assignment.pk}-answers.csv", rows)


def _answers_page(request, assignment, user_id: int, *, status=200):
    student, nodes = selectors_dashboard.student_answers(
        assignment=assignment, teacher=request.user, student_id=user_id
    )
    return render(
        request,
        "classroom/student_answers.html",
        {
            "classroom": assignment.classroom,
            "assignment": assignment,
            "student": student,
            "nodes": nodes,
            "comment_max": REVIEW_COMMENT_MAX,
        },
        status=status,
    )


@login_required
@require_safe
def student_answers(request, class_id: int, assignment_id: int, user_id: int):
    assignment = selectors_access.assignment_for_teacher(
        user=request.user, class_id=class_id, assignment_id=assignment_id
    )
    return _answers_page(request, assignment, user_id)


@login_required
@require_POST
def answer_review(request, class_id: int, assignment_id: int, user_id: int, submission_id: int):
    assignment = selectors_access.assignment_for_teacher(
        user=request.user, class_id=class_id, assignment_id=assignment_id
    )
    submission = selectors_access.student_submission(
        assignment=assignment, student_id=user_id, submission_id=submission_id
    )
    try:
        services.submission_review(
            teacher=request.user,
            submission=submission,
            score=request.POST.get("score", ""),
            comment=request.POST.get("comment", ""),
        )
    except ApplicationError as exc:
        if _status(exc) == 404:
            raise Http404(exc.message) from None
        messages.error(request, exc.message)
        return _answers_page(request, assignment, user_id, status=_status(exc))
    messages.success(request, _("Review saved. The student sees it on their home page."))
    return redirect("classroom:student_answers", class_id, assignment_id, user_id)


# -- returned values (JSON) ------------------------------------------------------------------------


@json_methods("POST")
def return_value(request, hruid: str, language: str, version: int):
    if not request.user.is_authenticated:
        return json_error(401, _("Sign in to save your results."))
    try:
        payload = json_body(
            request,
            max_bytes=MAX_BODY,
            # Twice the value's own limits: a value a little past them gets callback_schema's own
            # message (where it is too deep), and only a pathological body is stopped at the door.
            max_depth=2 * MAX_VALUE_DEPTH,
            max_items=2 * MAX_VALUE_NODES,
            too_large=_("This value is too large."),
            invalid=_("The value could not be read (expected JSON)."),
        )
    except BodyRefused as exc:
        return exc.response()
    if not isinstance(payload, dict) or "value" not in payload:
        return json_error(400, _('Send the value as {"value": ...}.'))
    if payload["value"] is None:  # JSONField stores None as SQL NULL, which the column refuses (a 500)
        return json_error(400, _("The cell returned nothing (null); return a value."))
    try:
        obj = content.object_get(user=request.user, hruid=hruid, language=language, version=version)
        services.return_value_create(user=request.user, obj=obj, value=payload["value"])
    except Http404:
        return json_error(404, _("This learning object does not exist."))
    except ApplicationError as exc:
        return json_error(_status(exc), exc.message)
    return JsonResponse({"message": _("Your result was saved.")}, status=201)
