"""URLs in content: what kind each is, Dwengo links to internal routes, assets, object references.

Used by the Markdown link/image plugin and by the raw-HTML rewriter, so a link means the same
thing whichever way the author wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from ..codes import Code
from .context import Doc, RenderContext
from .types import Reference

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
DIRECTIVE = re.compile(r"^@([A-Za-z][\w-]*)(?:/(.*))?$", re.S)
_PATH_PAGE = re.compile(r"^/(?:[a-z]{2}/)?learning-path\.html$")
_OBJECT_API = re.compile(r"^/(?:backend/)?api/learningObject/(getWrapped|getRaw)/?$")
DWENGO_HOSTS = {"dwengo.org", "www.dwengo.org"}


def kind_of(url: str) -> str:
    """directive | external | anchor | scheme | absolute | relative | empty"""
    url = url.strip()
    if not url:
        return "empty"
    if url.startswith("@"):
        return "directive"
    if url.startswith("#"):
        return "anchor"
    if url.startswith("//") or re.match(r"^https?:", url, re.I):
        return "external"
    if _SCHEME.match(url):
        return "scheme"
    if url.startswith("/"):
        return "absolute"
    return "relative"


@dataclass
class ObjectRef:
    hruid: str
    language: str
    version: int | None

    @property
    def marker(self) -> str:
        return f"{self.hruid}/{self.language}/{'latest' if self.version is None else self.version}"


def parse_object_ref(rest: str) -> tuple[ObjectRef | None, str]:
    """``hruid/lang[/version]`` → (ref, "") or (None, why)."""
    parts = [p.strip() for p in rest.strip().strip("/").split("/")]
    if len(parts) not in (2, 3) or not all(parts):
        return None, "expected @learning-object/<hruid>/<language>/<version>"
    hruid, language = parts[0], parts[1].lower()
    if not re.fullmatch(r"[\w.-]+", hruid):
        return None, f"'{hruid}' is not a valid hruid (letters, digits, '_', '-', '.')"
    if not re.fullmatch(r"[a-z]{2,3}", language):
        return None, f"'{parts[1]}' is not a language code such as 'nl' or 'en'"
    version = None
    if len(parts) == 3 and parts[2] != "latest":
        if not re.fullmatch(r"\d+", parts[2]):
            return None, f"version '{parts[2]}' is not a whole number"
        version = int(parts[2])
    return ObjectRef(hruid, language, version), ""


def dwengo_link(ctx: RenderContext, url: str) -> tuple[str, str, ObjectRef] | None:
    """A dwengo.org learning-path or object URL → (internal URL, reference kind, ref), else None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https", "") or (parts.hostname or "").lower() not in DWENGO_HOSTS:
        return None
    query = {k: v[0].strip() for k, v in parse_qs(parts.query).items() if v}
    hruid, language = query.get("hruid", ""), query.get("language", "").lower()
    if not hruid or not language:
        return None
    if _PATH_PAGE.match(parts.path):
        target = ctx.path_url(hruid, language) + (f"#{parts.fragment}" if parts.fragment else "")
        return target, "path", ObjectRef(hruid, language, None)
    if _OBJECT_API.match(parts.path):
        version = int(query["version"]) if query.get("version", "").isdigit() else None
        return ctx.object_url(hruid, language, version), "link", ObjectRef(hruid, language, version)
    return None


def add_reference(ctx: RenderContext, ref: ObjectRef, kind: str, line: int, teacher: bool) -> None:
    ctx.references.append(
        Reference(
            hruid=ref.hruid, language=ref.language, version=ref.version, kind=kind, line=line, teacher_only=teacher
        )
    )


@dataclass
class Href:
    url: str
    external: bool = False
    broken: bool = False


def rewrite_href(
    ctx: RenderContext, doc: Doc, line0: int | None, teacher: bool, url: str, *, what: str = "linked file"
) -> Href:
    """Where a link (``<a href>``) should point. Directives are handled by ``directives.py``."""
    kind = kind_of(url)
    if kind == "external":
        hit = dwengo_link(ctx, url)
        if hit:
            target, ref_kind, ref = hit
            add_reference(ctx, ref, ref_kind, doc.line(line0), teacher)
            return Href(target)
        return Href(url.strip(), external=True)
    if kind == "relative":
        asset = ctx.resolve_asset(url, doc, line0, teacher, what=what)
        return Href(asset.url, broken=not asset.ok)
    return Href(url.strip())


def rewrite_src(
    ctx: RenderContext, doc: Doc, line0: int | None, teacher: bool, url: str, *, what: str = "image"
) -> Href:
    """Where an embedded resource (``<img src>`` etc.) should come from."""
    kind = kind_of(url)
    if kind == "relative":
        asset = ctx.resolve_asset(url, doc, line0, teacher, what=what)
        return Href(asset.url, broken=not asset.ok)
    return Href(url.strip(), external=kind == "external")


def report_bad_ref(ctx: RenderContext, doc: Doc, line0: int | None, raw: str, why: str) -> None:
    ctx.error(
        doc,
        doc.line(line0),
        Code.REF_SYNTAX,
        f"malformed learning-object reference '{raw}': {why}",
        "write it as @learning-object/<hruid>/<language>/<version>, e.g. @learning-object/lcd_m1/nl/3",
        doc.col(line0, raw),
    )
