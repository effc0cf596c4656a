"""What the service worker (``static/site/sw.js``) needs from the server: its version, the files of
the Python runtime, the URLs it must never cache, and a path's offline manifest (reads only).

The worker's version changes whenever a new content build or a new static build lands, so the
browser installs the new worker, whose ``activate`` removes the caches of the old one:

* ``files_version``: the static build. In production, a hash of ManifestStaticFilesStorage's
  manifest (every hashed name) and of the engine and bytecode manifests; in development (DEBUG,
  no hashed names) the sizes and times of the site's own static files, so an edit is seen.
* ``version``: ``files_version`` plus the content build token (``paths.selectors_cache``).
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language

from learningpaths import layout
from learningpaths.paths import selectors as content
from learningpaths.paths.models import ObjectAsset
from learningpaths.paths.querysets import can_see_teacher_content
from learningpaths.paths.selectors_cache import current_token
from learningpaths.runtime import assets
from learningpaths.runtime.templatetags.runtime import needs_python, runtime_config

SW_SOURCE = "site/sw.js"
# Per-user or state-changing routes: the worker passes them to the network and stores nothing.
# (Answers live under learn/, a class's pages and the return values under classes/.)
NEVER_CACHED = ("/api/", "/accounts/", "/classes/", "/admin/", "/learn/", "/i18n/")
# The site's own files every page or lesson may load (under STATIC_URL, through ``static()``).
PAGE_FILES = (
    "css/site.css",
    "site/favicon.svg",
    "site/disclosure.js",
    "site/embeds.js",
    "site/tables.js",
    "site/offline.js",
    "js/content.js",
)
LESSON_FILES = ("css/runtime.css", "css/questions.css", "site/questions.js", "site/player.js")
VENDOR_FILES = (
    "vendor/katex/katex.min.css",
    "vendor/katex/katex.min.js",
    "vendor/katex/contrib/auto-render.min.js",
    "vendor/highlight/github.min.css",
    "vendor/highlight/highlight.min.js",
)


def _hash(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def _read(path: Path | None) -> bytes:
    try:
        return path.read_bytes() if path else b""
    except OSError:
        return b""


def _static_manifest() -> bytes:
    """ManifestStaticFilesStorage's manifest (its hashed names), empty without one."""
    name = getattr(staticfiles_storage, "manifest_name", None)
    if not name or not staticfiles_storage.exists(name):
        return b""
    with staticfiles_storage.open(name) as fh:
        return fh.read()


