"""Answer a question: JSON in, JSON out; every problem is a 4xx with a message."""
from __future__ import annotations

import json

from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from learningpaths.core.errors import json_error, json_methods
from learningpaths.core.exceptions import ApplicationError
from learningpaths.paths import selectors as content

from . import selectors
from .services import submission_create

MAX_BODY = 32 * 1024


@json_methods("POST")
def answer(request, hruid: str, language: str, version: int, qid: str):
    if not request.user.is_authenticated:
        return json_error(401, _("Sign in to save your answers."))
    if len(request.body) > MAX_BODY:
        return json_error(413, _("This answer is too large."))
    try:
        payload = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return json_error(400, _("The answer could not be read (expected JSON)."))
    if not isinstance(payload, dict) or "answer" not in payload:
        return json_error(400, _("Send the answer as {\"answer\": ...}."))
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
            chosen = selectors.choose_next(user=request.user, current=current) if current else None
            if chosen not in (None, "answer"):
                body["next_url"] = reverse("paths:path_node", args=[path.hruid, path.language, chosen.object.hruid])
                body["next_title"] = chosen.object.title
    return JsonResponse(body, status=201)
