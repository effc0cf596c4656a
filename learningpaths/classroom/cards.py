"""Sign-in cards: the QR code on each, drawn on the server as inline SVG (segno), so printing a
card makes no request anywhere."""

from __future__ import annotations

import segno
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext


def token_url(request, *, token: str) -> str:
    """The address in the card's QR code: it signs the pupil in once (``views_accounts.card_sign_in``)."""
    return request.build_absolute_uri(reverse("classroom:card_sign_in", args=[token]))


def qr_svg(text: str) -> SafeString:
    # Safe: segno writes only its own SVG elements and escapes the title; ``text`` becomes modules, never markup.
    title = gettext("QR code: scan it to sign in (it works once)")
    svg = segno.make(text, error="m").svg_inline(scale=4, border=2, svgclass="qr", omitsize=False, title=title)
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1))
