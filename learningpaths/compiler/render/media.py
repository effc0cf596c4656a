"""HTML for media: images, iframes, audio, PDF, Blockly programs. Shared by directives and content types.

Every function takes already-resolved URLs and returns trusted markup with escaped values.
"""

from __future__ import annotations

import posixpath
import re
from html import escape
from urllib.parse import parse_qs, urlsplit

LABELS = {
    "en": {
        "download": "Download",
        "program": "Blockly program",
        "blocks": "blocks",
        "true": "True",
        "false": "False",
        "check": "Check",
        "pdf": "PDF document",
        "choose": "Choose…",
        "teacher": "For teachers",
    },
    "nl": {
        "download": "Download",
        "program": "Blockly-programma",
        "blocks": "blokken",
        "true": "Waar",
        "false": "Onwaar",
        "check": "Controleer",
        "pdf": "PDF-document",
        "choose": "Kies…",
        "teacher": "Voor leerkrachten",
    },
    "fr": {
        "download": "Télécharger",
        "program": "Programme Blockly",
        "blocks": "blocs",
        "true": "Vrai",
        "false": "Faux",
        "check": "Vérifier",
        "pdf": "Document PDF",
        "choose": "Choisir…",
        "teacher": "Pour les enseignants",
    },
}
YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com", "www.youtube-nocookie.com"}
AUDIO_TYPES = {
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".wav": "audio/wav",
    ".m4a": "audio/mp4",
    ".oga": "audio/ogg",
    ".weba": "audio/webm",
}
MAX_BLOCKLY_CHARS = 200_000


def label(language: str, key: str) -> str:
    return LABELS.get(language, LABELS["en"]).get(key, LABELS["en"][key])


def attr(value: object) -> str:
    return escape(str(value), quote=True)


def embed_url(url: str) -> str:
    """YouTube watch and youtu.be links become embed URLs (as Dwengo does); others are unchanged."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    host = (parts.hostname or "").lower()
    video = ""
    if host in YOUTUBE_HOSTS and parts.path.rstrip("/") == "/watch":
        video = (parse_qs(parts.query).get("v") or [""])[0]
    elif host == "youtu.be":
        video = parts.path.strip("/")
    if not video or not re.fullmatch(r"[\w-]+", video):
        return url.strip()
    start = (parse_qs(parts.query).get("t") or parse_qs(parts.query).get("start") or [""])[0].rstrip("s")
    embed = f"https://{host if host != 'youtu.be' and host != 'm.youtube.com' else 'www.youtube.com'}/embed/{video}"
    return embed + (f"?start={start}" if start.isdigit() else "")


def iframe(src: str, title: str, aspect: str = "iframe-16-9") -> str:
    title = title.strip()
    title_attr = f' title="{attr(title)}"' if title else ""
    return (
        f'<div class="iframe-container {attr(aspect)}"><iframe src="{attr(src)}"{title_attr}'
        f' allowfullscreen loading="lazy"></iframe></div>'
    )


def external_link(url: str, text: str) -> str:
    return f'<a href="{attr(url)}" target="_blank" rel="noopener noreferrer">{escape(text or url)}</a>'


def img(src: str, alt: str, title: str = "", *, broken: bool = False) -> str:
    title = title.strip()
    cls = ' class="lp-asset-missing"' if broken else ""
    title_attr = f' title="{attr(title)}"' if title else ""
    return f'<img src="{attr(src)}" alt="{attr(alt)}"{title_attr}{cls}>'


def _missing(broken: bool) -> str:
    return " lp-asset-missing" if broken else ""


def audio(url: str, rel: str, language: str, *, broken: bool = False) -> str:
    kind = AUDIO_TYPES.get(posixpath.splitext(rel)[1].lower(), "audio/mpeg")
    name = posixpath.basename(rel)
    return (
        f'<audio class="lp-audio{_missing(broken)}" controls preload="metadata">'
        f'<source src="{attr(url)}" type="{kind}">'
        f'<a href="{attr(url)}" download>{escape(label(language, "download"))} {escape(name)}</a></audio>'
    )


def download_link(url: str, rel: str, language: str, text: str = "") -> str:
    text = text or f"{label(language, 'download')} {posixpath.basename(rel)}"
    return f'<a href="{attr(url)}" download>{escape(text)}</a>'


def pdf(url: str, rel: str, language: str, title: str = "", *, broken: bool = False) -> str:
    title_attr = f' title="{attr(title)}"' if title else ""
    return (
        f'<figure class="lp-pdf{_missing(broken)}"><embed src="{attr(url)}" type="application/pdf" width="100%"'
        f' height="800"{title_attr}><figcaption>{download_link(url, rel, language)}</figcaption></figure>'
    )


def _indent(depth: int) -> str:
    return "  " * min(depth, 16)  # Blockly nests deeply ("next" chains); keep lines readable


def pretty_xml(xml: str) -> str:
    """Indent XML one element per line; text-only elements stay on one line. No parsing, no entities."""
    parts = [p for p in re.split(r"(<[^<>]*>)", xml.strip()) if p.strip()]
    out: list[str] = []
    depth = 0
    i = 0
    while i < len(parts):
        part = parts[i]
        is_tag = part.startswith("<")
        closing = is_tag and part.startswith("</")
        opening = is_tag and not closing and not part.endswith("/>") and not part.startswith(("<?", "<!"))
        if closing:
            depth = max(depth - 1, 0)
        if opening and i + 2 < len(parts) and not parts[i + 1].startswith("<") and parts[i + 2].startswith("</"):
            out.append(_indent(depth) + part + parts[i + 1].strip() + parts[i + 2])
            i += 3
            continue
        out.append(_indent(depth) + part.strip())
        if opening:
            depth += 1
        i += 1
    return "\n".join(out)


def blockly(xml: str | None, url: str, rel: str, language: str, caption: str = "", *, broken: bool = False) -> str:
    """A readable Blockly program: the XML in a collapsible block and a download link. No script:
    a page's static/js/blockly.js draws the blocks from this XML (or from the download, when the
    file is too large to inline)."""
    name = posixpath.basename(rel)
    summary = f"{label(language, 'program')}: {caption or name}"
    body = ""
    if xml is not None and len(xml) <= MAX_BLOCKLY_CHARS:
        count = len(re.findall(r"<block\b", xml))
        if count:
            summary += f" ({count} {label(language, 'blocks')})"
        body = f'<pre><code class="language-xml">{escape(pretty_xml(xml), quote=False)}</code></pre>'
    return (
        f'<figure class="lp-blockly{_missing(broken)}">'
        f"<details><summary>{escape(summary)}</summary>{body}</details>"
        f"<figcaption>{download_link(url, rel, language)}</figcaption></figure>"
    )
