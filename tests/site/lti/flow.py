"""Driving a launch with Django's test client and the platform over real HTTP."""

from __future__ import annotations

from urllib.parse import urlsplit

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


def launch(client, platform, login_url: str, **tamper):
    """A whole launch: returns our answer to the launch post."""
    page = authorize(client, login_url)
    assert not hasattr(page, "wsgi_request"), page.content  # the tool refused the login
    form = dict(platform.last_form)
    form.update(tamper)
    action = urlsplit(form.pop("launch_url")).path
    return client.post(action, form)
