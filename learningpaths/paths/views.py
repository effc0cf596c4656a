"""Pages for browsing paths and objects (the path player is ``learning.views``). Thin: parse the
request, call a selector, render."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from learningpaths.core.credentials import token_readable

from . import card_progress, selectors
from .querysets import can_see_teacher_content
from .selectors_catalogue import catalogue as catalogue_select
from .selectors_search import ALL_LANGUAGES, object_search, search_language
from .services import asset_storage_path
from .views_memo import anonymous_page


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


@require_safe
def catalogue(request):
    return anonymous_page(request, ("catalogue",), lambda extra: _catalogue(request, extra))


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
    # Only for a signed-in user (anonymous pages are memoised whole): one read for all the cards.
    progress = card_progress.progress_for(user=request.user, paths=[c.path for c in result.cards])
    entries = [(c, progress.get(c.path.pk)) for c in result.cards]
    return render(request, "paths/catalogue.html", {"catalogue": result, "entries": entries, **params, **extra})


@token_readable
@require_safe
def path_image(request, hruid: str, language: str):
    path = selectors.path_get(user=request.user, hruid=hruid, language=language)
    if not path.image:
        raise Http404("This path has no image.")
    response = HttpResponse(bytes(path.image), content_type=path.image_mime or "image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def object_detail(request, hruid: str, language: str, version: int | None = None):
    obj = selectors.object_get(user=request.user, hruid=hruid, language=language, version=version)
    html = selectors.object_html(obj=obj, user=request.user)
    response = render(
        request,
        "paths/object_detail.html",
        {
            "obj": obj,
            "content": mark_safe(html),  # sanitised by the compiler (nh3)
            "variants": selectors.object_variants(obj=obj, user=request.user),
        },
    )
    if can_see_teacher_content(request.user):
        response["Cache-Control"] = "private"  # teacher-only text: as in learning.views.path_detail
    return response


@token_readable
@require_safe
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


@require_safe
def object_latest(request, hruid: str, language: str):
    obj = selectors.object_get(user=request.user, hruid=hruid, language=language)
    return redirect(obj)


@require_safe
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    languages = [code for code, _name in settings.LANGUAGES]
    language = search_language(request.GET.get("language"))
    results = object_search(user=request.user, query=query, language=language)
    response = render(
        request,
        "paths/search.html",
        {"query": query, "results": results, "language": language or ALL_LANGUAGES, "languages": languages},
    )
    if can_see_teacher_content(request.user):
        response["Cache-Control"] = "private"  # snippets of teacher text: as in object_detail
    return response
