from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "learningpaths.api"
    label = "api"
    verbose_name = _("Dwengo-compatible API")
