"""``manage.py newobject HRUID --title T [--language en] [--path PATH_HRUID] [--source DIR]``.

Writes a learning object whose front matter already compiles, in the Dwengo layout, and with
``--path`` adds it as the last step of that YAML path. Refuses an hruid the tree already has.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from learningpaths.compiler import compile_content
from learningpaths.compiler.reader import OBJECT_SOURCES, PATH_FOLDER, PATH_SUFFIXES, editor_paths
from learningpaths.compiler.scaffold import append_step, folder_for, object_text, problems_with


def _field(text: str, name: str) -> str | None:
    """A top-level value of a front matter or a YAML path, read without a full parse."""
    match = re.search(rf"^{name}:\s*['\"]?([^'\"\n#]+?)['\"]?\s*(#.*)?$", text[:4000], re.M)
    return match.group(1).strip() if match else None


def _path_identity(file: Path) -> tuple[str | None, str | None]:
    text = file.read_text(encoding="utf-8", errors="replace")
    if file.suffix == ".json":
        try:
            data = json.loads(text)
        except ValueError:
            return None, None
        return (data.get("hruid"), data.get("language")) if isinstance(data, dict) else (None, None)
    return _field(text, "hruid"), _field(text, "language")


class Command(BaseCommand):
    help = "Create a learning object with valid front matter (and add it to a YAML path)."

    def add_arguments(self, parser):
        parser.add_argument("hruid")
        parser.add_argument("--title", required=True)
        parser.add_argument("--language", default="en")
        parser.add_argument("--description", default="")
        parser.add_argument("--path", dest="path_hruid", default=None, help="add it as the last step of this path")
        parser.add_argument("--source", default=None, help="content folder (default: CONTENT_DIR)")

    def handle(self, *args, hruid, title, language, description, path_hruid, source, **options):
        root = Path(source or settings.CONTENT_DIR)
        problems = problems_with(hruid, language)
        if problems:
            raise CommandError("; ".join(problems))
        objects = {}  # hruid -> folder, for this language
        for marker in OBJECT_SOURCES:
            for file in root.rglob(marker):
                text = file.read_text(encoding="utf-8", errors="replace")
                if _field(text, "language") in (language, None):
                    objects.setdefault(_field(text, "hruid"), file.parent)
        if hruid in objects:
            raise CommandError(f"an object with hruid '{hruid}' ({language}) exists already: {objects[hruid]}")
        path_file = near = None
        if path_hruid:
            path_file = next(
                (
                    f
                    for f in sorted(root.rglob("*"))
                    if f.suffix in PATH_SUFFIXES
                    and PATH_FOLDER.search(f.parent.as_posix())
                    and _path_identity(f)[0] == path_hruid
                    and _path_identity(f)[1] in (language, None)
                ),
                None,
            )
            if path_file is None:
                raise CommandError(f"no learning path '{path_hruid}' ({language}) under {root}")
            steps = re.findall(r"^\s*-\s*(?:hruid:\s*)?([\w-]+)\s*$", path_file.read_text(encoding="utf-8"), re.M)
            near = next((objects[h] for h in reversed(steps) if h in objects), None)
        folder = folder_for(root / "learning_objects", language, hruid, near)
        folder.mkdir(parents=True, exist_ok=False)
        index = folder / "index.md"
        index.write_text(object_text(hruid=hruid, language=language, title=title, description=description))
        self.stdout.write(f"wrote {index}")
        if path_file is not None:
            added = append_step(path_file.read_text(encoding="utf-8"), hruid) if path_file.suffix != ".json" else None
            if added is not None:
                path_file.write_text(added, encoding="utf-8")
                self.stdout.write(f"added {hruid} as the last step of {path_file}")
            else:
                self.stdout.write(
                    f"add it to {path_file} by hand: a node "
                    f'{{"learningobject_hruid": "{hruid}", "language": "{language}", "version": 1}} and a '
                    "transition to it from the step before (or list the path's steps in YAML: docs/authoring.md 14)"
                )
        result = compile_content([folder])
        for d in editor_paths(result.diagnostics, [folder]):
            self.stderr.write(d.format())
        self.stdout.write(
            "next: make preview, and open the new page" if not result.errors else "fix the problems above"
        )
