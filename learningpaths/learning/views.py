"""The path player (a page) and answering a question (JSON in, JSON out; every problem is a 4xx
with a message)."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from learningpaths.core import ratelimit
from learningpaths.core.bodies import BodyRefused, json_body
from learningpaths.core.errors import json_error, json_methods
from learningpaths.core.exceptions import ApplicationError
from learningpaths.paths import selectors as content
from learningpaths.paths.querysets import can_see_teacher_content
from learningpaths.paths.views_memo import anonymous_page, student_page

from . import completion, selectors
from .answerers import SESSION_KEY, answerer_get, visitor_token
from .feedback import outcome_of
from .services import cells_run_mark, progress_visit, submission_create, tries_count

MAX_BODY = 32 * 1024


@require_safe
def path_detail(request, hruid: str, language: str, node: str | None = None):
    if not request.user.is_authenticated and visitor_token(request.session):
        # A visitor who has answered gets their own way on (a remedial step after a wrong answer),
        # so not the page memoised for every visitor. Only a browser with a session cookie gets
        # here: the session is not read (no query) for one without.
        return _path_detail(request, hruid, language, node, {})
    return anonymous_page(
        request, ("path", hruid, language, node), lambda extra: _path_detail(request, hruid, language, node, extra)
    )


def _path_detail(request, hruid: str, language: str, node: str | None, extra: dict):
    path = content.path_get(user=request.user, hruid=hruid, language=language)
    as_student = request.GET.get("as") == "student"
    nodes = content.path_nodes(path=path, user=request.user, as_student=as_student)
    if not nodes:
        raise Http404("This learning path has no content you can see.")
    by_hruid = {n.obj.hruid: n for n in nodes}
    progress = selectors.progress_get(user=request.user, path=path)
    if node is None:
        # Resume where the student left off; otherwise start at the start node.
        current = by_hruid.get(progress.current) or next((n for n in nodes if n.node.start_node), nodes[0])
    elif node in by_hruid:
        current = by_hruid[node]
    else:
        raise Http404("No such step in this learning path.")
    if request.headers.get("X-LP-Prefetch") != "1":
        # The offline button fetches every step ahead (static/site/offline.js): not a visit.
        progress = progress_visit(user=request.user, path=path, obj=current.obj, progress=progress)
    # Done steps and the student's own route (completion.py); one read of their answers at most.
    route = completion.path_route(user=request.user, path=path, nodes=nodes, as_student=as_student, seen=progress.done)
    answerer = answerer_get(request)
    if answerer is not None and answerer.visitor is not None:
        # A visitor's route has no facts (progress is for accounts); their way on reads their answers.
        step = selectors.step_next(user=request.user, path=path, nodes=nodes, current=current, answerer=answerer)
    else:
        step = selectors.step_next(
            user=request.user, path=path, nodes=nodes, current=current, route=route, document=route.document(current)
        )
    teacher_view = can_see_teacher_content(request.user) and not as_student
    done_note = format_html('<span class="visually-hidden"> ({})</span>', _("done"))
    # What differs between two students on this step (see views_memo.student_page).
    values = {"progress_pct": str(route.pct)}
    on_route = route.hruids
    for n in nodes:
        done = n.obj.hruid in route.done
        values[f"done_class_{n.index}"] = " done" if done else ""
        values[f"done_note_{n.index}"] = done_note if done else ""
        if n.obj.hruid in route.extra:
            shown = teacher_view or n.obj.hruid in on_route or n.index == current.index
            values[f"extra_hidden_{n.index}"] = "" if shown else "hidden"
    steps = _sidebar(nodes, route.extra)

    def render_page(values: dict, slots: dict):
        # Read here, so a memoised page does not read the step's HTML at all.
        html = content.object_html(obj=current.obj, user=request.user, as_student=as_student)
        return render(
            request,
            "learning/path_detail.html",
            {
                "path": path,
                "steps": [
                    (
                        n,
                        values[f"done_class_{n.index}"],
                        values[f"done_note_{n.index}"],
                        [
                            (
                                x,
                                values[f"done_class_{x.index}"],
                                values[f"done_note_{x.index}"],
                                values[f"extra_hidden_{x.index}"],
                            )
                            for x in extras
                        ],
                    )
                    for n, extras in steps
                ],
                "current": current,
                "prev_node": step.prev,
                "next_node": step.node,
                "needs_answer": step.needs_answer,
                "progress_pct": values["progress_pct"],
                "variants": content.path_variants(path=path, user=request.user),
                # The compiler sanitised this HTML with nh3; it is the only mark_safe on content.
                "content": mark_safe(html),
                "as_student": as_student,
                "is_teacher": can_see_teacher_content(request.user),
                **extra,
                **slots,
            },
        )

    # Everything else on the page follows from the step and where the path goes from it.
    way_on = step.node.obj.hruid if step.node else step.needs_answer
    came_from = step.prev.obj.hruid if step.prev else None
    response = student_page(request, ("path", path.pk, current.obj.pk, way_on, came_from), render_page, values)
    if teacher_view:
        # Teacher-only text: never kept by a shared cache, nor by the service worker (static/site/sw.js)
        # on a computer a student may use next.
        response["Cache-Control"] = "private"
    return response


def _sidebar(nodes, extra: frozenset[str]) -> list[tuple]:
    """Main steps in order, each with the remedial ("Extra") steps that follow it as detours."""
    out: list[tuple] = []
    for n in nodes:
        if n.obj.hruid in extra and out:
            out[-1][1].append(n)
        else:
            out.append((n, []))
    return out


def _submission_create(request, *, obj, qid: str, raw_answer):
    """``services.submission_create`` for whoever asks. A visitor's token goes into their session
    only with their first stored answer: a bad body, an unknown question or a refused answer
    leaves the session as it was (none is saved for a visitor who had none)."""
    new_visitor = not request.user.is_authenticated and visitor_token(request.session) is None
    answerer = answerer_get(request, create=True)
    try:
        submission = submission_create(
            user=request.user, obj=obj, question_id=qid, raw_answer=raw_answer, answerer=answerer
        )
    except Exception:
        if new_visitor:
            request.session.pop(SESSION_KEY, None)
        raise
    if answerer.visitor is not None:
        # Saved again with every answer, so the session (the only link to the visitor) lives at
        # least SESSION_COOKIE_AGE after the newest answer, as long as ``clearvisitors`` keeps it.
        request.session.modified = True
    return submission, answerer


@json_methods("POST")
def answer(request, hruid: str, language: str, version: int, qid: str):
    """Grade and store one answer, for a signed-in user or a visitor without an account (whose
    answers are kept under a token in their session; made here on the first answer)."""
    if not request.user.is_authenticated:
        allowed, retry = ratelimit.visitor_answer_allow(request)
        if not allowed:
            response = json_error(
                429, _("Too many answers in a short time. Wait a moment and try again."), retry_after=retry
            )
            response["Retry-After"] = str(retry)
            return response
    try:
        payload = json_body(
            request,
            max_bytes=MAX_BODY,
            too_large=_("This answer is too large."),
            invalid=_("The answer could not be read (expected JSON)."),
        )
    except BodyRefused as exc:
        return exc.response()
    if not isinstance(payload, dict) or "answer" not in payload:
        return json_error(400, _('Send the answer as {"answer": ...}.'))
    try:
        obj = content.object_get(user=request.user, hruid=hruid, language=language, version=version)
        submission, answerer = _submission_create(request, obj=obj, qid=qid, raw_answer=payload["answer"])
    except Http404:
        return json_error(404, _("This learning object does not exist."))
    except ApplicationError as exc:
        return json_error(exc.extra.get("status", 400), exc.message, code=exc.extra.get("code"))

    question = selectors.question_get(user=request.user, obj=obj, qid=qid)
    said = outcome_of(question, submission, tries=tries_count(obj=obj, question_id=qid, answerer=answerer))
    body = {"correct": submission.correct, "score": submission.score, **said}

    # Where the path goes now that this answer exists (conditional transitions).
    path_hruid, path_language = payload.get("path"), payload.get("path_language")
    if isinstance(path_hruid, str) and isinstance(path_language, str):
        try:
            path = content.path_get(user=request.user, hruid=path_hruid, language=path_language)
        except Http404:
            path = None
        if path is not None:
            nodes = content.path_nodes(path=path, user=request.user)
            current = next((n for n in nodes if n.obj.pk == obj.pk), None)
            step = (
                selectors.step_next(user=request.user, path=path, nodes=nodes, current=current, answerer=answerer)
                if current
                else None
            )
            if step is not None and step.node is not None:
                body["next_url"] = step.url
                body["next_title"] = step.node.obj.title
    return JsonResponse(body, status=201)


@json_methods("GET")
def answers_mine(request, hruid: str, language: str, version: int):
    """The current student's (or visitor's) latest answer per question of one object, to restore
    the forms. Reading makes no visitor token (``create=False``): a visit without answers stays
    session-less."""
    try:
        obj = content.object_get(user=request.user, hruid=hruid, language=language, version=version)
    except Http404:
        return json_error(404, _("This learning object does not exist."))
    answerer = answerer_get(request)
    answers = selectors.answers_latest(user=request.user, obj=obj, answerer=answerer) if answerer else {}
    response = JsonResponse({"answers": answers})
    response["Cache-Control"] = "private, no-store"
    return response


@json_methods("POST")
def cells_ran(request, hruid: str, language: str, version: int):
    """The player's mark that the object's cells ran without an error (``completion: run``):
    body ``{"ok": true}``; 201 ``{"ran": true}`` when stored (or already stored), a 4xx with a
    message otherwise."""
    if not request.user.is_authenticated:
        return json_error(401, _("Sign in to save your progress."))
    try:
        payload = json_body(
            request, max_bytes=1024, too_large=_("This request is too large."), invalid=_("Expected JSON.")
        )
    except BodyRefused as exc:
        return exc.response()
    if not isinstance(payload, dict) or payload.get("ok") is not True or set(payload) != {"ok"}:
        return json_error(400, _('Send {"ok": true} after the cells ran without an error.'))
    try:
        obj = content.object_get(user=request.user, hruid=hruid, language=language, version=version)
    except Http404:
        return json_error(404, _("This learning object does not exist."))
    if not cells_run_mark(user=request.user, obj=obj):
        return json_error(422, _("This learning object does not ask for its cells to be run."))
    return JsonResponse({"ran": True}, status=201)
