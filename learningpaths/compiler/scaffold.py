"""A new learning object, and a step added to a YAML path, as text (``manage.py newobject``).

The front matter holds every required field of :data:`.schema.OBJECT_FIELDS` with a valid value,
so the object compiles as it is; the caller writes the files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .schema import OBJECT_FIELDS
from .validators import LANGUAGES

# Dwengo's repository names its language folders in the language itself.
LANGUAGE_FOLDERS = {"nl": "nederlands", "en": "english", "fr": "francais", "de": "deutsch"}
_NUMBERED = re.compile(r"^(\d{2,})_")


def problems_with(hruid: str, language: str) -> list[str]:
    out = []
    if not hruid or "/" in hruid or any(ch.isspace() for ch in hruid):
        out.append(f"'{hruid}' cannot be an hruid: use letters, digits, '_' and '-' (no '/' or spaces)")
    if language not in LANGUAGES:
        out.append(f"'{language}' is not a two-letter ISO 639-1 language code (e.g. nl, en)")
    return out


def object_text(*, hruid: str, language: str, title: str, description: str = "", minutes: int = 10) -> str:
    values = {
        "hruid": hruid,
        "version": 1,
        "language": language,
        "title": title,
        "description": description or f"What '{title}' is about, in one or two sentences.",
        "keywords": [],
        "content_type": "text/markdown",
        "estimated_time": minutes,
        "target_ages": [12, 13, 14, 15, 16, 17, 18],
        "teacher_exclusive": False,
    }
    missing = [f.name for f in OBJECT_FIELDS if f.required and f.name not in values]
    assert not missing, f"scaffold lacks required fields {missing}"  # a new required field must be added here
    lines = [f"{name}: {json.dumps(value, ensure_ascii=False)}" for name, value in values.items()]
    return "---\n" + "\n".join(lines) + f"\n---\n\n# {title}\n\nWrite the lesson here.\n"


def folder_for(objects_root: Path, language: str, hruid: str, near: Path | None = None) -> Path:
    """Where the new object goes: next to ``near`` (an object folder of the same path) when given,
    else in the language's folder; numbered like its neighbours (``0070_hruid``) when they are."""
    parent = near.parent if near is not None else objects_root / LANGUAGE_FOLDERS.get(language, language)
    numbered = [
        (int(m.group(1)), len(m.group(1)))
        for p in (parent.iterdir() if parent.is_dir() else ())
        if (m := _NUMBERED.match(p.name))
    ]
    if numbered:
        top, width = max(numbered)
        return parent / f"{top // 10 * 10 + 10:0{width}d}_{hruid}"
    return parent / hruid


def append_step(text: str, hruid: str) -> str | None:
    """``text`` (a YAML path) with ``hruid`` as its last step, or None when it has no block-style
    ``steps:`` list to add to (the caller then says what to write by hand)."""
    lines = text.split("\n")
    try:
        start = next(i for i, line in enumerate(lines) if re.match(r"^steps:\s*(#.*)?$", line))
    except StopIteration:
        return None
    last, indent = None, None
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace() and not line.startswith("-"):
            break  # the next top-level key
        if line.lstrip().startswith("- ") and (indent is None or len(line) - len(line.lstrip()) == indent):
            indent = len(line) - len(line.lstrip())
        last = i
    if last is None or indent is None:
        return None
    lines.insert(last + 1, " " * indent + f"- {hruid}")
    return "\n".join(lines)
