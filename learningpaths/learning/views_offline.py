"""Offline use: the service worker script at the site root, a path's offline manifest (JSON) and
the page the worker shows for a page it has not stored."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from learningpaths.core.errors import json_error, json_methods

from . import offline


@require_safe
def service_worker(request):
    """``/sw.js``: served from the root so that its scope is the whole site (a worker controls
    only the URLs under its own folder). ``no-cache``: the browser checks it at every navigation,
    which is how a new build reaches it."""
    # The version covers everything in the script (its source, the runtime's files, the build),
    # so the browser's check at each navigation is usually a 304.
    etag = f'"{offline.worker_version()}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(offline.worker_source(), content_type="text/javascript; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@json_methods("GET", "HEAD")
def path_offline_manifest(request, hruid: str, language: str):
    """The step pages and files the "ready for offline use" button fetches; only what this user
    may see. Per user, so never stored by a cache (nor by the service worker)."""
    try:
        manifest = offline.path_offline_manifest(
            user=request.user, hruid=hruid, language=language, as_student=request.GET.get("as") == "student"
        )
    except Http404:
        return json_error(404, _("No such learning path."))
    response = JsonResponse(manifest)
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def offline_page(request):
    """What the service worker answers for a page it has not stored while the network is down
    (it stores this page when it installs, in the visitor's language)."""
    response = render(request, "learning/offline.html")
    response["Cache-Control"] = "no-cache"
    return response
