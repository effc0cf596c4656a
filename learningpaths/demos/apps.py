from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemosConfig(AppConfig):
    name = "learningpaths.demos"
    label = "demos"
    verbose_name = _("Server demos")
