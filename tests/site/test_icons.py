"""Icons (issue 20): the site's own SVG favicon on every page, and no emoji used as icons in the
templates, stylesheets and scripts (an emoji renders as an empty box where no emoji font is
installed; templates/includes/icon.html draws SVG icons instead)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Pictographs, the emoji joiner and presentation selector, and the symbols below U+1F000 that are
# emoji (Unicode's Emoji property) which an icon is likely to be drawn with.
EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u26ff\ufe0f\u200d\u231a\u231b\u23e9-\u23fa\u21a9\u21aa\u2b50\u2705\u274c]"
)
KNOWN: set[tuple[str, str]] = set()  # (file, character) left as they are, with a reason; none now


def sources():
    for pattern in (
        "learningpaths/**/templates/**/*.html",
        "static/css/*.css",
        "static/site/*.js",
        "static/js/**/*.js",
    ):
        yield from ROOT.glob(pattern)


@pytest.mark.django_db
def test_every_page_links_our_svg_favicon(client):
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/site/favicon.svg" type="image/svg+xml">' in page
    svg = ROOT / "static" / "site" / "favicon.svg"
    root = ET.fromstring(svg.read_text(encoding="utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox") == "0 0 32 32"
    # Drawn here: no image, font or link from elsewhere.
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)|<image|href=", svg.read_text(encoding="utf-8"))


def test_no_emoji_as_icons():
    found = []
    for path in sources():
        rel = path.relative_to(ROOT).as_posix()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found += [f"{rel}:{n}: U+{ord(c):04X}" for c in EMOJI.findall(line) if (rel, c) not in KNOWN]
    assert len(list(sources())) > 40
    assert not found, found


def test_the_check_finds_an_emoji():
    assert EMOJI.findall('content: "\U0001f469\u200d\U0001f3eb "; ↩ ⏸ ✓ ✗ ▶') == [
        "\U0001f469",
        "\u200d",
        "\U0001f3eb",
        "↩",
        "⏸",
    ]
