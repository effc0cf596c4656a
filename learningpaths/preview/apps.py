from django.apps import AppConfig


class PreviewConfig(AppConfig):
    name = "learningpaths.preview"
    label = "preview"
    verbose_name = "Live preview for authors"
