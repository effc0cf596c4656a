"""The one inline script of the site: ``static/js/runtime/boot.js``, written into ``<head>``.

Inline, not ``<script src async>``: an async script runs once its file is in and the main thread is
free, which on a lesson page came ~250 ms after the first byte (behind the page's other scripts and
styles), and only then did the Python worker start. Inline, the worker starts while the parser is
still in ``<head>``. The site's CSP allows no inline script but this one, by its SHA-256
(``core.middleware.build_csp``), so the file stays the one copy of its text. It lives in core,
below the runtime app that writes it into pages, because the CSP that names it is core's.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from django.utils.safestring import SafeString, mark_safe

from learningpaths import layout

BOOT_SCRIPT = layout.SITE_STATIC_DIR / "js" / "runtime" / "boot.js"


@cache
def boot_source() -> str:
    text = BOOT_SCRIPT.read_text(encoding="utf-8")
    if "</script" in text.lower():  # it would end the element early
        raise ValueError(f"{BOOT_SCRIPT} must not contain '</script'")
    return text


def boot_script_tag() -> SafeString:
    # data-lp-boot: how static/site/offline.js tells that this page boots Python.
    return mark_safe(f"<script data-lp-boot>{boot_source()}</script>")  # our own file, checked above


def script_hashes() -> tuple[str, ...]:
    """CSP sources (``'sha256-…'``) of the inline scripts, hashed over the exact text served."""
    digest = hashlib.sha256(boot_source().encode("utf-8")).digest()
    return (f"'sha256-{base64.b64encode(digest).decode('ascii')}'",)
