"""LTI 1.3 endpoints: our keys, OIDC login initiation, the launch, and the deep-link answer.

The protocol checks are the library's (``toolconf``); these views limit what comes in, turn
every refusal into a 4xx page that says what went wrong, and hand the claims to the services.

Cookies: a platform shows us in an iframe of its own site. The login's state cookie goes
cross-site (``cookies.py``), so the platform's form post of the launch carries it back; state,
nonce and launch data are kept in the database (``LaunchValue``), not in a session the iframe may
not get; a launched session may be framed by its platform (``middleware.py``). The deep-link answer
needs no cookie at all: the launch id, a random value only the launching browser knows, names the
validated launch, once.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem

from learningpaths.core import ratelimit
from learningpaths.core.exceptions import ApplicationError
from learningpaths.core.middleware import build_csp

from . import selectors, services, tasks, toolconf
from .claims import ClaimError, launch_from
from .middleware import FRAME_KEY
from .models import LaunchValue, ResourceLink

logger = logging.getLogger(__name__)

PARAM_MAX = 4096  # login hints and message hints are opaque to us, but not unbounded
ID_TOKEN_MAX = 64 * 1024
LOGIN_PARAMS = ("iss", "login_hint", "target_link_uri", "lti_message_hint", "client_id", "lti_deployment_id")
MAX_CHOICES = 20
HOST = re.compile(r"[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?")


def _refuse(request, message: str, *, status: int = 400) -> HttpResponse:
    return render(request, "lti/error.html", {"message": message}, status=status)


def _too_many(request) -> HttpResponse | None:
    """Login initiations and launches write rows (state, nonce): a cap per address per minute."""
    allowed, retry = ratelimit.allow_key(
        f"addr:{ratelimit.client_address(request)}", scope="lti", limit=settings.LTI_ADDRESS_RATE_LIMIT
    )
    if allowed:
        return None
    response = _refuse(request, _("Too many launches from your network; try again in a minute."), status=429)
    response["Retry-After"] = str(retry)
    return response


def _params_problem(data, names, *, limit: int = PARAM_MAX) -> str | None:
    for name in names:
        values = data.getlist(name)
        if len(values) > 1:
            return _("The parameter %(name)s was sent more than once.") % {"name": name}
        if values and (len(values[0]) > limit or "\x00" in values[0]):
            return _("The parameter %(name)s is too long or not text.") % {"name": name}
    return None


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of a web address, or None; strict, since it goes into a CSP header."""
    parts = urlsplit(url) if isinstance(url, str) and len(url) <= 2000 else None
    if parts is None or parts.scheme not in ("http", "https") or not HOST.fullmatch(parts.netloc):
        return None
    return f"{parts.scheme}://{parts.netloc}"


def _frame_origin(request, registration) -> str:
    """The platform page that posted the launch (its Origin header), else the issuer's origin."""
    return origin_of(request.headers.get("Origin", "")) or origin_of(registration.issuer) or ""


@require_safe
def jwks(request):
    response = JsonResponse(selectors.jwks())
    response["Cache-Control"] = "max-age=300"  # short: a rotated key must reach platforms soon
    return response


@csrf_exempt  # a platform starts the login, from its own site
@require_http_methods(["GET", "HEAD", "POST"])
def login_initiation(request):
    limited = _too_many(request)
    if limited:
        return limited
    data = request.POST if request.method == "POST" else request.GET
    problem = _params_problem(data, LOGIN_PARAMS)
    if problem:
        return _refuse(request, problem)
    if not data.get("iss") or not data.get("login_hint"):
        return _refuse(
            request, _("This is where a learning platform starts an LTI launch; it needs iss and login_hint.")
        )
    if toolconf.registration_find(data["iss"], data.get("client_id") or None) is None:
        return _refuse(
            request, _("This learning platform is not registered here. Ask the site's administrator."), status=403
        )
    if toolconf.signing_key() is None:
        logger.error("LTI login refused: no tool key; run manage.py lti_rotate_key")
        return _refuse(request, _("LTI is not set up on this site yet (no key)."), status=503)
    try:
        return toolconf.oidc_login(request).redirect(request.build_absolute_uri(reverse("lti:launch")))
    except Exception as exc:  # noqa: BLE001 (the library's checks raise several kinds; none may become a 500)
        logger.info("LTI login refused: %s", exc)
        return _refuse(request, _("The login request could not be used: %(why)s") % {"why": str(exc)[:200]})


