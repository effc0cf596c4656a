from django.urls import path

from . import views

app_name = "demos"

urlpatterns = [
    path("", views.status, name="status"),
    path("<str:name>/predict", views.predict, name="predict"),
    path("<str:name>/generate", views.generate, name="generate"),
    path("<str:name>/encode", views.encode, name="encode"),
    path("<str:name>/decode", views.decode, name="decode"),
]
