"""The real OpenID Connect provider (``oidc_provider/``) started once per test session on loopback,
and a person signing in at it (its own login form, then its authorization endpoint)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest

ROOT = Path(__file__).resolve().parents[3]


@dataclass
class Provider:
    url: str

    @property
    def issuer(self) -> str:
        return self.url + "/o"

    def config(self, slug: str = "school", *, client_id: str = "learningpaths", **extra) -> dict:
        """Our site's SSO_PROVIDERS entry for this provider (what settings.py makes from the environment)."""
        from tests.site.accounts.oidc_provider.serve import CLIENT_SECRET

        return {
            "slug": slug,
            "name": "School",
            "issuer": self.issuer,
            "discovery_url": self.issuer + "/.well-known/openid-configuration",
            "client_id": client_id,
            "client_secret": CLIENT_SECRET,
            "scopes": "openid profile email",
            "teacher_claim": "groups",
            "teacher_values": ["teachers"],
            "email_linking": False,
            **extra,
        }

    def sign_in(self, authorize_url: str, username: str) -> str:
        """Sign ``username`` in at the provider and follow its authorization endpoint; returns the
        redirect back to our site (``.../callback/?code=...&state=...``)."""
        import requests

        from tests.site.accounts.oidc_provider.serve import PASSWORD

        http = requests.Session()
        answer = http.get(authorize_url, allow_redirects=False, timeout=10)
        assert answer.status_code == 302, answer.text[:500]
        login_url = urljoin(authorize_url, answer.headers["Location"])
        http.get(login_url, timeout=10).raise_for_status()
        next_url = login_url.split("next=", 1)[1]
        answer = http.post(
            login_url,
            data={
                "username": username,
                "password": PASSWORD,
                "next": unquote(next_url),
                "csrfmiddlewaretoken": http.cookies["provider_csrf"],
            },
            allow_redirects=False,
            timeout=10,
        )
        assert answer.status_code == 302, answer.text[:500]
        answer = http.get(urljoin(login_url, answer.headers["Location"]), allow_redirects=False, timeout=10)
        assert answer.status_code == 302, answer.text[:500]
        return answer.headers["Location"]


@pytest.fixture(scope="session")
def oidc_provider():
    folder = tempfile.mkdtemp(prefix="lp-oidc-")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = open(os.path.join(folder, "provider.log"), "w")  # its errors: a pipe could fill up
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.site.accounts.oidc_provider.serve", os.path.join(folder, "provider.sqlite3")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        line = ""
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if line.startswith("PORT ") or process.poll() is not None:
                break
        if not line.startswith("PORT "):
            raise RuntimeError("the test identity provider did not start: " + Path(log.name).read_text())
        yield Provider(url=f"http://localhost:{int(line.split()[1])}")
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