@csrf_exempt  # the platform posts the signed launch from its own site
@require_POST
def launch(request):
    limited = _too_many(request)
    if limited:
        return limited
    problem = _params_problem(request.POST, ("id_token",), limit=ID_TOKEN_MAX) or _params_problem(
        request.POST, ("state",), limit=200
    )
    if problem:
        return _refuse(request, problem)
    if not request.POST.get("id_token") or not request.POST.get("state"):
        return _refuse(request, _("The launch has no id_token or state. Start it again from your learning platform."))
    message = toolconf.message_launch(request)
    try:
        body = message.get_launch_data()  # validates state, nonce (once), signature, client, deployment
    except Exception as exc:  # noqa: BLE001 (any failure of the checks is a refusal, never a 500)
        logger.info("LTI launch refused: %s", exc)
        return _refuse(request, _("The launch was refused: %(why)s") % {"why": str(exc)[:200]}, status=403)
    registration = toolconf.registration_find(body.get("iss"), message.get_client_id())
    try:
        claims = launch_from(body)
    except ClaimError as exc:
        return _refuse(request, str(exc))
    if registration is None:  # removed between the library's check and now
        return _refuse(request, _("This learning platform is not registered here."), status=403)
    deep_linking = claims.message_type == "LtiDeepLinkingRequest"
    if deep_linking and not claims.teacher:
        return _refuse(request, _("Only teachers can choose what to place in a course."), status=403)
    try:
        identity = services.identity_sign_in(
            registration=registration, sub=claims.sub, name=claims.name, teacher=claims.teacher
        )
        context = services.context_join(registration=registration, launch=claims, user=identity.user)
    except ApplicationError as exc:
        return _refuse(request, exc.message, status=exc.extra.get("status", 400))
    user = identity.user
    login(request, user, backend="learningpaths.accounts.backends.ModelBackend")
    request.session[FRAME_KEY] = _frame_origin(request, registration)
    if claims.teacher and context is not None and context.memberships_url:
        tasks.schedule(lambda: services.roster_sync(context=context))
    if deep_linking:
        return render(
            request,
            "lti/deep_link.html",
            {
                "launch_id": message.get_launch_id(),
                "choices": selectors.catalogue(user=user),
                "multiple": claims.accept_multiple,
            },
        )
    earlier = ResourceLink.objects.filter(registration=registration, link_id=claims.link_id).first()
    try:
        target = selectors.launch_target(launch=claims, user=user, link=earlier)
    except ClaimError as exc:
        return _refuse(request, str(exc), status=404)
    link = services.resource_link_record(
        registration=registration,
        launch=claims,
        context=context,
        path_hruid=target.path.hruid,
        path_language=target.path.language,
    )
    if not claims.teacher and services.outcome_track(link=link, identity=identity) is not None:
        user_id = user.pk
        tasks.schedule(lambda: services.outcomes_send(user=type(user).objects.get(pk=user_id)))
    return redirect(target.url)


@csrf_exempt  # the launch id is the proof (see the module's docstring)
@require_POST
def deep_link_answer(request):
    problem = _params_problem(request.POST, ("launch_id",), limit=100)
    if problem:
        return _refuse(request, problem)
    message = toolconf.message_launch_restore(request, request.POST.get("launch_id", ""))
    if message is None:
        return _refuse(
            request, _("This choice was already sent or has expired. Start again from your learning platform.")
        )
    body = message.get_launch_data()
    try:
        claims = launch_from(body, now=body.get("iat") if isinstance(body.get("iat"), (int, float)) else None)
    except ClaimError as exc:
        return _refuse(request, str(exc))
    if claims.message_type != "LtiDeepLinkingRequest" or not claims.teacher:
        return _refuse(request, _("Only a teacher's deep-linking launch can place paths."), status=403)
    origin = origin_of(claims.return_url)
    if origin is None:
        return _refuse(request, _("The platform's deep linking return address is not one we can post to."))
    values = request.POST.getlist("choice")
    if not values or len(values) > MAX_CHOICES or (len(values) > 1 and not claims.accept_multiple):
        return _refuse(request, _("Choose one learning path or step."))
    user = selectors.identity_user(iss=message.get_iss(), client_id=message.get_client_id(), sub=claims.sub)
    if user is None:
        return _refuse(request, _("This learning platform is not registered here."), status=403)
    resources = []
    for value in values:
        found = selectors.choice_get(user=user, value=value)
        if found is None:
            return _refuse(request, _("That learning path or step does not exist."), status=404)
        path, step, title = found
        custom = {"path": path.hruid, "language": path.language}
        if step:
            custom["step"] = step
        steps = selectors.path_step_count(path=path, user=user)
        resources.append(
            DeepLinkResource()
            .set_url(request.build_absolute_uri(reverse("lti:launch")))
            .set_custom_params(custom)
            .set_title(title[:200])
            .set_lineitem(LineItem().set_label(title[:200]).set_score_maximum(max(steps, 1)))
        )
    jwt_value = message.get_deep_link().get_response_jwt(resources)
    LaunchValue.objects.filter(key=message.get_launch_id()).delete()  # once
    response = render(request, "lti/deep_link_return.html", {"return_url": claims.return_url, "jwt": jwt_value})
    # Our pages may post forms to ourselves only; this one posts the answer to the platform.
    response["Content-Security-Policy"] = build_csp().replace("form-action 'self'", f"form-action 'self' {origin}")
    return response
