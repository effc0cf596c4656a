"""Production settings refuse to start without secrets, and pass Django's deploy checks."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_django(args, env_extra):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG")}
    env.update(env_extra)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


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
    out = run_django(["check", "--deploy", "--fail-level", "WARNING"],
                     {"DEBUG": "0", "SECRET_KEY": key, "ALLOWED_HOSTS": "example.org", "VAR_DIR": str(tmp_path)})
    assert out.returncode == 0, out.stderr + out.stdout
