from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learningpaths.learning"
    label = "learning"
    verbose_name = _("Progress and answers")

    def ready(self) -> None:
        from learningpaths.accounts import exports

        from . import selectors

        # This app's sections of a person's data export (accounts sits below and cannot import us).
        exports.register("path_progress", selectors.path_progress_export)
        exports.register("steps_done", selectors.steps_done_export)
        exports.register("submissions", selectors.submissions_export)
