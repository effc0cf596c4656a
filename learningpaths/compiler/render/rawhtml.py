"""Raw HTML written by authors: rewrite asset URLs, report what the sanitiser will remove.

Each ``html_block`` / ``html_inline`` token goes through ``rewrite_html`` with a ``RawScope`` that
persists across the tokens of one document, so an element with class ``teacher_only`` opened in
one HTML block marks everything up to its end tag as teacher-only (Dwengo's convention).

This is not the security boundary (``sanitize.py`` is): it gives authors warnings with line
numbers, rewrites ``<img src="rel.png">`` like Dwengo does, maps ``<center>`` to a div, and strips
our own ``lp-*`` classes, ``data-lp-*`` and the other ``RESERVED_DATA`` attributes, so content
cannot forge widgets, questions, cells or transclusion markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

from ..codes import Code
from .context import Doc, RenderContext
from .links import rewrite_href, rewrite_src
from .media import embed_url
from .sanitize import host_allowed

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
URL_ATTRS = {
    "href",
    "src",
    "xlink:href",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "cite",
    "codebase",
    "dynsrc",
    "lowsrc",
    "srcset",
}
DROPPED_TAGS = {"object", "applet", "base", "meta", "link", "frame", "frameset", "param", "svg", "math"}
# Attributes with a meaning for our page scripts: only the renderer may emit them.
RESERVED_DATA = {"data-widget", "data-params", "data-question-id", "data-kind"}
MEDIA_SRC = {"audio", "video", "source", "embed", "track"}
_CTRL = re.compile(r"[\s\x00-\x1f]+")


@dataclass
class RawScope:
    """Open raw-HTML elements of one document and whether each carries class ``teacher_only``.

    Every operation is O(1) amortised, so tens of thousands of nested elements stay linear: each
    entry keeps whether it or an element around it is teacher-only, and ``where`` indexes the open
    positions of each tag (an entry is pushed and popped once).
    """

    stack: list[tuple[str, bool]] = field(default_factory=list)  # (tag, teacher-only here or around it)
    where: dict[str, list[int]] = field(default_factory=dict)

    @property
    def teacher(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def open(self, tag: str, teacher_only: bool) -> None:
        self.where.setdefault(tag, []).append(len(self.stack))
        self.stack.append((tag, teacher_only or self.teacher))

    def close(self, tag: str) -> None:
        open_at = self.where.get(tag)
        if not open_at:
            return
        cut = open_at[-1]
        while len(self.stack) > cut:
            self.where[self.stack.pop()[0]].pop()


class _Rewriter(HTMLParser):
    def __init__(self, ctx: RenderContext, doc: Doc, line0: int | None, teacher: bool, scope: RawScope, inline: bool):
        super().__init__(convert_charrefs=False)
        self.ctx, self.doc, self.line0, self.teacher, self.scope = ctx, doc, line0, teacher, scope
        self.center = "span" if inline else "div"  # <center> inside a paragraph must stay phrasing content
        self.out: list[str] = []
        self.dropping: str | None = None  # skip everything up to this end tag

    # -- helpers -----------------------------------------------------------------------------
    def _where(self) -> tuple[int | None, int]:
        line0 = None if self.line0 is None else self.line0 + self.getpos()[0] - 1
        text = self.get_starttag_text() or ""
        return line0, self.doc.col(line0, text[:40])

    def _warn(self, message: str, hint: str = "") -> None:
        line0, col = self._where()
        self.ctx.warn(self.doc, self.doc.line(line0), Code.UNSAFE_HTML, message, hint, col)

    # -- parser callbacks --------------------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag, attrs):
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if self.dropping:
            return
        if tag in ("script", "style"):
            hint = (
                "interactive parts are widgets or runnable cells; see docs/authoring.md"
                if tag == "script"
                else "use the classes of docs/authoring.md instead of <style>"
            )
            self._warn(f"<{tag}> is not allowed; it was removed with its content", hint)
            self.dropping = None if closed else tag
            return
        if tag in DROPPED_TAGS:
            self._warn(f"<{tag}> is not allowed and was removed")
            return
        line0, _ = self._where()
        classes = next((v or "" for k, v in attrs if k == "class"), "").split()
        teacher = self.teacher or self.scope.teacher or "teacher_only" in classes
        new: list[tuple[str, str | None]] = []
        broken = external = has_target = False
        for name, value in attrs:
            if name.startswith("on"):
                self._warn(
                    f'event handler {name}="…" on <{tag}> is not allowed; it was removed',
                    "interactive parts are widgets or runnable cells; see docs/authoring.md",
                )
                continue
            if name.startswith("data-lp") or name in RESERVED_DATA:
                continue
            if name == "srcdoc":
                self._warn(f"srcdoc on <{tag}> is not allowed; it was removed")
                continue
            if name == "class":
                value = " ".join(c for c in (value or "").split() if not c.startswith("lp-")) or None
                if value is None:
                    continue
            if value is not None and name in URL_ATTRS:
                flat = _CTRL.sub("", value).lower()
                if flat.startswith(("javascript:", "vbscript:")) or (
                    flat.startswith("data:") and not (tag == "img" and name == "src" and flat.startswith("data:image/"))
                ):
                    self._warn(f'{name}="{value[:30]}…" on <{tag}> is a script or data URL; it was removed')
                    continue
                if tag == "img" and name == "src":
                    href = rewrite_src(self.ctx, self.doc, line0, teacher, value)
                    value, broken = href.url, href.broken
                elif tag in MEDIA_SRC and name == "src":
                    href = rewrite_src(self.ctx, self.doc, line0, teacher, value, what="media file")
                    value, broken = href.url, href.broken
                elif tag == "a" and name == "href":
                    href = rewrite_href(self.ctx, self.doc, line0, teacher, value)
                    value, broken, external = href.url, href.broken, href.external
                elif tag == "iframe" and name == "src":
                    value = embed_url(value)
                    if not host_allowed(value, self.ctx.options.iframe_allowlist):
                        self._warn(
                            f"<iframe> from '{value[:60]}' is not on the iframe allowlist; it was removed",
                            "allowed hosts: " + ", ".join(self.ctx.options.iframe_allowlist),
                        )
                        self.dropping = None if closed else "iframe"
                        return
            has_target = has_target or name == "target"
            new.append((name, value))
        if tag == "iframe" and not any(n == "src" for n, _ in new):
            self._warn("<iframe> without an allowed src was removed")
            self.dropping = None if closed else "iframe"
            return
        if tag == "img" and not any(n == "alt" for n, _ in new):  # alt="" marks a decorative image
            self.ctx.warn(
                self.doc,
                self.doc.line(line0),
                Code.IMAGE_ALT,
                "<img> has no alt text",
                'describe the image: <img src="…" alt="what it shows">',
                self._where()[1],
            )
        if tag == "a" and external and not has_target:
            new.append(("target", "_blank"))
        if broken:
            new = _add_class(new, "lp-asset-missing")
        if "teacher_only" in classes:  # Dwengo's convention: styled like our teacher blocks
            new = _add_class(new, "lp-teacher-only")
        if tag == "center":
            tag, new = self.center, _add_class(new, "lp-center")
        if tag not in VOID and not closed:
            self.scope.open(tag, "teacher_only" in classes)
        self.out.append(_start_tag(tag, new))

    def handle_endtag(self, tag):
        if self.dropping:
            if tag == self.dropping:
                self.dropping = None
            return
        if tag in DROPPED_TAGS:
            return
        self.scope.close(tag)
        self.out.append(f"</{self.center if tag == 'center' else tag}>")

    def handle_data(self, data):
        if not self.dropping:
            # A '<' that reaches here starts no complete tag: keep it as text, never as markup.
            self.out.append(data.replace("<", "&lt;"))

    def handle_entityref(self, name):
        if not self.dropping:
            self.out.append(f"&{name};")

    def handle_charref(self, name):
        if not self.dropping:
            self.out.append(f"&#{name};")

    # Comments, declarations and processing instructions are dropped (nh3 would drop them too).
    def handle_comment(self, data):
        pass

    def handle_decl(self, decl):
        pass

    def handle_pi(self, data):
        pass

    def unknown_decl(self, data):
        pass


def _add_class(attrs: list[tuple[str, str | None]], cls: str) -> list[tuple[str, str | None]]:
    for i, (name, value) in enumerate(attrs):
        if name == "class":
            attrs[i] = ("class", f"{value} {cls}".strip())
            return attrs
    return [*attrs, ("class", cls)]


def _start_tag(tag: str, attrs: list[tuple[str, str | None]]) -> str:
    parts = [tag] + [name if value is None else f'{name}="{escape(value, quote=True)}"' for name, value in attrs]
    return "<" + " ".join(parts) + ">"


def rewrite_html(
    ctx: RenderContext, doc: Doc, line0: int | None, teacher: bool, html: str, scope: RawScope, *, inline: bool = False
) -> str:
    """Rewrite one raw-HTML token; ``scope`` carries open elements from earlier tokens."""
    parser = _Rewriter(ctx, doc, line0, teacher, scope, inline)
    try:
        parser.feed(html)
        parser.close()
    except AssertionError:  # html.parser's one refusal: "<![foo[" ("unknown status keyword"); show it as text
        return escape(html)
    return "".join(parser.out)
