"""A built wheel, installed into a fresh virtual environment with no checkout in sight, is a
working site: migrations, ``vendorassets`` (from the download cache), ``compilecontent``, and a
served lesson whose static files, runtime worker, Pyodide files and Dutch strings all answer.

The new venv gets its dependencies from the suite's own venv through a ``.pth`` line naming that
site-packages folder. A directory named in a ``.pth`` file is only appended to ``sys.path``; its
own ``.pth`` files (among them the editable install of the checkout) are not processed, so
``learningpaths`` can only come from the wheel, which the test asserts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from learningpaths.runtime import assets

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
# What setup.py and pyproject.toml read; copied so the build sees no untracked file of the checkout
# (.mo files, static/vendor) and leaves no build/ folder in it.
SOURCES = [
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "LICENSE",
    "learningpaths",
    "engine",
    "static/css",
    "static/js",
    "static/site",
]

LESSON = """\
---
hruid: wheel_hello
version: 1
language: en
title: "Hello from a wheel"
description: "A lesson with one runnable cell."
keywords: [test]
content_type: text/markdown
available: true
target_ages: [12, 18]
estimated_time: 5
teacher_exclusive: false
---

# Hello from a wheel

```python run
print("WHEEL-CELL-OUTPUT")
```
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, **headers) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(python of the new venv, environment, working directory) with the wheel installed."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.pyc"))
        elif path.is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, src / name)
    dist = tmp / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--quiet",
            "-w",
            str(dist),
            str(src),
        ],
        check=True,
        timeout=120,
    )
    (wheel,) = dist.glob("learningpaths-*.whl")

    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    python = venv / "bin" / "python"
    site_packages = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site_packages / "suite-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            str(wheel),
        ],
        check=True,
        timeout=120,
    )

    work = tmp / "site"
    lesson = work / "content" / "learning_objects" / "en" / "wheel_hello" / "index.md"
    lesson.parent.mkdir(parents=True)
    lesson.write_text(LESSON)
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "VAR_DIR",
            "CONTENT_DIR",
            "LP_STATIC_BUILD_DIR",
            "PYTHONPATH",
            "DEBUG",
            "TESTING",
            "CACHE_URL",
            "DEMO_MODELS_DIR",
        }
        and not k.startswith(("PYTEST_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="learningpaths.settings",
        LP_CACHE_DIR=str(assets.cache_dir()),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return python, env, work, site_packages


def django(installed, *args, timeout=120) -> str:
    python, env, work, _ = installed
    proc = subprocess.run(
        [python, "-m", "django", *args], cwd=work, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert proc.returncode == 0, f"django {' '.join(args)}:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout + proc.stderr


def test_installed_wheel_serves_a_lesson_with_its_runtime(installed):
    python, env, work, site_packages = installed
    where = subprocess.run(
        [python, "-c", "import learningpaths, engine; print(learningpaths.__file__); print(engine.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    for line in where.stdout.split():
        assert Path(line).is_relative_to(site_packages), where.stdout  # not the checkout's editable install

    if not (assets.cache_dir() / "npm" / f"pyodide-{assets.PYODIDE_VERSION}.tgz").is_file():
        pytest.skip(f"the download cache {assets.cache_dir()} is empty (run `make assets` once)")
    # First, as on a new server: every other command's system checks want the vendored runtime.
    django(installed, "vendorassets", "--quiet", timeout=240)
    build = work / "var" / "static-build"  # LP_STATIC_BUILD_DIR's default: $VAR_DIR/static-build
    assert (build / "vendor" / "pyodide" / assets.PYODIDE_VERSION / assets.NUMPY_WHEEL).is_file()
    assert json.loads((build / "engine" / "manifest.json").read_text())["engine"] is True
    django(installed, "migrate", "--noinput")
    assert (work / "var" / "db.sqlite3").is_file()  # VAR_DIR defaults to the working directory's var/
    django(installed, "compilecontent")

    port = free_port()
    server = subprocess.Popen(
        [python, "-m", "django", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"runserver exited:\n{server.stdout.read()}")
                time.sleep(0.2)
        status, body = fetch(f"{base}/objects/wheel_hello/en/1/", **{"Accept-Language": "en"})
        page = body.decode()
        assert status == 200, page[:2000]
        assert 'class="lp-cell"' in page and "WHEEL-CELL-OUTPUT" in page

        urls = set(re.findall(r'(?:src|href)="(/static/[^"]+)"', page))
        assert any(u.endswith(".css") for u in urls) and any(u.endswith(".js") for u in urls), urls
        config = json.loads(re.search(r'id="lp-runtime-config"[^>]*>(.*?)</script>', page, re.S).group(1))
        urls.add(config["workerURL"])
        urls.add(config["engineURL"])
        urls.update(
            config["indexURL"] + name
            for name in (
                "pyodide.js",
                "pyodide.asm.js",
                "pyodide.asm.wasm",
                "python_stdlib.zip",
                "pyodide-lock.json",
                assets.NUMPY_WHEEL,
            )
        )
        answers = {url: fetch(base + url)[0] for url in sorted(urls)}
        assert set(answers.values()) == {200}, answers
        assert fetch(base + config["workerURL"])[1].strip(), "the worker script is empty"

        status, body = fetch(f"{base}/objects/wheel_hello/en/1/", **{"Accept-Language": "nl"})
        assert status == 200
        dutch = body.decode()
        assert 'lang="nl"' in dutch and "Naar de inhoud" in dutch  # "Skip to content", from the compiled .mo
    finally:
        server.terminate()
        server.wait(timeout=20)
