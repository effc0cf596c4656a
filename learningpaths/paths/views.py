"""Pages for browsing paths and objects. Thin: parse the request, call a selector, render."""
from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from . import selectors
from .services import asset_storage_path


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


@require_GET
def catalogue(request):
    query = request.GET.get("q", "").strip()
    language = request.GET.get("language", "").strip()
    age = _int_or_none(request.GET.get("age"))
    paths = selectors.path_list(user=request.user, query=query, language=language, age=age)
    return render(request, "paths/catalogue.html", {
        "paths": paths, "query": query, "language": language, "age": age,
    })


@require_GET
def path_detail(request, hruid: str, language: str, node: str | None = None):
    path = selectors.path_get(user=request.user, hruid=hruid, language=language)
    as_student = request.GET.get("as") == "student"
    nodes = selectors.path_nodes(path=path, user=request.user, as_student=as_student)
    if not nodes:
        raise Http404("This learning path has no content you can see.")
    current = nodes[0]
    if node is not None:
        matches = [n for n in nodes if n.obj.hruid == node]
        if not matches:
            raise Http404("No such step in this learning path.")
        current = matches[0]
    html = selectors.object_html(obj=current.obj, user=request.user, as_student=as_student)
    prev_node = nodes[current.index - 1] if current.index > 0 else None
    next_node = nodes[current.index + 1] if current.index + 1 < len(nodes) else None
    return render(request, "paths/path_detail.html", {
        "path": path, "nodes": nodes, "current": current, "prev_node": prev_node, "next_node": next_node,
        # The compiler sanitised this HTML with nh3; it is the only mark_safe on content.
        "content": mark_safe(html), "as_student": as_student,
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
        "variants": selectors.object_variants(obj=obj),
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
