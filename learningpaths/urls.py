"""Top-level URL configuration."""
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("learningpaths.accounts.urls")),
    path("api/demos/", include("learningpaths.demos.urls")),
    path("api/", include("learningpaths.api.urls")),
    path("learn/", include("learningpaths.learning.urls")),
    path("classes/", include("learningpaths.classroom.urls")),
    path("runtime/", include("learningpaths.runtime.urls")),
    path("", include("learningpaths.paths.urls")),
]
