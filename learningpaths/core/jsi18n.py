"""The JavaScript translation catalogue: ``/jsi18n/<language>/`` (gettext domain ``djangojs``).

``base.html`` loads it before every other script, for the page's own language. The language is
in the URL rather than read from the cookie or ``Accept-Language``, so a browser or proxy that
caches the Dutch catalogue can never hand it to an English page, and the response can be cached
like a static file. ``Last-Modified`` is the compiled catalogue's time, so after a deploy with new
translations a revalidation fetches the new one.

The strings come from ``learningpaths/locale/<language>/LC_MESSAGES/djangojs.po`` (refresh: see
``tests/site/test_i18n.py``); the scripts use ``gettext``/``interpolate`` and fall back to English
when the catalogue did not load (``static/js/runtime/i18n.js``).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import last_modified
from django.views.i18n import JavaScriptCatalog

DOMAIN = "djangojs"
MAX_AGE = 3600  # as WHITENOISE_MAX_AGE: a deploy reaches every browser within the hour
_STARTED = time.time()  # for a language without a compiled catalogue (English)


def catalogue_language(code: str) -> str:
    """The supported language for a code in the URL ('nl', 'nl-be' -> 'nl'); 404 otherwise."""
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        raise Http404(f"No JavaScript catalogue for language {code!r}.") from None


def catalogue_modified(request, language: str) -> datetime:
    """When this language's catalogue last changed: its newest compiled djangojs.mo."""
    language = catalogue_language(language)
    times = [
        mo.stat().st_mtime
        for base in settings.LOCALE_PATHS
        if (mo := Path(base) / translation.to_locale(language) / "LC_MESSAGES" / f"{DOMAIN}.mo").exists()
    ]
    return datetime.fromtimestamp(max(times, default=_STARTED), tz=UTC)


class LanguageCatalog(JavaScriptCatalog):
    """Django's JavaScriptCatalog for the language named in the URL, with only our own strings."""

    domain = DOMAIN
    # Any package makes Django read only the paths get_paths() returns (plus LOCALE_PATHS) instead of
    # every installed app's catalogue: the admin's djangojs strings have no place on our pages.
    packages = ["learningpaths"]

    def get_paths(self, packages):
        return [str(path) for path in settings.LOCALE_PATHS]

    def get(self, request, *args, language: str, **kwargs):
        language = catalogue_language(language)
        with translation.override(language):
            response = super().get(request, *args, **kwargs)
        response.headers["Content-Language"] = language  # LocaleMiddleware only sets it when missing
        patch_cache_control(response, public=True, max_age=0 if settings.DEBUG else MAX_AGE)
        return response


javascript_catalog = last_modified(catalogue_modified)(LanguageCatalog.as_view())
