"""The build step a wheel needs beyond pyproject.toml: the site's own static files and compiled
translations, neither of which lives in the package in a checkout.

- ``static/{css,js,site}`` (top level of the repository, where the checkout serves them from)
  are copied into the wheel as ``learningpaths/_static/`` (``layout.SITE_STATIC_DIR`` when installed);
- every ``learningpaths/**/locale/*/LC_MESSAGES/*.po`` is compiled to its ``.mo`` with polib
  (git ignores ``.mo`` files; ``scripts/compile_messages.py`` makes them in a checkout).

Both are written into the build folder only, never into the source tree. The generated browser
runtime (``static/vendor``, ``static/engine``: tens of MB of third-party files) is not ours to
ship; an installed site makes it with ``manage.py vendorassets``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SITE_STATIC = ("css", "js", "site")


class build_py_with_site_files(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # an editable install serves the checkout's own static/ and .mo files
            return
        package = Path(self.build_lib) / "learningpaths"
        self.copy_site_static(package / "_static")
        self.compile_translations(package)

    def copy_site_static(self, dest: Path) -> None:
        if dest.exists():
            shutil.rmtree(dest)
        for name in SITE_STATIC:
            src = ROOT / "static" / name
            if not src.is_dir():
                raise SystemExit(f"setup.py: {src} is missing; the wheel would have no {name}/ static files.")
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("*.gz", ".*"))

    def compile_translations(self, package: Path) -> None:
        import polib  # a build requirement (pyproject.toml [build-system])

        for po_path in sorted((ROOT / "learningpaths").glob("**/locale/*/LC_MESSAGES/*.po")):
            mo_path = package / po_path.relative_to(ROOT / "learningpaths").with_suffix(".mo")
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))


setup(cmdclass={"build_py": build_py_with_site_files})
