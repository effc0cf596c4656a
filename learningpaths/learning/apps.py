from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learningpaths.learning"
    label = "learning"
    verbose_name = _("Progress and answers")
