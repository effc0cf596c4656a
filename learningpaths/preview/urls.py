from django.urls import path

from . import views

app_name = "preview"

urlpatterns = [
    path("events/", views.events, name="events"),
    path("as/<str:role>/", views.view_as, name="view_as"),
]
