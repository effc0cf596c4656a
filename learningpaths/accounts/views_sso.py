"""Single sign-on views: begin at a provider, come back (sign in or link), the linked sign-ins page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from learningpaths.core.exceptions import ApplicationError

from . import selectors, services, sso

_NEXT = "sso_next"
_LINK = "sso_link"
BACKEND = "learningpaths.accounts.backends.ModelBackend"


def _config(slug: str) -> dict:
    config = sso.provider(slug)
    if config is None:
        raise Http404(_("No such sign-in provider."))
    return config


def _safe_next(request, target: str) -> str:
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return target if target and ok else ""


def _failed(request, config: dict, *, status: int, text: str = ""):
    text = text or _("Signing in with %(provider)s did not work. Try again, or sign in another way.") % {
        "provider": config["name"]
    }
    return render(request, "accounts/sso_failed.html", {"provider": config, "text": text}, status=status)


@require_safe
def sso_begin(request, slug: str):
    """A link, not a form: the page's CSP allows forms to post only to this site, redirects included."""
    config = _config(slug)
    request.session[_NEXT] = _safe_next(request, request.GET.get("next", ""))
    request.session[_LINK] = bool(request.GET.get("link")) and request.user.is_authenticated
    redirect_uri = request.build_absolute_uri(reverse("accounts:sso_callback", args=[slug]))
    try:
        response = sso.authorize_redirect(request, config, redirect_uri=redirect_uri)
    except sso.SignInFailed:
        return _failed(
            request,
            config,
            status=503,
            text=_("%(provider)s cannot be reached right now. Try again later.") % {"provider": config["name"]},
        )
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def sso_callback(request, slug: str):
    config = _config(slug)
    target = request.session.pop(_NEXT, "")
    link = request.session.pop(_LINK, False)
    try:
        claims = sso.callback_claims(request, config)
    except sso.SignInFailed:
        return _failed(request, config, status=400)
    try:
        if link and request.user.is_authenticated:
            services.identity_link(user=request.user, config=config, claims=claims)
            messages.success(
                request,
                _("Your %(provider)s account is linked: you can sign in with it now.") % {"provider": config["name"]},
            )
            return redirect("accounts:sign_ins")
        user = services.identity_sign_in(config=config, claims=claims)
    except ApplicationError as exc:
        return _failed(request, config, status=exc.extra.get("status", 400), text=exc.message)
    login(request, user, backend=BACKEND)  # user_logged_in: a visitor's answers move into the account
    return redirect(target or settings.LOGIN_REDIRECT_URL)


def _sign_ins_page(request, *, status: int = 200):
    linked = selectors.identities_for(user=request.user)
    by_slug = {p["slug"]: p for p in sso.providers()}
    rows = [(identity, by_slug.get(identity.provider)) for identity in linked]
    linked_slugs = {identity.provider for identity in linked}
    available = [p for p in sso.providers() if p["slug"] not in linked_slugs]
    return render(request, "accounts/sign_ins.html", {"rows": rows, "available": available}, status=status)


@login_required
@require_safe
def sign_ins(request):
    return _sign_ins_page(request)


@login_required
@require_POST
def sign_in_unlink(request, identity_id: int):
    try:
        services.identity_unlink(user=request.user, identity_id=identity_id)
    except ApplicationError as exc:
        if exc.extra.get("status") == 404:
            raise Http404(exc.message) from None
        messages.error(request, exc.message)
        return _sign_ins_page(request, status=exc.extra.get("status", 400))
    messages.success(request, _("The linked sign-in was removed."))
    return redirect("accounts:sign_ins")
