from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learningpaths.learning"
    label = "learning"
    verbose_name = _("Progress and answers")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from learningpaths.accounts import exports
        from learningpaths.paths import card_progress

        from . import selectors, selectors_home, signals

        # This app's sections of a person's data export (accounts sits below and cannot import us).
        exports.register("path_progress", selectors.path_progress_export)
        exports.register("steps_done", selectors.steps_done_export)
        exports.register("submissions", selectors.submissions_export)

        # Progress on the catalogue's cards (paths sits below and cannot import us).
        card_progress.register(selectors_home.card_progress)

        # A visitor's answers become the account's at sign-in and sign-up (the session still holds
        # the visitor token then; see signals.py).
        user_logged_in.connect(signals.move_visitor_answers, dispatch_uid="learning.move_visitor_answers")
