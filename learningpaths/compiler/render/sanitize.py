"""The last step: nh3 (ammonia) cleaning, then removal of teacher-only raw HTML for students.

nh3 is the security boundary: whatever the plugins produce, nothing that leaves this module can
run script. Policies that nh3 cannot express by allowlists (iframe hosts, ``data:`` only for
images, embeds only of this object's assets, style declarations, class names) live in
``_attribute_filter``. Author-facing warnings about removed HTML are reported earlier, with line
numbers, by ``rawhtml.py``; this module is silent.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

TAGS = {
    "a",
    "abbr",
    "article",
    "aside",
    "audio",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "button",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "mark",
    "ol",
    "option",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
}
CLEAN_CONTENT_TAGS = {"script", "style", "noscript", "template", "xmp", "noembed", "noframes", "plaintext"}
ATTRIBUTES = {
    "*": {
        "id",
        "class",
        "title",
        "lang",
        "dir",
        "role",
        "hidden",
        "style",
        "aria-label",
        "aria-hidden",
        "aria-describedby",
        "aria-labelledby",
        "aria-live",
        "aria-expanded",
    },
    "a": {"href", "target", "name", "download", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "iframe": {"src", "width", "height", "allowfullscreen", "loading", "frameborder", "referrerpolicy"},
    "audio": {"src", "controls", "preload", "loop"},
    "video": {"src", "controls", "preload", "loop", "width", "height", "poster", "muted"},
    "source": {"src", "type", "media"},
    "embed": {"src", "type", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "input": {"name", "value", "step", "min", "max", "placeholder", "autocomplete", "inputmode", "size", "spellcheck"},
    "label": {"for"},
    "select": {"name"},
    "option": {"value"},
    "textarea": {"name", "rows", "cols", "placeholder", "spellcheck"},
    "details": {"open"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "bdo": set(),
}
TAG_ATTRIBUTE_VALUES = {
    "input": {"type": {"radio", "checkbox", "text", "number"}},
    "button": {"type": {"submit", "button", "reset"}},
}
STYLE_PROPERTIES = {
    "color",
    "background-color",
    "text-align",
    "vertical-align",
    "font-weight",
    "font-style",
    "font-size",
    "text-decoration",
    "width",
    "max-width",
    "min-width",
    "height",
    "max-height",
    "margin",
    "margin-left",
    "margin-right",
    "margin-top",
    "margin-bottom",
    "padding",
    "padding-left",
    "padding-right",
    "padding-top",
    "padding-bottom",
    "border",
    "border-collapse",
    "border-color",
    "border-style",
    "border-width",
    "display",
    "float",
    "clear",
    "list-style-type",
    "white-space",
}
URL_SCHEMES = {"http", "https", "mailto", "tel", "data"}

# Class names content may carry: exact names and prefixes (Dwengo's conventions and ours).
CLASS_NAMES = {
    "alert",
    "alert-box",
    "anchor",
    "header-link",
    "math",
    "inline",
    "display",
    "block",
    "dwengo-content",
    "dwengo_content",
    "fiche",
    "items",
    "info_item",
    "example_item",
    "table_container",
    "iframe-container",
    "ct_schema_container",
    "teacher_only",
    "assignment",
    "sideinfo",
    "important",
    "leerplandoelen",
    "dwengo-code-simulator",
    "title",
    "content",
    "text-center",
    "text-left",
    "text-right",
    "img-fluid",
    "table",
    "center",
    "info",
    "warning",
    "tip",
    "note",
    "success",
    "danger",
    "secondary",
    "primary",
}
CLASS_PREFIXES = ("alert-", "iframe-", "language-", "lang-", "lp-", "ct_schema_", "dwengo", "table-", "text-", "fiche")
_CLASS_RE = re.compile(r"^[A-Za-z][\w-]*$")
_BAD_CSS = re.compile(r"expression|url\s*\(|javascript:|@import|behavior|binding|\\", re.I)


def _keep_class(name: str) -> bool:
    return bool(_CLASS_RE.match(name)) and (name in CLASS_NAMES or name.startswith(CLASS_PREFIXES))


def host_allowed(url: str, allowlist) -> bool:
    """True when ``url`` is http(s) on a host in ``allowlist``."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    host = parts.hostname or ""
    return parts.scheme in ("http", "https", "") and bool(host) and host.lower() in {h.lower() for h in allowlist}


def make_cleaner(*, iframe_allowlist, asset_prefix: str, transclusions: set[str]) -> nh3.Cleaner:
    """A cleaner for one object; the closure knows its asset URLs and transclusion markers."""

    def attribute_filter(tag: str, attr: str, value: str) -> str | None:
        if attr == "class":
            kept = [c for c in value.split() if _keep_class(c)]
            return " ".join(kept) if kept else None
        if attr == "style":
            decls = [d for d in value.split(";") if d.strip() and not _BAD_CSS.search(d)]
            return ";".join(decls) if decls else None
        if attr == "data-lp-object":  # only the transclusion markers render_object emitted
            return value if value in transclusions else None
        if attr in ("src", "href") and value.strip().lower().startswith("data:"):
            ok = tag == "img" and attr == "src" and value.strip().lower().startswith("data:image/")
            return value if ok else None
        if tag == "iframe" and attr == "src":
            return value if host_allowed(value, iframe_allowlist) else None
        if tag == "embed" and attr == "src":  # plugins/documents: only this object's own files
            return value if value.startswith(asset_prefix) else None
        if attr == "target":
            return "_blank" if value == "_blank" else None
        return value

    return nh3.Cleaner(
        tags=TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=attribute_filter,
        tag_attribute_values=TAG_ATTRIBUTE_VALUES,
        generic_attribute_prefixes={"data-"},
        url_schemes=URL_SCHEMES,
        filter_style_properties=STYLE_PROPERTIES,
        strip_comments=True,
    )


class _TeacherOnlyFilter(HTMLParser):
    """Re-emits sanitised HTML without the elements whose class list holds ``teacher_only``."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.skip = 0  # depth inside a removed element

    def handle_starttag(self, tag, attrs):
        void = tag in self.VOID
        if self.skip:
            if not void:
                self.skip += 1
            return
        classes = next((v or "" for k, v in attrs if k == "class"), "").split()
        if "teacher_only" in classes:
            if not void:
                self.skip = 1
            return
        start = self.get_starttag_text()
        assert start is not None  # HTMLParser sets it before it calls handle_starttag
        self.out.append(start)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self.skip:
            self.skip -= 1
            return
        self.out.append(f"</{tag}>")

    def _raw(self, text: str) -> None:
        if not self.skip:
            self.out.append(text)

    def handle_data(self, data):
        self._raw(data.replace("<", "&lt;"))

    def handle_entityref(self, name):
        self._raw(f"&{name};")

    def handle_charref(self, name):
        self._raw(f"&#{name};")


def remove_teacher_only(html: str) -> str:
    """Drop raw-HTML elements with class ``teacher_only`` (Dwengo's convention) from clean HTML."""
    if "teacher_only" not in html:
        return html
    parser = _TeacherOnlyFilter()
    parser.feed(html)
    parser.close()
    return "".join(parser.out)
