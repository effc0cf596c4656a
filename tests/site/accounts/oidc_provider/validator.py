"""django-oauth-toolkit's validator with the claims a school's provider sends (name, e-mail, groups),
and two clients that misbehave on purpose so the site's refusals are tested on real signed tokens."""

from datetime import timedelta

from django.utils import timezone
from oauth2_provider.oauth2_validators import OAuth2Validator

EXPIRED_CLIENT = "expired-client"  # its ID tokens expired ten minutes ago (past any clock leeway)
WRONG_AUDIENCE_CLIENT = "wrong-audience-client"  # its ID tokens are for another client


class Validator(OAuth2Validator):
    oidc_claim_scope = None  # every claim below goes into the ID token, as many school providers do

    def get_additional_claims(self, request):
        user = request.user
        return {
            "name": user.get_full_name() or user.username,
            "preferred_username": user.username,
            "email": user.email,
            "email_verified": bool(user.email),
            "groups": sorted(user.groups.values_list("name", flat=True)),
        }

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration = super().get_id_token_dictionary(token, token_handler, request)
        if request.client.client_id == EXPIRED_CLIENT:
            past = timezone.now() - timedelta(minutes=10)
            claims["exp"] = int(past.timestamp())
            claims["iat"] = int((past - timedelta(minutes=5)).timestamp())
        elif request.client.client_id == WRONG_AUDIENCE_CLIENT:
            claims["aud"] = "some-other-client"
        return claims, expiration
