"""Production settings refuse to start without secrets, and pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_django(args, env_extra):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG")}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_without_secret_key_refuses_to_start():
    out = run_django(["check"], {"DEBUG": "0", "ALLOWED_HOSTS": "example.org"})
    assert out.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in out.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    out = run_django(["check"], {"DEBUG": "0", "SECRET_KEY": "x" * 60})
    assert out.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in out.stderr


def test_bad_boolean_is_a_clear_error():
    out = run_django(["check"], {"DEBUG": "maybe"})
    assert out.returncode != 0 and "DEBUG must be one of" in out.stderr


def test_check_deploy_is_clean(tmp_path):
    key = "k3y-" + "q9Zr7xLw2Vb8Nc4Mt6Yp1Hs5Gd3Fj0Ke" * 2
    out = run_django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {"DEBUG": "0", "SECRET_KEY": key, "ALLOWED_HOSTS": "example.org", "VAR_DIR": str(tmp_path)},
    )
    assert out.returncode == 0, out.stderr + out.stdout


def environment_reads(path: Path) -> set[str]:
    """Names of the environment variables a module reads: ``os.environ.get("X")``, ``os.environ["X"]``,
    ``"X" in os.environ``, ``os.getenv("X")`` and the settings helpers ``env_bool``/``env_list``."""
    import ast

    def is_environ(node) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "environ"

    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        arg = None
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            if (
                (isinstance(func, ast.Attribute) and func.attr in ("get", "setdefault") and is_environ(func.value))
                or (isinstance(func, ast.Attribute) and func.attr == "getenv")
                or (isinstance(func, ast.Name) and func.id in ("env_bool", "env_list"))
            ):
                arg = node.args[0]
        elif isinstance(node, ast.Subscript) and is_environ(node.value):
            arg = node.slice
        elif isinstance(node, ast.Compare) and any(is_environ(c) for c in node.comparators):
            arg = node.left
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            names.add(arg.value)
    return names - {"DJANGO_SETTINGS_MODULE"}


def documented_variables() -> set[str]:
    import re

    text = (ROOT / "docs" / "deploy.md").read_text()
    table = text.split("## Environment variables", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    return {name for cell in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", cell)}


def test_every_environment_variable_read_is_in_the_deploy_table():
    files = [
        ROOT / "learningpaths" / "settings.py",
        *sorted((ROOT / "learningpaths").rglob("*.py")),
        *sorted((ROOT / "deploy").rglob("*.py")),
    ]
    read = {name: path for path in files for name in environment_reads(path)}
    assert {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DEMO_WARM_UP", "GUNICORN_BIND", "LP_CACHE_DIR"} <= set(read)
    missing = {name: str(path.relative_to(ROOT)) for name, path in read.items() if name not in documented_variables()}
    assert missing == {}, "add these to the table in docs/deploy.md"


def test_the_embedded_sqlite_database_runs_in_wal_mode(tmp_path):
    """Every new connection to the default SQLite database is in WAL mode (readers beside the
    writer) with synchronous=NORMAL (1), and a second connection sees it too."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update({"VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "learningpaths.settings"})
    script = (
        "import django; django.setup()\n"
        "from django.db import connections\n"
        "for alias in ('first', 'second'):\n"
        "    connection = connections.create_connection('default')\n"
        "    with connection.cursor() as cursor:\n"
        "        cursor.execute('PRAGMA journal_mode'); mode = cursor.fetchone()[0]\n"
        "        cursor.execute('PRAGMA synchronous'); sync = cursor.fetchone()[0]\n"
        "    print(alias, mode, sync)\n"
        "    connection.close()\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["first", "wal", "1", "second", "wal", "1"]
    assert (tmp_path / "db.sqlite3").exists()
