"""PyLTI1p3 wired to our models: registrations and keys from the database, launch state in it.

The library does the protocol (OIDC login redirect, id_token signature and claim checks, Deep
Linking JWTs, the OAuth2 client-credentials grant for AGS/NRPS); this module only tells it where
things are kept:

* ``ToolConf``: registrations and deployments from ``Registration``/``Deployment``, signing with
  our newest ``ToolKey``. Every issuer may have several client ids (one per registration).
* ``DatabaseLaunchStorage``: state, nonce and launch data in ``LaunchValue`` rows, so a login
  started on one app server finishes on another, and no session cookie is needed for it (the
  iframe a platform launches us in may not send ours).
* ``OneTimeNonces``: the library only checks that a nonce was issued; here checking it also spends
  it, so a replayed launch (the same id_token posted again) is refused.
"""

from __future__ import annotations

import typing as t
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from pylti1p3.contrib.django import DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.contrib.django.cookie import DjangoCookieService
from pylti1p3.contrib.django.request import DjangoRequest
from pylti1p3.deployment import Deployment as LibDeployment
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from pylti1p3.registration import Registration as LibRegistration
from pylti1p3.session import SessionService
from pylti1p3.tool_config.abstract import ToolConfAbstract

from . import cookies
from .models import Deployment, LaunchValue, Registration, ToolKey

LAUNCH_LIFETIME = 2 * 60 * 60  # seconds a launch stays usable for deep linking and roster sync


def signing_key() -> ToolKey | None:
    return ToolKey.objects.filter(retired_at__isnull=True).order_by("-created_at", "-pk").first()


def lib_registration(registration: Registration) -> LibRegistration:
    """The library's view of one of our registrations, with our newest key to sign."""
    reg = (
        LibRegistration()
        .set_issuer(registration.issuer)
        .set_client_id(registration.client_id)
        .set_key_set_url(registration.key_set_url)
        .set_auth_login_url(registration.auth_login_url)
        .set_auth_token_url(registration.auth_token_url)
    )
    if registration.auth_audience:
        reg.set_auth_audience(registration.auth_audience)
    key = signing_key()
    if key is not None:
        reg.set_tool_private_key(key.private_pem).set_tool_public_key(key.public_pem)
    return reg


def registration_find(iss: str, client_id: str | None) -> Registration | None:
    """The active registration for (issuer, client id); without a client id (it is optional in a
    login initiation) only when the issuer has exactly one."""
    if not isinstance(iss, str) or (client_id is not None and not isinstance(client_id, str)):
        return None
    rows = Registration.objects.filter(issuer=iss, active=True)
    if client_id:
        return rows.filter(client_id=client_id).first()
    found = list(rows[:2])
    return found[0] if len(found) == 1 else None


class ToolConf(ToolConfAbstract):
    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def find_registration_by_issuer(self, iss, *args, **kwargs):
        return self.find_registration_by_params(iss, None)

    def find_registration_by_params(self, iss, client_id, *args, **kwargs):
        found = registration_find(iss, client_id)
        return lib_registration(found) if found is not None else None

    def find_deployment(self, iss, deployment_id):
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        found = registration_find(iss, client_id)
        if found is None or not isinstance(deployment_id, str):
            return None
        if not Deployment.objects.filter(registration=found, deployment_id=deployment_id).exists():
            return None
        return LibDeployment().set_deployment_id(deployment_id)


class DatabaseLaunchStorage(LaunchDataStorage[t.Any]):
    def get_session_cookie_name(self) -> None:
        return None  # keys are random (state, nonce, launch id): no per-browser prefix needed

    def can_set_keys_expiration(self) -> bool:
        return True

    def get_value(self, key: str) -> t.Any:
        row = LaunchValue.objects.filter(key=self._prepare_key(key), expires_at__gt=timezone.now()).first()
        return row.value if row is not None else None

    def set_value(self, key: str, value: t.Any, exp: int | None = None) -> None:
        expires = timezone.now() + timedelta(seconds=exp or LAUNCH_LIFETIME)
        LaunchValue.objects.update_or_create(
            key=self._prepare_key(key), defaults={"value": value, "expires_at": expires}
        )

    def check_value(self, key: str) -> bool:
        return LaunchValue.objects.filter(key=self._prepare_key(key), expires_at__gt=timezone.now()).exists()

    def take_value(self, key: str) -> bool:
        """Delete an unexpired key; True only for the one caller that deleted it."""
        with transaction.atomic():
            deleted, _ = LaunchValue.objects.filter(key=self._prepare_key(key), expires_at__gt=timezone.now()).delete()
        return deleted == 1


class OneTimeNonces(SessionService):
    def check_nonce(self, nonce: str) -> bool:
        if not isinstance(nonce, str) or len(nonce) > 200:
            return False
        storage = self.data_storage
        assert isinstance(storage, DatabaseLaunchStorage)
        return storage.take_value(self._get_key("nonce", nonce))


class StateCookie(DjangoCookieService):
    """The login's state cookie, cross-site where the browser allows it (see ``cookies.py``): the
    launch comes back as a form post from the platform's site, often inside its iframe."""

    def update_response(self, response):
        django_request = self._request._request
        for key, data in self._cookie_data_to_set.items():
            response.set_cookie(key, data["value"], max_age=data["exp"], httponly=True, samesite="Lax", path="/lti/")
            if cookies.cross_site_ok(django_request):
                cookies.make_cross_site(response.cookies[key])


def _storage(request) -> DatabaseLaunchStorage:
    return DatabaseLaunchStorage()


def oidc_login(request) -> DjangoOIDCLogin:
    login = DjangoOIDCLogin(
        request,
        ToolConf(),
        session_service=OneTimeNonces(request),
        cookie_service=StateCookie(DjangoRequest(request)),
    )
    login.set_launch_data_storage(_storage(request))
    return login


def message_launch(request) -> DjangoMessageLaunch:
    launch = DjangoMessageLaunch(
        request,
        ToolConf(),
        session_service=OneTimeNonces(request),
        cookie_service=StateCookie(DjangoRequest(request, post_only=True)),
    )
    launch.set_launch_data_storage(_storage(request))
    launch.set_launch_data_lifetime(LAUNCH_LIFETIME)
    return launch


def message_launch_restore(request, launch_id: str) -> DjangoMessageLaunch | None:
    """A validated launch saved earlier in this flow (deep linking's second request), or None."""
    if not isinstance(launch_id, str) or not launch_id.startswith("lti1p3-launch-") or len(launch_id) > 100:
        return None
    launch = message_launch(request)
    if not launch.get_session_service().get_launch_data(launch_id):
        return None
    return DjangoMessageLaunch.from_cache(
        launch_id, request, ToolConf(), session_service=OneTimeNonces(request), launch_data_storage=_storage(request)
    )
