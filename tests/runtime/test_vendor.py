"""learningpaths/runtime/vendor.py (``manage.py vendorassets``, ``scripts/vendor_assets.py``) refuses
files whose checksum does not match the pins."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from learningpaths.runtime import assets, vendor as vendor_module

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "vendor_assets.py"


@pytest.fixture
def vendor(monkeypatch):
    monkeypatch.setattr(vendor_module, "QUIET", True)
    return vendor_module


def test_lock_that_disagrees_with_the_pin_stops_the_setup(vendor):
    lock = {"packages": {"numpy": {"file_name": assets.NUMPY_WHEEL, "sha256": "0" * 64}}}
    with pytest.raises(SystemExit, match=re.escape("pyodide-lock.json lists numpy")):
        vendor.numpy_wheel(lock)


def test_download_with_a_wrong_checksum_is_refused(vendor, monkeypatch, tmp_path):
    monkeypatch.setenv("LP_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(vendor, "_numpy_from_pypi", lambda: b"tampered wheel")
    vendor._numpy_from_pypi.__doc__ = "a test source"
    lock = {"packages": {"numpy": {"file_name": assets.NUMPY_WHEEL, "sha256": assets.NUMPY_SHA256}}}
    with pytest.raises(SystemExit, match="Refusing to use it"):
        vendor.numpy_wheel(lock)
    assert not (tmp_path / "pyodide-packages" / assets.NUMPY_WHEEL).exists()


def test_npm_integrity_mismatch_is_refused(vendor, monkeypatch, tmp_path):
    monkeypatch.setenv("LP_CACHE_DIR", str(tmp_path))
    cached = tmp_path / "npm" / "katex-0.16.22.tgz"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"not katex")

    class Done:
        returncode = 0
        stderr = ""

    monkeypatch.setattr(vendor.subprocess, "run", lambda *a, **k: Done())
    with pytest.raises(SystemExit, match="integrity mismatch"):
        vendor.npm_tarball("katex", "0.16.22", assets.KATEX[2])


def test_the_command_reports_a_bad_download_as_a_command_error(monkeypatch, tmp_path):
    """``manage.py vendorassets`` turns the SetupError into a CommandError with the explanation."""

    def refuse(**kwargs):
        raise vendor_module.SetupError("katex-0.16.22.tgz: integrity mismatch.")

    monkeypatch.setattr(vendor_module, "vendor_all", refuse)
    with pytest.raises(CommandError, match="integrity mismatch"):
        call_command("vendorassets", "--quiet")


def test_the_script_is_a_wrapper_around_the_package_module():
    proc = subprocess.run([sys.executable, str(SCRIPT), "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "--force" in proc.stdout and "Vendor the browser assets" in proc.stdout


@pytest.mark.parametrize(
    "pin, name, folder",
    [
        (assets.AXE, "axe-core", assets.AXE_DIR),
        (assets.MATHJAX, "mathjax", assets.MATHJAX_DIR),
        (assets.BLOCKLY, "blockly", assets.BLOCKLY_DIR),
    ],
)
def test_npm_packages_are_pinned_and_checked(vendor, monkeypatch, tmp_path, pin, name, folder):
    package, version, integrity = pin
    assert package == name and integrity.startswith("sha512-") and len(integrity) == 95
    assert folder.parent == assets.VENDOR_DIR
    # A cached tarball that is not the pinned release is fetched again, and refused.
    monkeypatch.setenv("LP_CACHE_DIR", str(tmp_path))
    cached = tmp_path / "npm" / f"{name}-{version}.tgz"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"not the release")

    class Done:
        returncode = 0
        stderr = ""

    monkeypatch.setattr(vendor.subprocess, "run", lambda *a, **k: Done())
    with pytest.raises(SystemExit, match="integrity mismatch"):
        vendor.npm_tarball(package, version, integrity)


def test_no_page_the_site_serves_links_axe_or_mathjax():
    """axe-core and MathJax are vendored for the browser tests only: no template, style sheet or
    script of the site names them (static/vendor/, where they lie, is generated and not scanned)."""
    root = Path(__file__).resolve().parents[2]
    sources = [
        *root.glob("learningpaths/**/templates/**/*"),
        *root.glob("learningpaths/**/static/**/*"),
        *(p for p in (root / "static").rglob("*") if assets.VENDOR_DIR not in p.parents and p != assets.VENDOR_DIR),
    ]
    files = [p for p in sources if p.is_file() and p.suffix in {".html", ".txt", ".js", ".mjs", ".css", ".json"}]
    assert any(p.name == "base.html" for p in files) and any(p.name == "site.css" for p in files)
    names = re.compile(r"axe-core|axe\.min|vendor/axe|\baxe\.run\b|mathjax|tex-mml-chtml", re.IGNORECASE)
    linked = [str(p.relative_to(root)) for p in files if names.search(p.read_text(encoding="utf-8", errors="replace"))]
    assert not linked, linked


def test_the_style_sheet_names_exactly_the_vendored_font_files():
    """site.css's @font-face rules and the vendoring agree on the font files (a face named but not
    vendored would fail collectstatic; one vendored but not named is dead weight), and every face
    is a woff2 from static/vendor/fonts/, never a font service."""
    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "site.css").read_text(encoding="utf-8")
    faces = re.findall(r"@font-face\s*{[^}]*}", css)
    urls = [u for face in faces for u in re.findall(r"url\(\"?([^\")]+)\"?\)", face)]
    assert urls and all(u.startswith("../vendor/fonts/") and u.endswith(".woff2") for u in urls), urls
    assert sorted(u.removeprefix("../vendor/fonts/") for u in urls) == sorted(assets.FONT_FILES)
    for name in assets.FONT_FILES:
        assert (assets.FONT_DIR / name).is_file(), f"{name}: run scripts/vendor_assets.py"
    assert "Open Font License" in (assets.FONT_DIR / "LICENSE").read_text(encoding="utf-8")
