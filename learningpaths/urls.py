"""Top-level URL configuration."""

from django.contrib import admin
from django.urls import include, path

from learningpaths.core.jsi18n import javascript_catalog

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # The scripts' translations; the language is in the URL so that caches never mix languages.
    path("jsi18n/<str:language>/", javascript_catalog, name="javascript-catalog"),
    path("", include("learningpaths.accounts.urls")),  # accounts/ and classes/me/ (see there)
    path("api/demos/", include("learningpaths.demos.urls")),
    path("api/", include("learningpaths.api.urls")),
    path("classes/", include("learningpaths.classroom.urls")),
    path("runtime/", include("learningpaths.runtime.urls")),
    path("preview/", include("learningpaths.preview.urls")),  # 404 unless `manage.py preview` runs
    path("lti/", include("learningpaths.lti.urls")),  # LTI 1.3 tool: keys, login, launch, deep linking
    # Both at the root: learning serves the player under paths/ (and answers under learn/), paths
    # the catalogue, objects and the path image; learning's player routes are tried first.
    path("", include("learningpaths.learning.urls")),
    path("", include("learningpaths.paths.urls")),
]

# Django's error views, answering JSON for JSON routes (core/handlers.py).
handler400 = "learningpaths.core.handlers.bad_request"
handler403 = "learningpaths.core.handlers.permission_denied"
handler404 = "learningpaths.core.handlers.page_not_found"
handler500 = "learningpaths.core.handlers.server_error"
