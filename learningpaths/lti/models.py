"""LTI 1.3: the platforms that launch us, our signing keys, and what a launch leaves behind.

A platform (a school's learning platform: Moodle, Canvas, Smartschool, i-Learn ...) is registered by
an administrator in the Django admin (``Registration`` + its ``Deployment``s). Launches then link a
platform user (issuer, ``sub``) to a local account (``Identity``), a platform course to a class
(``Context``), and a placement in that course to a path (``ResourceLink``), whose line item gets the
pupil's path score (``Outcome``, sent by ``services.outcomes_send``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

URL_MAX = 1000
ID_MAX = 255  # LTI ids (sub, context id, resource link id) are at most 255 characters (LTI 1.3, 5.3.6)


class Registration(models.Model):
    """One tool registration on a platform: what it told us (issuer, client id, its URLs)."""

    name = models.CharField(_("name"), max_length=200, help_text=_("For the admin only, e.g. 'Moodle of school X'."))
    issuer = models.URLField(
        _("issuer"), max_length=URL_MAX, help_text=_("The platform's 'iss', e.g. https://moodle.example.org")
    )
    client_id = models.CharField(_("client id"), max_length=ID_MAX)
    auth_login_url = models.URLField(_("authentication request URL"), max_length=URL_MAX)
    auth_token_url = models.URLField(_("access token URL"), max_length=URL_MAX)
    auth_audience = models.CharField(
        _("access token audience"), max_length=URL_MAX, blank=True, help_text=_("Empty: the access token URL.")
    )
    key_set_url = models.URLField(_("platform JWKS URL"), max_length=URL_MAX)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("platform registration")
        constraints = [models.UniqueConstraint(fields=["issuer", "client_id"], name="lti_unique_registration")]

    def __str__(self) -> str:
        return f"{self.name} ({self.issuer}, {self.client_id})"


class Deployment(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="deployments")
    deployment_id = models.CharField(_("deployment id"), max_length=ID_MAX)

    class Meta:
        verbose_name = _("deployment")
        constraints = [models.UniqueConstraint(fields=["registration", "deployment_id"], name="lti_unique_deployment")]

    def __str__(self) -> str:
        return self.deployment_id


class ToolKey(models.Model):
    """An RSA key pair of ours. The newest active key signs; every key not yet retired stays in
    ``/lti/jwks/`` so that platforms can still check what an older key signed (rotation)."""

    kid = models.CharField(max_length=64, unique=True)
    private_pem = models.TextField()
    public_pem = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tool key")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.kid


class Identity(models.Model):
    """A platform user linked to a local account. Only the name (or pseudonym) and role are kept."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="identities")
    sub = models.CharField(max_length=ID_MAX)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_identities")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("linked platform identity")
        verbose_name_plural = _("linked platform identities")
        constraints = [models.UniqueConstraint(fields=["registration", "sub"], name="lti_unique_identity")]

    def __str__(self) -> str:
        return f"{self.sub} @ {self.registration.issuer}"


class Context(models.Model):
    """A platform course (LTI context) and the class that mirrors it."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="contexts")
    context_id = models.CharField(max_length=ID_MAX)
    title = models.CharField(max_length=200, blank=True)
    classroom = models.ForeignKey("classroom.Classroom", null=True, on_delete=models.SET_NULL, related_name="+")
    memberships_url = models.URLField(max_length=URL_MAX, blank=True)  # NRPS, from the newest launch
    roster_synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "context_id"], name="lti_unique_context")]

    def __str__(self) -> str:
        return self.title or self.context_id


class ResourceLink(models.Model):
    """A placement of ours in a course: which path it opens and the line item its scores go to."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="resource_links")
    link_id = models.CharField(max_length=ID_MAX)
    context = models.ForeignKey(Context, null=True, on_delete=models.SET_NULL, related_name="resource_links")
    path_hruid = models.CharField(max_length=200)
    path_language = models.CharField(max_length=8)
    lineitem_url = models.URLField(max_length=URL_MAX, blank=True)
    can_post_scores = models.BooleanField(default=False)  # the launch granted the AGS score scope

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "link_id"], name="lti_unique_resource_link")]

    def __str__(self) -> str:
        return f"{self.link_id} -> {self.path_hruid}/{self.path_language}"


class Outcome(models.Model):
    """One pupil's score on one resource link: what was last sent, and whether it must be (re)sent.

    ``dirty`` is set when the pupil's progress changes; ``services.outcomes_send`` computes the score,
    posts it when it differs from ``sent_given`` and clears the flag, or keeps it with the error and
    a later ``retry_after`` when the platform cannot be reached."""

    link = models.ForeignKey(ResourceLink, on_delete=models.CASCADE, related_name="outcomes")
    identity = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="outcomes")
    dirty = models.BooleanField(default=True)
    sent_given = models.IntegerField(null=True, blank=True)
    sent_maximum = models.IntegerField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    retry_after = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["link", "identity"], name="lti_unique_outcome")]
        indexes = [models.Index(fields=["dirty", "retry_after"], name="lti_outcome_pending")]

    def __str__(self) -> str:
        return f"{self.identity} on {self.link}"


class LaunchValue(models.Model):
    """The library's launch storage (state, nonce, launch data) in the database, so that a login
    started on one app server can finish on another, and never in a cookie the iframe may lose."""

    key = models.CharField(max_length=255, unique=True)
    value = models.JSONField()
    expires_at = models.DateTimeField(db_index=True)
