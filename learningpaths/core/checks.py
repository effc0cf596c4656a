"""System checks for configuration the site cannot run well without (ids learningpaths.E0xx)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def check_content_dir(app_configs, **kwargs):
    if not settings.CONTENT_DIR.is_dir():
        return [
            Warning(
                f"CONTENT_DIR {settings.CONTENT_DIR} does not exist.",
                hint="Set CONTENT_DIR to your learning-content tree, or create content/.",
                id="learningpaths.W001",
            )
        ]
    return []


@register()
def check_var_dir(app_configs, **kwargs):
    try:
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return [
            Error(
                f"VAR_DIR {settings.VAR_DIR} cannot be created: {exc}",
                id="learningpaths.E002",
                hint="Point VAR_DIR at a writable folder.",
            )
        ]
    return []
