"""One renderer per Dwengo ``content_type`` (FORMAT.md 1.2). Each returns (student, teacher) HTML.

Objects described by ``metadata.md``/``metadata.yaml`` have no body: the content is the first
matching file of the folder (top-level files first, then by name).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from html import escape

from ..codes import Code
from . import media
from .context import Doc, RenderContext
from .ct_schema import render_ct_schema
from .forms import emit_questions
from .fragments import fragment_renderer
from .gift import parse_gift
from .markdown import get_md, render_markdown
from .sanitize import host_allowed

IMAGE_EXTS = (".jpg", ".jpeg", ".png", ".svg", ".gif")
ASPECTS = ("iframe-16-9", "iframe-1-1", "iframe-1-2")
PLACEHOLDERS = ("", "example-location", "none", "content/location/http")

Variants = tuple[str, str]
Clean = Callable[[str], str]


def first_file(ctx: RenderContext, exts: tuple[str, ...], exclude: tuple[str, ...] = ()) -> str | None:
    names = [f for f in ctx.inp.files if f.lower().endswith(exts) and posixpath.basename(f) not in exclude]
    names.sort(key=lambda f: (f.count("/"), f))
    return names[0] if names else None


def _source_doc(ctx: RenderContext) -> Doc:
    return Doc(ctx.inp.source_path, ctx.inp.body_line, ctx.inp.body or "")


def _file_doc(ctx: RenderContext, rel: str, text: str) -> Doc:
    return Doc(posixpath.join(posixpath.dirname(ctx.inp.source_path), rel), 1, text)


def _missing(ctx: RenderContext, what: str) -> Variants:
    files = ", ".join(sorted(ctx.inp.files)) or "no files"
    ctx.error(
        _source_doc(ctx),
        0,
        Code.CONTENT_TYPE,
        f"content_type '{ctx.inp.content_type}' needs {what} in the object folder",
        f"the folder holds: {files}",
    )
    return "", ""


def _meta_line(ctx: RenderContext, field: str) -> int:
    """Line of ``field:`` in the source file (0 when it cannot be found)."""
    try:
        text = (ctx.inp.folder / posixpath.basename(ctx.inp.source_path)).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 0
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith(field + ":"):
            return number
    return 0


def _markdown(ctx: RenderContext, clean: Clean, *, ct_schema: bool = False) -> Variants:
    if ctx.inp.body is not None:
        doc = _source_doc(ctx)
    else:
        rel = first_file(ctx, (".md",), exclude=("index.md", "metadata.md"))
        if rel is None:
            return _missing(ctx, "a .md file")
        text = ctx.read_text(rel, _source_doc(ctx), 0)
        if text is None:
            return "", ""
        doc = _file_doc(ctx, rel, text)
    if ct_schema:
        grid = render_ct_schema(ctx, doc, clean)
        if grid is not None:
            return grid
        ctx.warn(
            doc,
            doc.line_base,
            Code.CONTENT_TYPE,
            "text/ct-schema object has none of the six sections",
            "wrap the parts in <context>, <decomposition>, <patternRecognition>, <abstraction>,"
            " <algorithms> and <implementation>",
        )
    return render_markdown(ctx, doc)


def _asset(ctx: RenderContext, exts: tuple[str, ...], what: str):
    rel = first_file(ctx, exts)
    if rel is None:
        return None
    return ctx.resolve_asset(rel, _source_doc(ctx), None, False, what=what)


def _image(ctx: RenderContext, block: bool) -> Variants:
    asset = _asset(ctx, IMAGE_EXTS, "image")
    if asset is None:
        return _missing(ctx, "an image (.jpg, .jpeg, .png, .svg or .gif)")
    html = media.img(asset.url, str(ctx.inp.metadata.get("title") or ""))
    html = f'<div class="lp-image-block">{html}</div>\n' if block else f"<p>{html}</p>\n"
    return html, html


def _audio(ctx: RenderContext) -> Variants:
    asset = _asset(ctx, (".mp3",), "audio file")
    if asset is None:
        return _missing(ctx, "an .mp3 file")
    html = media.audio(asset.url, asset.rel, ctx.key.language) + "\n"
    return html, html


def _pdf(ctx: RenderContext) -> Variants:
    asset = _asset(ctx, (".pdf",), "PDF")
    if asset is None:
        return _missing(ctx, "a .pdf file")
    html = media.pdf(asset.url, asset.rel, ctx.key.language, str(ctx.inp.metadata.get("title") or "")) + "\n"
    return html, html


def _blockly(ctx: RenderContext) -> Variants:
    asset = _asset(ctx, (".xml",), "Blockly file")
    if asset is None:
        return _missing(ctx, "a Blockly .xml file")
    xml = ctx.read_text(asset.rel, _source_doc(ctx), 0)
    html = media.blockly(xml, asset.url, asset.rel, ctx.key.language, str(ctx.inp.metadata.get("title") or "")) + "\n"
    return html, html


def _extern(ctx: RenderContext) -> Variants:
    meta = ctx.inp.metadata
    doc = _source_doc(ctx)
    url = str(meta.get("content_location") or "").strip()
    if url.lower() in PLACEHOLDERS or not url.lower().startswith(("http://", "https://")):
        ctx.error(
            doc,
            _meta_line(ctx, "content_location"),
            Code.CONTENT_TYPE,
            f"an extern object needs content_location: the http(s) URL to embed (got '{url}')",
            "content_location: https://www.youtube.com/watch?v=…",
        )
        return "", ""
    aspect = str(meta.get("aspect_ratio") or "iframe-1-1")
    if aspect not in ASPECTS:
        ctx.warn(
            doc,
            _meta_line(ctx, "aspect_ratio"),
            Code.FIELD_VALUE,
            f"aspect_ratio '{aspect}' is not one of {', '.join(ASPECTS)}; iframe-1-1 is used",
            "",
        )
        aspect = "iframe-1-1"
    src = media.embed_url(url)
    title = str(meta.get("title") or "")
    if host_allowed(src, ctx.options.iframe_allowlist):
        html = media.iframe(src, title, aspect) + "\n"
    else:
        ctx.warn(
            doc,
            _meta_line(ctx, "content_location"),
            Code.IFRAME_HOST,
            f"the host of '{url}' is not on the iframe allowlist; a link is shown instead",
            "allowed hosts: " + ", ".join(ctx.options.iframe_allowlist),
        )
        html = f"<p>{media.external_link(url, title or url)}</p>\n"
    return html, html


def _plain(ctx: RenderContext) -> Variants:
    rel = first_file(ctx, (".txt",))
    if rel is None:
        return _missing(ctx, "a .txt file")
    text = ctx.read_text(rel, _source_doc(ctx), 0)
    html = f'<pre class="lp-plain-text">{escape(text or "", quote=False)}</pre>\n'
    return html, html


def _gift(ctx: RenderContext) -> Variants:
    rel = first_file(ctx, (".txt", ".gift"))
    if rel is None:
        return _missing(ctx, "a GIFT .txt file")
    text = ctx.read_text(rel, _source_doc(ctx), 0)
    if text is None:
        return "", ""
    doc = _file_doc(ctx, rel, text)
    specs, problems = parse_gift(text, 1)
    for line, message, hint in problems:
        ctx.error(doc, line, Code.GIFT, message, hint)
    html = emit_questions(ctx, specs, doc, False, fragment_renderer(get_md(), ctx))
    return html, html


def render_content(ctx: RenderContext, clean: Clean) -> Variants:
    """Raw (unsanitised) student and teacher HTML for the object's content type."""
    content_type = ctx.inp.content_type
    handlers: dict[str, Callable[[], Variants]] = {
        "text/markdown": lambda: _markdown(ctx, clean),
        "text/ct-schema": lambda: _markdown(ctx, clean, ct_schema=True),
        "blockly": lambda: _blockly(ctx),
        "image/image": lambda: _image(ctx, False),
        "image/image-block": lambda: _image(ctx, True),
        "audio/mpeg": lambda: _audio(ctx),
        "application/pdf": lambda: _pdf(ctx),
        "extern": lambda: _extern(ctx),
        "text/plain": lambda: _plain(ctx),
        "text/gift": lambda: _gift(ctx),
    }
    handler = handlers.get(content_type)
    if handler is None:
        ctx.warn(
            _source_doc(ctx),
            0,
            Code.CONTENT_TYPE,
            f"unknown content_type '{content_type}'; the body is rendered as Markdown",
            "known types: " + ", ".join(handlers),
        )
        return _markdown(ctx, clean)
    return handler()
