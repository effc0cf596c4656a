"""The hashed locks (requirements/app.txt, requirements/dev.txt; `make lock`) match pyproject.toml:
every declared dependency is pinned, within its range, with hashes; the app lock (servers) has no
test-only package; the dev lock holds the app's pins unchanged and PyTorch's CPU build."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
# A pin: "name==version [; marker] \" then its "--hash=sha256:..." lines (pip-compile --generate-hashes).
PIN = re.compile(
    r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)(?: ?;[^\\\n]*)?((?:\s*\\\n\s+--hash=sha256:[0-9a-f]{64})*)", re.M
)


def read_lock(name: str) -> dict[str, tuple[Version, int]]:
    """{canonical name: (version, number of hashes)}"""
    text = (ROOT / "requirements" / name).read_text()
    pins = {canonicalize_name(m[1]): (Version(m[2]), m[3].count("--hash=sha256:")) for m in PIN.finditer(text)}
    requirement_lines = [line for line in text.splitlines() if line and not line.startswith((" ", "#"))]
    assert len(pins) == len(requirement_lines), "a line of the lock is not a hashed name==version pin"
    return pins


def declared(extra: str | None = None) -> list[Requirement]:
    items = PYPROJECT["dependencies"] if extra is None else PYPROJECT["optional-dependencies"][extra]
    return [r for r in map(Requirement, items) if r.marker is None or r.marker.evaluate()]


@pytest.mark.parametrize("lock, groups", [("app.txt", [None]), ("dev.txt", [None, "dev"])])
def test_every_declared_dependency_is_pinned_with_hashes(lock, groups):
    pins = read_lock(lock)
    assert all(hashes >= 1 for _, hashes in pins.values()), [n for n, (_, h) in pins.items() if not h]
    for group in groups:
        for requirement in declared(group):
            name = canonicalize_name(requirement.name)
            assert name in pins, f"{requirement} ({group or 'dependencies'}) is not in requirements/{lock}"
            assert requirement.specifier.contains(pins[name][0], prereleases=True), (requirement, pins[name][0])


def test_the_app_lock_has_no_test_only_package():
    app = read_lock("app.txt")
    test_only = {canonicalize_name(r.name) for r in declared("dev")}
    assert test_only & set(app) == set()
    # nor what only they pull in (PyTorch's sympy, networkx; selenium's urllib3 and trio)
    assert {"sympy", "networkx", "trio", "pluggy", "scikit-learn"} & set(app) == set()


def test_the_dev_lock_pins_what_servers_run_and_pytorch_for_the_cpu():
    app, dev = read_lock("app.txt"), read_lock("dev.txt")
    assert {n: v for n, (v, _) in app.items()} == {n: dev[n][0] for n in app if n in dev}
    assert set(app) <= set(dev)
    torch, hashes = dev["torch"]
    assert torch.local == "cpu" and hashes == 1  # the CPU wheel (find-links), not PyPI's CUDA build


def test_make_installs_from_the_locks_with_hashes():
    makefile = (ROOT / "Makefile").read_text()
    stamp = re.search(r"^\$\(STAMP\):(.*)$", makefile, re.M).group(1)
    assert "pyproject.toml" in stamp and "$(LOCKS)" in stamp
    assert re.search(r"^LOCKS\s*:=\s*requirements/app.txt requirements/dev.txt$", makefile, re.M)
    assert "pip install --quiet --require-hashes -r requirements/dev.txt" in makefile
    assert "pip install --quiet --no-deps -e ." in makefile
    assert '-e ".[dev]"' not in makefile
    deploy = (ROOT / "docs" / "deploy.md").read_text()
    assert (
        "--require-hashes -r requirements/app.txt" in deploy
        and "requirements/dev.txt" not in deploy.split("Servers install")[0]
    )
