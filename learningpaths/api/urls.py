"""Routes of the Dwengo-compatible API, mounted at /api/. Like Dwengo's Express routes, each one
also answers with a trailing slash. Every route must be described in openapi.py (a test checks)."""

import re

from django.urls import re_path

from . import views

app_name = "api"


def route(template: str, view, name: str):
    """``template`` uses ``<name>`` for one path segment, e.g. ``learningPath/<hruid>/<language>``."""
    parts = re.split(r"<(\w+)>", template)  # literal, name, literal, name, ...
    regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts))
    return re_path(rf"^{regex}/?$", view, name=name)


urlpatterns = [
    re_path(r"^$", views.docs, name="docs"),
    route("docs", views.docs, name="docs_alias"),
    route("openapi.json", views.openapi_json, name="openapi"),
    route("learningObject/getRaw", views.get_raw, name="object_raw"),
    route("learningObject/getWrapped", views.get_wrapped, name="object_wrapped"),
    route("learningObject/getMetadata", views.get_metadata, name="object_metadata"),
    route("learningObject/search", views.search_objects, name="object_search"),
    route("learningObject/getFrequentKeywords", views.frequent_keywords, name="object_frequent_keywords"),
    route("learningPath/search", views.search_paths, name="path_search"),
    route("learningPath/getPathsFromIdList", views.paths_from_id_list, name="path_id_list"),
    route("learningPath/languages", views.path_languages, name="path_languages"),
    route("learningPath/<hruid>/<language>", views.path_detail, name="path_detail"),
    # Anything else under /api/ is a JSON 404, not the site's HTML page. Not an API route: the
    # OpenAPI test skips this one name only.
    re_path(r"^(?P<rest>.*)$", views.not_found, name="not_found"),
]
