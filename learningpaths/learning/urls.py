"""Mounted at the site root (see ``learningpaths/urls.py``): the player keeps the ``paths/`` addresses
it had when the ``paths`` app served it."""

from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("paths/<str:hruid>/<str:language>/", views.path_detail, name="path"),
    path("paths/<str:hruid>/<str:language>/<str:node>/", views.path_detail, name="path_node"),
    path("learn/answers/<str:hruid>/<str:language>/<int:version>/", views.answers_mine, name="answers_mine"),
    path("learn/answers/<str:hruid>/<str:language>/<int:version>/<str:qid>/", views.answer, name="answer"),
    path("learn/ran/<str:hruid>/<str:language>/<int:version>/", views.cells_ran, name="cells_ran"),
]
