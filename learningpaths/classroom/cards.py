"""Sign-in cards: the QR code on each, drawn on the server as inline SVG (segno), so printing a
card makes no request anywhere."""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe


def sign_in_url(request, *, code: str, name: str) -> str:
    """The class sign-in page with the code and name filled in (the password stays on the card)."""
    return (
        request.build_absolute_uri(reverse("classroom:class_sign_in")) + "?" + urlencode({"code": code, "name": name})
    )


def qr_svg(text: str) -> SafeString:
    # Safe: segno writes only its own SVG elements; ``text`` becomes modules, never markup.
    return mark_safe(segno.make(text, error="m").svg_inline(scale=3, border=2, svgclass="qr", omitsize=False))
