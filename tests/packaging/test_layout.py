"""learningpaths/layout.py in a checkout (the suite runs in one); the installed case is test_wheel.py."""

from pathlib import Path

from django.conf import settings

from learningpaths import layout
from learningpaths.runtime import assets

ROOT = Path(__file__).resolve().parents[2]


def test_a_checkout_serves_its_top_level_static_folder():
    assert layout.CHECKOUT and layout.BASE_DIR == ROOT
    assert layout.SITE_STATIC_DIR == ROOT / "static"
    assert settings.STATICFILES_DIRS[0] == ROOT / "static"
    assert (layout.SITE_STATIC_DIR / "js" / "runtime" / "worker.js").is_file()


def test_generated_files_go_where_the_environment_says(monkeypatch, tmp_path):
    monkeypatch.delenv("LP_STATIC_BUILD_DIR", raising=False)
    monkeypatch.delenv("VAR_DIR", raising=False)
    assert layout.static_build_dir() == ROOT / "static"
    assert layout.var_dir() == ROOT / "var"
    monkeypatch.setenv("LP_STATIC_BUILD_DIR", str(tmp_path / "build"))
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    assert layout.static_build_dir() == tmp_path / "build"
    assert layout.var_dir() == tmp_path / "var"


def test_settings_and_the_runtime_agree_on_the_build_folder():
    assert settings.STATIC_BUILD_DIR == assets.STATIC_BUILD_DIR
    assert assets.VENDOR_DIR == assets.STATIC_BUILD_DIR / "vendor"
    assert assets.ENGINE_OUT_DIR == assets.STATIC_BUILD_DIR / "engine"
    assert settings.STATIC_BUILD_DIR in settings.STATICFILES_DIRS
