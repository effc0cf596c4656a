"""Settings the compiler takes from its caller (the Django side passes its own URLs and allowlist)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .widget_specs import WIDGETS

DEFAULT_IFRAME_ALLOWLIST = (
    "www.youtube.com",
    "youtube.com",
    "www.youtube-nocookie.com",
    "player.vimeo.com",
    "dwengo.org",
    "www.dwengo.org",
    "kiks.ilabt.imec.be",
    "blockly.dwengo.org",
)

# Widgets that lessons can place with one line of Markdown: the registry's (widget_specs.py).
KNOWN_WIDGETS = tuple(WIDGETS)


@dataclass(frozen=True)
class CompileOptions:
    """URL templates use ``str.format`` with the named fields shown."""

    # {hruid} {language} {version}
    object_url: str = "/objects/{hruid}/{language}/{version}/"
    # {hruid} {language} {version} {path}  (path is the POSIX path inside the object folder)
    asset_url: str = "/objects/{hruid}/{language}/{version}/assets/{path}"
    # {hruid} {language}; a node anchor "#{hruid};{language};{version}" may follow
    path_url: str = "/paths/{hruid}/{language}/"
    iframe_allowlist: tuple[str, ...] = DEFAULT_IFRAME_ALLOWLIST
    widgets: tuple[str, ...] = KNOWN_WIDGETS
    strict: bool = False
    # Where rendered objects are cached by source hash, so unchanged objects are not re-rendered.
    cache_dir: Path | None = None
    # Show a progress bar on stderr (only when it is a terminal).
    progress: bool = False
    # Processes that render objects: 0 = one per CPU for large builds, 1 = render in this process.
    jobs: int = 0
    extra: dict = field(default_factory=dict)
