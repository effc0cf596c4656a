"""Start the test identity provider: ``python -m tests.site.accounts.oidc_provider.serve DB_PATH``.

Generates an RSA key, migrates a fresh SQLite file, adds the users and clients below, then serves on
a free loopback port and prints ``PORT <n>`` once it listens. The clients' secrets and the users'
passwords are the constants below (test data, known to the tests)."""

import os
import sys
import threading
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_SECRET = "provider-test-secret"
PASSWORD = "school-password-1"
# username -> (first name, last name, e-mail, groups)
USERS = {
    "pupil": ("Emma", "Peeters", "emma@school.example", []),
    "teacher": ("Jan", "Janssens", "jan@school.example", ["teachers"]),
    "linked": ("Lies", "Maes", "lies@school.example", []),
}
CLIENTS = ["learningpaths", "expired-client", "wrong-audience-client"]


class _ThreadingServer(WSGIServer):
    daemon_threads = True

    def process_request(self, request, client_address):  # one thread per request: a browser opens several
        threading.Thread(target=self._handle, args=(request, client_address), daemon=True).start()

    def _handle(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        finally:
            self.shutdown_request(request)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main(db_path: str) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    os.environ["PROVIDER_RSA_KEY"] = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    os.environ["PROVIDER_DB"] = db_path
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.site.accounts.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for username, (first, last, email, groups) in USERS.items():
        user = User.objects.create_user(username, email=email, password=PASSWORD, first_name=first, last_name=last)
        for name in groups:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
    for client_id in CLIENTS:
        # 127.0.0.1 without a port: any port on loopback matches (RFC 8252 7.3), so the live server may pick one.
        uris = " ".join(
            f"http://{host}/accounts/sso/{slug}/callback/"
            for host in ("testserver", "127.0.0.1")
            for slug in ("school", "expired", "wrongaud", "other")
        )
        Application.objects.create(
            name=client_id,
            client_id=client_id,
            client_secret=CLIENT_SECRET,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            algorithm=Application.RS256_ALGORITHM,
            redirect_uris=uris,
            skip_authorization=True,
        )
    server = make_server(
        "localhost", 0, get_wsgi_application(), server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1])
