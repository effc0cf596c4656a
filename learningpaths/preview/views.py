"""The preview's routes: 404 unless this process runs ``manage.py preview``."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model, login, logout
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from learningpaths.core.errors import json_error

from .session import current

WAIT_SECONDS = 25.0  # a long poll ends before common proxy timeouts; the page asks again at once
ROLES = ("student", "teacher", "visitor")


def _session():
    session = current()
    if session is None:
        raise Http404("no preview is running")
    return session


@never_cache
@require_safe
def events(request):
    """The newest build as JSON; with ``?since=N`` it waits until there is a build after N."""
    session = _session()
    try:
        since = int(request.GET.get("since", "-1"))
    except ValueError:
        return json_error(400, "'since' must be a whole number", code="bad_since")
    build = session.wait(since, WAIT_SECONDS) if since >= 0 else session.build
    return JsonResponse(build.as_dict())


@require_POST
def view_as(request, role: str):
    """Look at the pages as a student, a teacher or a visitor (signed out), with real accounts,
    so what a student may not see is hidden by the server exactly as on the real site."""
    _session()
    if role not in ROLES:
        raise Http404("unknown role")
    if role == "visitor":
        logout(request)
    else:
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=f"preview-{role}", defaults={"role": getattr(User.Role, role.upper())}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    back = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    return HttpResponseRedirect(back)
