from django.apps import AppConfig


class RuntimeConfig(AppConfig):
    name = "learningpaths.runtime"
    label = "runtime"
    verbose_name = "In-page Python runtime"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
