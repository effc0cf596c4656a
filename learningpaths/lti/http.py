"""The HTTP session the library talks to platforms with: every call gets a timeout (the library
sets none, and a platform that hangs would hold a worker for ever)."""

from __future__ import annotations

import requests
from django.conf import settings

USER_AGENT = "learningpaths-lti"


class _TimeoutSession(requests.Session):
    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", settings.LTI_HTTP_TIMEOUT)
        kwargs.setdefault("allow_redirects", False)
        return super().request(method, url, **kwargs)


def session() -> requests.Session:
    s = _TimeoutSession()
    s.headers["User-Agent"] = USER_AGENT
    s.trust_env = False  # no proxy or .netrc from the environment: platforms are reached directly
    return s
