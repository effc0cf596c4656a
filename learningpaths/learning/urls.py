from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("answers/<str:hruid>/<str:language>/<int:version>/<str:qid>/", views.answer, name="answer"),
]
