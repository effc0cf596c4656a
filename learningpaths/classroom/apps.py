from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassroomConfig(AppConfig):
    name = "learningpaths.classroom"
    label = "classroom"
    verbose_name = _("Classes and assignments")

    def ready(self) -> None:
        from learningpaths.accounts import exports

        from . import selectors_access, selectors_exports, services

        # This app's part of a person's data export and account deletion (accounts sits below).
        exports.register("classes", selectors_exports.classes_export)
        exports.register("groups", selectors_exports.groups_export)
        exports.register("classes_taught", selectors_exports.classes_taught_export)
        exports.register("class_account", selectors_exports.class_account_export)
        exports.deletion_register(
            "classroom", delete=services.account_classes_delete, warn=selectors_access.sole_taught_warnings
        )