def _site_static_stamp() -> str:
    """Sizes and modification times of the site's own static files (development only)."""
    rows = []
    for path in sorted(layout.SITE_STATIC_DIR.rglob("*")):
        if path.is_file():
            st = path.stat()
            rows.append(f"{path.relative_to(layout.SITE_STATIC_DIR)}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(rows)


def _files_version() -> str:
    runtime = (
        assets.PYODIDE_VERSION,
        _read(assets.ENGINE_MANIFEST),
        _read(assets.PYC_MANIFEST),
        _read(Path(found)) if (found := finders.find(SW_SOURCE)) else b"",
    )
    if settings.DEBUG:
        return _hash(*runtime, _site_static_stamp())
    return _hash(*runtime, _static_manifest())


# Production: one static build per process (collectstatic runs before the servers start).
_files_version_cached = functools.lru_cache(maxsize=1)(_files_version)


def files_version() -> str:
    return _files_version() if settings.DEBUG else _files_version_cached()


def worker_version() -> str:
    return _hash(files_version(), repr(current_token()))


def runtime_files() -> list[str]:
    """Every URL a lesson with Python cells loads: Pyodide, NumPy, the engine, the bytecode, the
    page's runtime modules and the worker script (the same URLs the pages use, see
    ``runtime.templatetags.runtime.runtime_config``)."""
    config = runtime_config()
    index = config["indexURL"]
    urls = [index + name for name in ("pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "pyodide-lock.json")]
    # NumPy: its prepared site files, or (without them) the wheel that loadPackage reads.
    urls.append(config["numpySiteURL"] or index + assets.NUMPY_WHEEL)
    urls.append(config["stdLibURL"] or index + "python_stdlib.zip")
    urls += [config[k] for k in ("engineURL", "enginePycURL") if config[k]]
    modules = layout.SITE_STATIC_DIR / "js" / "runtime"
    for module in sorted(modules.rglob("*.js")):
        name = module.relative_to(layout.SITE_STATIC_DIR).as_posix()
        # The page links the hashed name; a module's relative imports ask for the plain one.
        urls += [static(name), settings.STATIC_URL + name]
    return list(dict.fromkeys(urls))


def vendor_files() -> list[str]:
    """KaTeX and highlight.js as content.js loads them (``static('vendor/')`` + the plain name, as
    runtime/includes/runtime.html tells it), with every KaTeX font its CSS may ask for."""
    fonts = sorted(p.name for p in (assets.KATEX_DIR / "fonts").glob("*.woff2")) if assets.KATEX_DIR.is_dir() else []
    vendor = static("vendor/")
    names = (*VENDOR_FILES, *(f"vendor/katex/fonts/{f}" for f in fonts))
    return [vendor + name.removeprefix("vendor/") for name in names]


def blockly_files(language: str) -> list[str]:
    """Blockly as content.js loads it for a page with a program (figure.lp-blockly): the vendored
    library and the messages of the lesson's language, then our viewer."""
    lang = language if language in assets.BLOCKLY_LANGUAGES else "en"
    vendor = static("vendor/")
    names = ("blockly/blockly_compressed.js", "blockly/blocks_compressed.js", f"blockly/msg/{lang}.js")
    return [vendor + name for name in names] + [static("js/blockly.js")]


def worker_config() -> dict:
    """The constants sw.js starts with (``self.LP_SW``)."""
    return {
        "version": worker_version(),
        "filesVersion": files_version(),
        "offlineURL": reverse("learning:offline"),
        "staticURL": settings.STATIC_URL,
        "never": list(NEVER_CACHED),
        "runtime": runtime_files(),
    }


def worker_source() -> str:
    """``static/site/sw.js`` with its configuration in front."""
    path = finders.find(SW_SOURCE)
    source = Path(path).read_text(encoding="utf-8") if path else ""
    config = json.dumps(worker_config(), separators=(",", ":"))
    return f"self.LP_SW = {config};\n{source}"


def path_offline_manifest(*, user, hruid: str, language: str, as_student: bool = False) -> dict:
    """The pages and files that make one path work offline, for this user: every step they can
    see (teacher-only steps and files only for a teacher who is not viewing as a student), the
    runtime when a step has Python, the site's scripts and styles and each object's own files."""
    path = content.path_get(user=user, hruid=hruid, language=language)
    nodes = content.path_nodes(path=path, user=user, as_student=as_student)
    query = "?as=student" if as_student else ""
    pages = [path.get_absolute_url() + query]
    pages += [reverse("learning:path_node", args=[path.hruid, path.language, n.obj.hruid]) + query for n in nodes]
    files = [static(name) for name in (*PAGE_FILES, *LESSON_FILES)]
    files.append(reverse("javascript-catalog", args=[get_language()]))  # the UI language, as base.html
    files += vendor_files()
    htmls = [content.object_html(obj=n.obj, user=user, as_student=as_student) for n in nodes]
    if any(needs_python(html) for html in htmls):
        files += runtime_files()
    if any('class="lp-blockly' in html for html in htmls):
        files += blockly_files(path.language)
    teacher = can_see_teacher_content(user) and not as_student
    object_assets = ObjectAsset.objects.filter(learning_object__in=[n.obj.pk for n in nodes]).select_related(
        "learning_object"
    )
    for asset in object_assets.order_by("learning_object_id", "path"):
        if asset.teacher_only and not teacher:
            continue
        obj = asset.learning_object
        files.append(reverse("paths:asset", args=[obj.hruid, obj.language, obj.version, asset.path]))
    return {"version": worker_version(), "pages": list(dict.fromkeys(pages)), "files": list(dict.fromkeys(files))}
