"""The custom user model, in place from the first migration (Django's advice)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    class Role(models.TextChoices):
        STUDENT = "student", _("Student")
        TEACHER = "teacher", _("Teacher")

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.STUDENT)
    # Students may be pseudonymous: a username is enough, e-mail and names stay optional.

    @property
    def is_teacher(self) -> bool:
        """Teachers and staff see teacher-only material."""
        return self.role == self.Role.TEACHER or self.is_staff


class Identity(models.Model):
    """A sign-in at an OpenID Connect provider linked to an account (``accounts/sso.py``). Only what
    recognises the person again (issuer and subject) and what the site shows (a name or pseudonym)
    is kept: no e-mail address, no tokens, none of the provider's other claims."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="identities")
    provider = models.CharField(_("provider"), max_length=30)  # its slug in SSO_PROVIDERS
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    name = models.CharField(_("name"), max_length=150, blank=True)
    teacher = models.BooleanField(_("teacher according to the provider"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="unique_identity")]
        ordering = ["provider", "pk"]
        verbose_name = _("linked sign-in")
        verbose_name_plural = _("linked sign-ins")

    def __str__(self) -> str:
        return f"{self.provider}: {self.name or self.subject}"
