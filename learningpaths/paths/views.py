"""Pages for browsing paths and objects. Thin: parse the request, call a selector, render."""
from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import FileResponse, Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from learningpaths.learning import selectors as learning
from learningpaths.learning.services import progress_visit

from . import selectors
from .querysets import can_see_teacher_content
from .selectors_cache import pages_memo
from .selectors_catalogue import catalogue as catalogue_select
from .services import asset_storage_path

# Stands in for the CSRF token in a memoised page; every response gets the visitor's own token.
_CSRF_PLACEHOLDER = f"lp-csrf-{secrets.token_hex(16)}"


def _anonymous_page(request, key: tuple, render_page) -> HttpResponse:
    """``render_page(extra_context)``, memoised as a whole page for anonymous visitors.

    The catalogue and the path player are the same for every anonymous visitor of a URL in one UI
    language, until the next content build (the memo's key carries the build token, see
    ``selectors_cache``). Only the CSRF token differs: the page is rendered once with a placeholder
    that each response replaces by the visitor's own token, so the cookie and the form still match.
    Signed-in users (progress, their name, teacher material) and requests with a query string or
    pending messages always get a fresh rendering; so does development (DEBUG: templates change).
    """
    if (settings.DEBUG or request.META.get("QUERY_STRING") or request.user.is_authenticated
            or len(get_messages(request))):
        return render_page({})
    body = pages_memo.get_or_compute(
        ("anonymous", *key, get_language(), request.path),
        lambda: render_page({"csrf_token": _CSRF_PLACEHOLDER}).content.decode(),
    )
    if _CSRF_PLACEHOLDER in body:
        body = body.replace(_CSRF_PLACEHOLDER, get_token(request))
    return HttpResponse(body)


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


@require_GET
def catalogue(request):
    return _anonymous_page(request, ("catalogue",), lambda extra: _catalogue(request, extra))


def _catalogue(request, extra: dict):
    params = {
        "query": request.GET.get("q", "").strip(),
        "language": request.GET.get("language", "").strip(),
        "age": _int_or_none(request.GET.get("age")),
        "theme": request.GET.get("theme", "").strip(),
        "max_difficulty": _int_or_none(request.GET.get("difficulty")),
        "max_time": _int_or_none(request.GET.get("time")),
    }
    result = catalogue_select(user=request.user, **params)
    return render(request, "paths/catalogue.html", {"catalogue": result, **params, **extra})


@require_GET
def path_detail(request, hruid: str, language: str, node: str | None = None):
    return _anonymous_page(request, ("path", hruid, language, node),
                           lambda extra: _path_detail(request, hruid, language, node, extra))


def _path_detail(request, hruid: str, language: str, node: str | None, extra: dict):
    path = selectors.path_get(user=request.user, hruid=hruid, language=language)
    as_student = request.GET.get("as") == "student"
    nodes = selectors.path_nodes(path=path, user=request.user, as_student=as_student)
    if not nodes:
        raise Http404("This learning path has no content you can see.")
    by_hruid = {n.obj.hruid: n for n in nodes}
    if node is None:
        # Resume where the student left off; otherwise start at the start node.
        resume = learning.resume_hruid(user=request.user, path=path)
        current = by_hruid.get(resume) or next((n for n in nodes if n.node.start_node), nodes[0])
    elif node in by_hruid:
        current = by_hruid[node]
    else:
        raise Http404("No such step in this learning path.")
    progress_visit(user=request.user, path=path, obj=current.obj)
    chosen = learning.choose_next(user=request.user, current=current)
    next_node = by_hruid.get(chosen.object.hruid) if chosen not in (None, "answer") else None
    prev_node = nodes[current.index - 1] if current.index > 0 else None
    done = learning.done_hruids(user=request.user, path=path)
    html = selectors.object_html(obj=current.obj, user=request.user, as_student=as_student)
    return render(request, "paths/path_detail.html", {
        "path": path, "nodes": nodes, "current": current, "prev_node": prev_node, "next_node": next_node,
        "needs_answer": chosen == "answer", "done": done,
        "progress_pct": round(100 * len(done & set(by_hruid)) / len(nodes)),
        "variants": selectors.path_variants(path=path, user=request.user),
        # The compiler sanitised this HTML with nh3; it is the only mark_safe on content.
        "content": mark_safe(html), "as_student": as_student,
        "is_teacher": can_see_teacher_content(request.user), **extra,
    })


@require_GET
def path_image(request, hruid: str, language: str):
    path = selectors.path_get(user=request.user, hruid=hruid, language=language)
    if not path.image:
        raise Http404("This path has no image.")
    response = HttpResponse(bytes(path.image), content_type=path.image_mime or "image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def object_detail(request, hruid: str, language: str, version: int | None = None):
    obj = selectors.object_get(user=request.user, hruid=hruid, language=language, version=version)
    html = selectors.object_html(obj=obj, user=request.user)
    return render(request, "paths/object_detail.html", {
        "obj": obj, "content": mark_safe(html),  # sanitised by the compiler (nh3)
        "variants": selectors.object_variants(obj=obj, user=request.user),
    })


@require_GET
def object_asset(request, hruid: str, language: str, version: int, path: str):
    asset = selectors.asset_get(user=request.user, hruid=hruid, language=language, version=version, path=path)
    stored = asset_storage_path(asset.sha256)
    if not stored.is_file():
        raise Http404("This file is missing from storage; rebuild the content.")
    response = FileResponse(open(stored, "rb"), content_type=asset.mime)
    response["X-Content-Type-Options"] = "nosniff"
    # Teacher-only files must not be kept by shared caches.
    response["Cache-Control"] = "private, max-age=3600" if asset.teacher_only else "public, max-age=3600"
    if asset.mime in ("image/svg+xml", "text/html"):
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


def object_latest(request, hruid: str, language: str):
    obj = selectors.object_get(user=request.user, hruid=hruid, language=language)
    return redirect(obj)


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    results = selectors.object_search(user=request.user, query=query, language=request.GET.get("language", ""))
    return render(request, "paths/search.html", {"query": query, "results": results})
