"""Mounted at the site root (see ``learningpaths/urls.py``): the player keeps the ``paths/`` addresses
it had when the ``paths`` app served it."""

from django.urls import path

from . import views, views_offline

app_name = "learning"

urlpatterns = [
    path("paths/<str:hruid>/<str:language>/", views.path_detail, name="path"),
    path("paths/<str:hruid>/<str:language>/<str:node>/", views.path_detail, name="path_node"),
    path(
        "paths/<str:hruid>/<str:language>/offline.json",
        views_offline.path_offline_manifest,
        name="path_offline_manifest",
    ),
    # The service worker's scope is its own folder, so it is served at the root.
    path("sw.js", views_offline.service_worker, name="service_worker"),
    path("offline/", views_offline.offline_page, name="offline"),
    path("learn/answers/<str:hruid>/<str:language>/<int:version>/", views.answers_mine, name="answers_mine"),
    path("learn/answers/<str:hruid>/<str:language>/<int:version>/<str:qid>/", views.answer, name="answer"),
    path("learn/ran/<str:hruid>/<str:language>/<int:version>/", views.cells_ran, name="cells_ran"),
]
