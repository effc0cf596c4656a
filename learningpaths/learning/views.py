"""The path player (a page) and answering a question (JSON in, JSON out; every problem is a 4xx
with a message)."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from learningpaths.core.bodies import BodyRefused, json_body
from learningpaths.core.errors import json_error, json_methods
from learningpaths.core.exceptions import ApplicationError
from learningpaths.paths import selectors as content
from learningpaths.paths.querysets import can_see_teacher_content
from learningpaths.paths.views_memo import anonymous_page

from . import selectors
from .services import progress_visit, submission_create

MAX_BODY = 32 * 1024


@require_GET
def path_detail(request, hruid: str, language: str, node: str | None = None):
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
    if node is None:
        # Resume where the student left off; otherwise start at the start node.
        resume = selectors.resume_hruid(user=request.user, path=path)
        current = by_hruid.get(resume) or next((n for n in nodes if n.node.start_node), nodes[0])
    elif node in by_hruid:
        current = by_hruid[node]
    else:
        raise Http404("No such step in this learning path.")
    progress_visit(user=request.user, path=path, obj=current.obj)
    step = selectors.step_next(user=request.user, path=path, nodes=nodes, current=current)
    done = selectors.done_hruids(user=request.user, path=path)
    html = content.object_html(obj=current.obj, user=request.user, as_student=as_student)
    return render(
        request,
        "learning/path_detail.html",
        {
            "path": path,
            "nodes": nodes,
            "current": current,
            "prev_node": step.prev,
            "next_node": step.node,
            "needs_answer": step.needs_answer,
            "done": done,
            "progress_pct": round(100 * len(done & set(by_hruid)) / len(nodes)),
            "variants": content.path_variants(path=path, user=request.user),
            # The compiler sanitised this HTML with nh3; it is the only mark_safe on content.
            "content": mark_safe(html),
            "as_student": as_student,
            "is_teacher": can_see_teacher_content(request.user),
            **extra,
        },
    )


@json_methods("POST")
def answer(request, hruid: str, language: str, version: int, qid: str):
    if not request.user.is_authenticated:
        return json_error(401, _("Sign in to save your answers."))
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
        submission = submission_create(user=request.user, obj=obj, question_id=qid, raw_answer=payload["answer"])
    except Http404:
        return json_error(404, _("This learning object does not exist."))
    except ApplicationError as exc:
        return json_error(exc.extra.get("status", 400), exc.message)

    if submission.correct is True:
        message = _("Correct!")
    elif submission.correct is False:
        message = _("Not quite. Look at the explanation again, or continue to get help.")
    else:
        message = _("Your answer was saved. Your teacher will look at it.")
    body = {"correct": submission.correct, "score": submission.score, "message": message}

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
            step = selectors.step_next(user=request.user, path=path, nodes=nodes, current=current) if current else None
            if step is not None and step.node is not None:
                body["next_url"] = step.url
                body["next_title"] = step.node.obj.title
    return JsonResponse(body, status=201)
