"""Third-party embeds load only after the student asks for them.

The compiler keeps allow-listed iframes (YouTube, ...) as authors wrote them. Pages for students
must not contact another host by themselves (privacy of minors, offline classrooms), so before a
page is sent each iframe's ``src`` moves to ``data-lp-src`` and a button loads it on request
(``static/site/embeds.js``). The button speaks the lesson's language when the site has it (a
Dutch lesson says it in Dutch whatever the UI language). The API serves the iframes as they are:
there the client's page decides on consent.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urlparse

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

_IFRAME = re.compile(r'<iframe\b([^>]*?)\ssrc="([^"]*)"([^>]*)>', re.IGNORECASE)


def defer_iframes(html: str, language: str | None = None) -> str:
    """``html`` with every third-party iframe behind a load button, in ``language`` if the UI has it."""
    if language and language != translation.get_language() and language in dict(settings.LANGUAGES):
        with translation.override(language):
            return defer_iframes(html)

    def replace(match: re.Match) -> str:
        before, src, after = match.groups()
        host = urlparse(src.replace("&amp;", "&")).hostname or ""
        if not host:  # same-site iframe: nothing to protect
            return match.group(0)
        label = _("Load the content from %(host)s") % {"host": host}
        note = _("This part comes from %(host)s. It is only loaded when you ask for it.") % {"host": host}
        return (
            f'<span class="lp-embed-consent"><span class="meta">{escape(note)}</span> '
            f'<button type="button" class="lp-embed-load secondary">{escape(label)}</button></span>'
            f'<iframe{before} data-lp-src="{src}"{after} hidden>'
        )

    return _IFRAME.sub(replace, html)
