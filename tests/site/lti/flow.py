"""Driving a launch with Django's test client and the platform over real HTTP."""

from __future__ import annotations

from urllib.parse import urlsplit

import jwt
import requests


def authorize(client, login_url: str):
    """Our login initiation, then the platform's authorize endpoint; returns the platform's signed
    launch form (launch_url, id_token, state) or the tool's refusal response."""
    parts = urlsplit(login_url)
    response = client.get(parts.path + "?" + parts.query)
    if response.status_code != 302:
        return response
    page = requests.get(response["Location"], timeout=10)
    assert page.status_code == 200, page.text
    return page


def launch(client, platform, login_url: str, *, headers=None, **tamper):
    """A whole launch: returns our answer to the launch post."""
    page = authorize(client, login_url)
    assert not hasattr(page, "wsgi_request"), page.content  # the tool refused the login
    form = dict(platform.last_form)
    form.update(tamper)
    action = urlsplit(form.pop("launch_url")).path
    return client.post(action, form, headers=headers or {})


def launch_with(client, platform, **override):
    form = dict(platform.last_form)
    form.update(override)
    form.pop("launch_url")
    return client.post("/lti/launch/", form)


def resign(platform, token: str, *, key: str | None = None, **changes) -> str:
    """The platform's id_token with claims changed, signed again (with ``key``: someone else's)."""
    header = jwt.get_unverified_header(token)
    body = jwt.decode(token, options={"verify_signature": False})
    body.update(changes)
    return jwt.encode(body, key or platform.private_pem, algorithm="RS256", headers={"kid": header["kid"]})
