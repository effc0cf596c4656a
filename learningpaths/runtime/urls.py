from django.urls import path

from . import views

app_name = "runtime"
urlpatterns = [
    path("pyodide/<str:version>/<str:name>", views.pyodide_file, name="pyodide_file"),
    path("engine/<str:name>", views.engine_file, name="engine_file"),
    path("pyc/<str:name>", views.pyc_file, name="pyc_file"),
]
