"""Sign-in cards: the QR code on each, drawn on the server as inline SVG (segno), so printing a
card makes no request anywhere."""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext


def sign_in_url(request, *, code: str, name: str) -> str:
    """The class sign-in page with the code and name filled in (the password stays on the card)."""
    return (
        request.build_absolute_uri(reverse("classroom:class_sign_in")) + "?" + urlencode({"code": code, "name": name})
    )


def qr_svg(text: str) -> SafeString:
    # Safe: segno writes only its own SVG elements and escapes the title; ``text`` becomes modules, never markup.
    title = gettext("QR code: opens the class sign-in page with your class code and name")
    svg = segno.make(text, error="m").svg_inline(scale=4, border=2, svgclass="qr", omitsize=False, title=title)
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))
