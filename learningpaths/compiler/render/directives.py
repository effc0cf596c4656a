"""Dwengo's ``@directives`` (FORMAT.md 2.3) and our ``@widget``.

Image form ``![alt](@name/rest "title")`` embeds; link form ``[text](@name/rest)`` links.

| directive | image form | link form |
|---|---|---|
| ``@learning-object/h/l[/v]`` | transclusion marker + Reference("transclude") | object URL + Reference("link") |
| ``@youtube|@extern|@notebook/<url>`` | iframe if the host is allowed, else a link + warning | the URL |
| ``@pdf/<rel>`` | ``<embed type=application/pdf>`` + download link | the asset URL |
| ``@audio/<rel>`` | ``<audio controls>`` | the asset URL |
| ``@blockly/<rel.xml>`` | the Blockly figure (see media.blockly) | download link |
| ``@widget/<name>?k=v`` | widget placeholder (widgets.py) | error |
"""

from __future__ import annotations

from html import escape
from urllib.parse import unquote

from ..codes import Code
from . import media
from .context import Doc, RenderContext, did_you_mean
from .links import DIRECTIVE, add_reference, parse_object_ref, report_bad_ref
from .sanitize import host_allowed
from .types import TRANSCLUSION_MARKER
from .widgets import render_widget

EMBEDS = ("youtube", "extern", "notebook")
FILES = ("pdf", "audio", "blockly")
KNOWN = ("learning-object", *EMBEDS, *FILES, "widget")


def _unknown(ctx: RenderContext, doc: Doc, line0: int | None, url: str, name: str) -> None:
    hint = did_you_mean(name.lower(), KNOWN) or "known directives: " + ", ".join("@" + k for k in KNOWN)
    ctx.error(doc, doc.line(line0), Code.DIRECTIVE, f"unknown directive '@{name}'", hint, doc.col(line0, url))


def _file(ctx: RenderContext, doc: Doc, line0: int | None, teacher: bool, name: str, rest: str):
    what = {"pdf": "PDF", "audio": "audio file", "blockly": "Blockly file"}[name]
    if not rest.strip():
        ctx.error(
            doc,
            doc.line(line0),
            Code.DIRECTIVE,
            f"@{name} needs a file name",
            f"write @{name}/<path in this folder>",
            doc.col(line0, "@" + name),
        )
    return ctx.resolve_asset(rest.strip(), doc, line0, teacher, what=what)


def embed_directive(
    ctx: RenderContext, doc: Doc, line0: int | None, teacher: bool, url: str, alt: str, title: str
) -> tuple[str, bool]:
    """The image form. Returns (trusted HTML, is block-level)."""
    match = DIRECTIVE.match(url)
    name, rest = (match.group(1), match.group(2) or "") if match else (url[1:], "")
    lang = ctx.key.language
    line = doc.line(line0)
    if name == "learning-object":
        ref, why = parse_object_ref(unquote(rest))
        if ref is None:
            report_bad_ref(ctx, doc, line0, url, why)
            return escape(alt), False
        add_reference(ctx, ref, "transclude", line, teacher)
        ctx.transclusions.add(ref.marker)
        return TRANSCLUSION_MARKER.format(ref=media.attr(ref.marker)), True
    if name in EMBEDS:
        target = rest.strip()
        if not target.lower().startswith(("http://", "https://")):
            ctx.error(
                doc,
                line,
                Code.DIRECTIVE_OPTION,
                f"@{name} needs a full http(s) URL, got '{target}'",
                f"write @{name}/https://…",
                doc.col(line0, url),
            )
            return escape(alt), False
        src = media.embed_url(target)
        if host_allowed(src, ctx.options.iframe_allowlist):
            return media.iframe(src, title or alt), True
        ctx.warn(
            doc,
            line,
            Code.IFRAME_HOST,
            f"@{name}: the host of '{target}' is not on the iframe allowlist; it is shown as a link",
            "allowed hosts: " + ", ".join(ctx.options.iframe_allowlist),
            doc.col(line0, url),
        )
        return media.external_link(target, alt or title or target), False
    if name in FILES:
        asset = _file(ctx, doc, line0, teacher, name, rest)
        broken = not asset.ok
        if name == "pdf":
            return media.pdf(asset.url, asset.rel or rest, lang, title or alt, broken=broken), True
        if name == "audio":
            return media.audio(asset.url, asset.rel or rest, lang, broken=broken), True
        xml = ctx.read_text(asset.rel, doc, line) if asset.ok else None
        return media.blockly(xml, asset.url, asset.rel or rest, lang, title or alt, broken=broken), True
    if name == "widget":
        return render_widget(ctx, doc, line0, rest, alt, teacher), True
    _unknown(ctx, doc, line0, url, name)
    return escape(alt), False


def link_directive(
    ctx: RenderContext, doc: Doc, line0: int | None, teacher: bool, url: str
) -> tuple[str, dict[str, str]]:
    """The link form. Returns (href, extra attributes)."""
    match = DIRECTIVE.match(url)
    name, rest = (match.group(1), match.group(2) or "") if match else (url[1:], "")
    if name == "learning-object":
        ref, why = parse_object_ref(unquote(rest))
        if ref is None:
            report_bad_ref(ctx, doc, line0, url, why)
            return "#", {}
        add_reference(ctx, ref, "link", doc.line(line0), teacher)
        return ctx.object_url(ref.hruid, ref.language, ref.version), {"class": "lp-object-link"}
    if name in EMBEDS:
        return rest.strip(), {"target": "_blank"}
    if name in FILES:
        asset = _file(ctx, doc, line0, teacher, name, rest)
        extra = {"download": ""} if name == "blockly" else {}
        if not asset.ok:
            extra["class"] = "lp-asset-missing"
        return asset.url, extra
    if name == "widget":
        ctx.error(
            doc,
            doc.line(line0),
            Code.DIRECTIVE,
            "@widget is embedded as an image, not linked",
            "write ![Label](@widget/name?param=value)",
            doc.col(line0, url),
        )
        return "#", {}
    _unknown(ctx, doc, line0, url, name)
    return "#", {}
