"""API tokens on the site's file routes (``core.credentials.token_readable``), e.g. object assets.

After ``AuthenticationMiddleware``: for a GET or HEAD of a marked view with an ``Authorization:
Token`` header, ``request.user`` becomes the token's user (a token wins over the session, as in the
API); an unknown or revoked token is a 401 in the JSON error shape, never a silent anonymous answer.
"""

from __future__ import annotations

from django.utils.cache import patch_cache_control, patch_vary_headers

from learningpaths.core.errors import json_error

from .auth import InvalidToken, api_user, token_from_header


class ApiTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "_token_readable", False):
            # The answer depends on the header: shared caches must keep one per token (or none).
            patch_vary_headers(response, ("Authorization",))
            if token_from_header(request) is not None:
                patch_cache_control(response, private=True)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "token_readable", False) or request.method not in ("GET", "HEAD"):
            return None
        request._token_readable = True
        if token_from_header(request) is None:
            return None
        try:
            request.user = api_user(request)
        except InvalidToken:
            response = json_error(401, "The API token is unknown, revoked or inactive.", code="invalid_token")
            response["WWW-Authenticate"] = 'Token realm="api"'
            return response
        return None
