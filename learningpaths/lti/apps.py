from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LtiConfig(AppConfig):
    name = "learningpaths.lti"
    label = "lti"
    verbose_name = _("LTI (learning platforms)")

    def ready(self) -> None:
        from learningpaths.accounts import exports
        from learningpaths.learning.events import progress_changed

        from . import receivers, selectors_exports

        progress_changed.connect(receivers.progress_changed, dispatch_uid="lti.progress_changed")
        exports.register("lti_identities", selectors_exports.identities_export)
