"""Cookies that follow a pupil into a platform's iframe on another site.

A Lax cookie is not sent to a page framed by another site, nor with that site's form post of the
launch. So the login's state cookie, and the session and CSRF cookies of a launched session, are
``SameSite=None; Secure; Partitioned``: Partitioned (CHIPS) keeps them apart per top-level site,
so browsers that block third-party cookies still keep them inside the iframe, and a framed session
never mixes with the pupil's own visit to the site. Browsers keep Secure cookies only over HTTPS
and on http://localhost; over plain HTTP elsewhere they stay Lax (a framed launch then fails, a
top-level one works).

Python 3.11's ``http.cookies`` knows no ``Partitioned`` attribute; SameSite's value carries it.
"""

from __future__ import annotations

LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")


def cross_site_ok(request) -> bool:
    return request.is_secure() or request.get_host().rsplit(":", 1)[0] in LOCAL_HOSTS


def make_cross_site(morsel) -> None:
    morsel["secure"] = True
    morsel["samesite"] = "None; Partitioned"
