"""Pages of a session that an LTI launch started may be shown inside that platform's iframe.

Everywhere else the site refuses to be framed (``X-Frame-Options: DENY``) and its cookies are
``SameSite=Lax``. A platform shows the tool in an iframe on its own site, where a Lax session
cookie is never sent, so the pupil would arrive signed out and the page would be refused. For a
session a launch started (``FRAME_KEY`` holds the platform page's origin), this middleware lets that
one origin frame our answers (CSP ``frame-ancestors``) and sends the session and CSRF cookies as
``SameSite=None; Secure; Partitioned`` (see ``cookies.py``).

It sits before SessionMiddleware in ``settings.MIDDLEWARE``, so it sees the cookies SessionMiddleware
sets, and after SecurityHeadersMiddleware, whose ``setdefault`` keeps the policy set here.
"""

from __future__ import annotations

from django.conf import settings

from learningpaths.core.middleware import build_csp

from . import cookies

FRAME_KEY = "lti_frame_origin"


class LtiFrameMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session the view already read (a signed-in page reads it): asking here would add
        # a query to every request that carries a session cookie but never needed it.
        loaded = session is not None and "_session_cache" in vars(session)
        origin = session.get(FRAME_KEY) if loaded else None
        if not origin:
            return response
        if "X-Frame-Options" in response.headers:
            del response.headers["X-Frame-Options"]
        if "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = f"{build_csp()}; frame-ancestors 'self' {origin}"
        if cookies.cross_site_ok(request):
            for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
                morsel = response.cookies.get(name)
                if morsel is not None:
                    cookies.make_cross_site(morsel)
        return response
