from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .sitemaps import sitemaps

app_name = "paths"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("search/", views.search, name="search"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("paths/<str:hruid>/<str:language>/image", views.path_image, name="path_image"),
    path("objects/<str:hruid>/<str:language>/", views.object_latest, name="object_latest"),
    path("objects/<str:hruid>/<str:language>/<int:version>/", views.object_detail, name="object"),
    path("objects/<str:hruid>/<str:language>/<int:version>/assets/<path:path>", views.object_asset, name="asset"),
]
