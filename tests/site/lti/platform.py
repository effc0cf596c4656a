"""A real LTI 1.3 platform on loopback, for the tests: the ``lti1p3platform`` package's platform
(OIDC preflight, signed launches, Deep Linking response checks, the OAuth2 client-credentials token
endpoint) behind a small WSGI server, plus the AGS score and NRPS membership endpoints that package
leaves to its host. Nothing here is mocked: the tool talks to it over HTTP, and it checks what the
tool signs against the tool's published JWKS.

A test arranges a launch with ``launch_url(...)`` (who, which course, which link, which services),
sends a browser or test client to the URL it returns (our login initiation), and reads what the
platform received afterwards: ``scores``, ``deep_link_items``, ``tokens_issued``.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
import time
import typing as t
from socketserver import ThreadingMixIn
from urllib.parse import parse_qsl, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from jwcrypto.jwk import JWK
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):  # keep pytest's output for failures
        pass


class _Request(Request):
    def build_metadata(self, request: dict) -> dict:
        return request


class _Config(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, **kwargs: t.Any) -> None:
        self._platform = kwargs["platform"]

    def get_registration_by_params(self, **kwargs: t.Any) -> Registration:
        return self._platform.registration()


class _Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs: t.Any) -> None:
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url: str) -> str:
        return url


class _Launch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(self, launch_data: dict, **kwargs: t.Any) -> str:
        esc = {k: html.escape(str(v), quote=True) for k, v in launch_data.items()}
        # A button as well as the script: the tests may post it themselves.
        return (
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Platform launch</title></head><body>"
            f"<form method='post' action='{esc['launch_url']}' id='launch'>"
            f"<input type='hidden' name='id_token' value='{esc['id_token']}'>"
            f"<input type='hidden' name='state' value='{esc['state']}'>"
            "<button type='submit'>Launch</button></form>"
            "<script>document.getElementById('launch').submit();</script></body></html>"
        )


def key_pair() -> tuple[str, str]:
    key = JWK.generate(kty="RSA", size=2048)
    return key.export_to_pem(private_key=True, password=None).decode(), key.export_to_pem().decode()


class Platform:
    def __init__(self, host: str = "127.0.0.1"):
        self.private_pem, self.public_pem = key_pair()
        self.client_id = "lp-tool-" + secrets.token_hex(4)
        self.deployment_id = "deployment-1"
        self.tool_url = "http://testserver"  # our site, as the platform reaches it
        self.tool_key_set: dict | None = None  # or fetched from tool_url + /lti/jwks/
        self.launches: dict[str, dict] = {}  # lti_message_hint -> what to launch
        self.last_form: dict | None = None  # the last launch the platform signed (id_token, state, launch_url)
        self.scores: list[dict] = []
        self.deep_link_items: list[list[dict]] = []
        self.tokens_issued: list[str] = []
        self.roster: list[dict] = []
        self.fail_scores = 0  # answer this many score posts with 503 first
        self.slow_scores = 0.0  # seconds a score post waits before its answer
        self._server = make_server(host, 0, self._app, server_class=_Server, handler_class=_Quiet)
        self.url = f"http://{host}:{self._server.server_port}"
        self.issuer = self.url
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> Platform:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def registration(self) -> Registration:
        reg = (
            Registration()
            .set_iss(self.issuer)
            .set_client_id(self.client_id)
            .set_deployment_id(self.deployment_id)
            .set_oidc_login_url(self.tool_url + "/lti/login/")
            .set_launch_url(self.tool_url + "/lti/launch/")
            .set_deeplink_launch_url(self.tool_url + "/lti/launch/")
            .set_platform_public_key(self.public_pem)
            .set_platform_private_key(self.private_pem)
        )
        if self.tool_key_set is not None:
            reg.set_tool_key_set(self.tool_key_set)
        else:
            reg.set_tool_key_set_url(self.tool_url + "/lti/jwks/")
        return reg

    def register_in(self, registration_model, deployment_model):
        """Register this platform in the tool's admin tables (what an administrator types in)."""
        reg = registration_model.objects.create(
            name="Test platform",
            issuer=self.issuer,
            client_id=self.client_id,
            auth_login_url=self.url + "/authorize",
            auth_token_url=self.url + "/token",
            key_set_url=self.url + "/jwks",
        )
        deployment_model.objects.create(registration=reg, deployment_id=self.deployment_id)
        return reg

    # -- arranging a launch ---------------------------------------------------------------------

    def launch_url(
        self,
        *,
        user_id: str,
        roles: list[str],
        name: str | None = None,
        context_id: str = "course-1",
        context_title: str = "Class 2B",
        link_id: str | None = "link-1",
        custom: dict | None = None,
        deep_linking: bool = False,
        ags: bool = True,
        nrps: bool = True,
        claims: dict | None = None,
    ) -> str:
        """The tool's login initiation URL for this launch (what the platform's page links to)."""
        hint = secrets.token_urlsafe(8)
        self.launches[hint] = {
            "user_id": user_id,
            "roles": roles,
            "name": name,
            "context_id": context_id,
            "context_title": context_title,
            "link_id": link_id,
            "custom": custom,
            "deep_linking": deep_linking,
            "ags": ags,
            "nrps": nrps,
            "claims": claims or {},
        }
        login = _Login(None, _Config(platform=self))
        login.set_lti_message_hint(hint=hint)
        return login.initiate_login(user_id)

    def lineitem_url(self, link_id: str) -> str:
        return f"{self.url}/lineitems/{link_id}"

    # -- the HTTP side --------------------------------------------------------------------------

    def _app(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        form = dict(parse_qsl(raw.decode())) if "form" in environ.get("CONTENT_TYPE", "") else {}
        try:
            if path == "/jwks":
                return _json(start_response, {"keys": self.registration().get_jwks()})
            if path == "/course":  # the platform's course page, showing the tool in an iframe
                src = html.escape(query.get("launch", ""), quote=True)
                return _html(
                    start_response,
                    "<!DOCTYPE html><html lang='en'><title>Course</title><h1>Course</h1>"
                    f"<iframe id='tool' title='Tool' src='{src}' width='1000' height='700'></iframe></html>",
                )
            if path == "/authorize":
                return _html(start_response, self._authorize(query))
            if path == "/token" and method == "POST":
                return _json(start_response, self._token(form))
            if path.startswith("/lineitems/") and path.endswith("/scores") and method == "POST":
                self._require(environ, SCORE_SCOPE)
                time.sleep(self.slow_scores)
                if self.fail_scores > 0:
                    self.fail_scores -= 1
                    return _json(start_response, {"error": "busy"}, "503 Service Unavailable")
                self.scores.append({"lineitem": path[: -len("/scores")], **json.loads(raw)})
                return _json(start_response, {})
            if path == "/memberships":
                self._require(environ, NRPS_SCOPE)
                return _json(start_response, {"id": self.url + path, "members": self.roster})
            if path == "/deep-link-return" and method == "POST":
                items = _Config(platform=self)
                items.get_registration()
                self.deep_link_items.append(items.validate_deeplinking_resp({"JWT": form.get("JWT", "")}))
                titles = ", ".join(html.escape(i.get("title") or "") for i in self.deep_link_items[-1])
                return _html(start_response, f"<!DOCTYPE html><title>Placed</title><p id='placed'>Placed: {titles}</p>")
        except Exception as exc:  # noqa: BLE001 (the platform refuses; the test sees a 400 and the reason)
            return _json(start_response, {"error": type(exc).__name__, "detail": str(exc)}, "400 Bad Request")
        return _json(start_response, {"error": "not found"}, "404 Not Found")

    def _authorize(self, query: dict) -> str:
        scenario = self.launches[query["lti_message_hint"]]
        config = _Config(platform=self)
        launch = _Launch(_Request({"get_data": query, "form_data": {}}), config)
        launch.set_user_data(scenario["user_id"], scenario["roles"], full_name=scenario["name"])
        if scenario["context_id"]:
            launch.set_launch_context_claim(scenario["context_id"], context_title=scenario["context_title"])
        if scenario["link_id"]:
            launch.set_resource_link_claim(scenario["link_id"])
        if scenario["custom"]:
            launch.set_custom_parameters_claim(scenario["custom"])
        if scenario["ags"] and scenario["link_id"]:
            launch.set_ags(
                lineitems_url=self.url + "/lineitems",
                lineitem_url=self.lineitem_url(scenario["link_id"]),
                allow_creating_lineitems=True,
            )
        if scenario["nrps"]:
            launch.set_nrps(context_memberships_url=self.url + "/memberships")
        if scenario["deep_linking"]:
            launch.set_dl(
                deep_link_return_url=self.url + "/deep-link-return",
                accept_types={"ltiResourceLink"},
                extra_data={"opaque": "returned as sent"},
            )
        if scenario["claims"]:
            launch.set_extra_claims(scenario["claims"])
        page = launch.lti_launch()
        form = {
            name: html.unescape(value)
            for name, value in (
                ("launch_url", _between(page, "action='", "'")),
                ("id_token", _between(page, "name='id_token' value='", "'")),
                ("state", _between(page, "name='state' value='", "'")),
            )
        }
        self.last_form = form
        return page

    def _token(self, form: dict) -> dict:
        config = _Config(platform=self)
        config.get_registration()
        token = config.get_access_token(form)
        self.tokens_issued.append(token["scope"])
        return dict(token)

    def _require(self, environ, scope: str) -> None:
        header = environ.get("HTTP_AUTHORIZATION", "")
        if not header.startswith("Bearer "):
            raise PermissionError("no bearer token")
        config = _Config(platform=self)
        config.get_registration()
        if not config.validate_token(header[len("Bearer ") :], allowed_scopes=[scope]):
            raise PermissionError("token lacks scope " + scope)


def _between(text: str, start: str, end: str) -> str:
    i = text.index(start) + len(start)
    return text[i : text.index(end, i)]


def _json(start_response, body, status: str = "200 OK"):
    data = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def _html(start_response, page: str, status: str = "200 OK"):
    data = page.encode()
    start_response(status, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(data)))])
    return [data]


def form_of(url: str) -> dict:
    """The query of a URL as a dict (the OIDC redirect's parameters)."""
    return dict(parse_qsl(urlsplit(url).query))
