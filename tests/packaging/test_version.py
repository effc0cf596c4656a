"""One version fact: pyproject.toml's ``version``, read back from the package metadata."""

import tomllib
from pathlib import Path

import learningpaths

ROOT = Path(__file__).resolve().parents[2]


def test_the_package_version_is_pyprojects():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert learningpaths.__version__ == declared


def test_the_changelog_has_an_entry_for_it():
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert "## [Unreleased]" in changelog
    assert f"## [{learningpaths.__version__}]" in changelog


def test_the_api_document_names_the_release(client):
    info = client.get("/api/openapi.json").json()["info"]
    assert info["x-learningpaths-version"] == learningpaths.__version__
    assert info["version"] == "1.0.0"  # the API's own version is a separate fact
