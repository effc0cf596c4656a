"""Template filters for the catalogue and the search page."""

from __future__ import annotations

import hashlib

from django import template
from django.utils.translation import get_language_info

register = template.Library()


@register.filter
def language_word(code: str) -> str:
    """A content language as a word in the UI language ("nl" is "Dutch" in English, "Nederlands"
    in Dutch); a code Django does not know (content may carry any) stays as it is."""
    try:
        return get_language_info(str(code))["name_translated"]
    except KeyError:
        return str(code)


@register.filter
def path_hue(hruid: str) -> int:
    """A hue (0-359) of the path's own, the same in every language and every build: each card gets
    a colour band, so paths tell apart at a glance. From a hash, not Python's hash() (salted)."""
    return int.from_bytes(hashlib.sha256(str(hruid).encode()).digest()[:2], "big") % 360
