"""Writes for accounts."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learningpaths.core.exceptions import ApplicationError

from . import exports, selectors, sso
from .models import Identity, User


@transaction.atomic
def user_sign_up(*, username: str, password: str, as_teacher: bool = False) -> User:
    user = User(username=username, role=User.Role.TEACHER if as_teacher else User.Role.STUDENT)
    user.set_password(password)
    user.full_clean(exclude=["password"])  # says "taken" at once, in the usual case
    try:
        with transaction.atomic():  # a savepoint: the unique index decides when two sign up at once
            user.save()
    except IntegrityError:
        raise ValidationError({"username": User._meta.get_field("username").error_messages["unique"]}) from None
    return user


@transaction.atomic
def account_delete(*, user, password: str) -> dict:
    """Delete the account and everything that is theirs (answers, progress, memberships: they
    cascade). Each app's registered deletion runs first (``exports.deletion_register``): classes
    they alone teach are deleted too; classes shared with co-teachers stay."""
    if user.has_usable_password() and (not password or not user.check_password(password)):
        raise ApplicationError(_("This password is not right."), extra={"status": 400})
    report = {"username": user.username}
    for deletion in exports.deletions():
        report.update(deletion.delete(user=user))
    user.delete()  # Submission, PathProgress, StepDone, Membership and group links cascade
    return report


# -- single sign-on (accounts/sso.py) ---------------------------------------------------------------


def user_create_unique(*, name: str, role: str = User.Role.STUDENT, password: str | None = None, **fields) -> User:
    """A new account with a free username made from ``name`` (``selectors.username_free``); without
    ``password`` it has none that works (single sign-on). Retried once if someone takes the name meanwhile."""
    for _attempt in range(3):
        user = User(username=selectors.username_free(name), role=role, **fields)
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            continue
        return user
    raise ApplicationError(_("Could not find a free username. Try again."), extra={"status": 409})


def _identity_update(identity: Identity, *, config: dict, claims: dict) -> Identity:
    identity.provider = config["slug"]
    identity.name = sso.claims_name(claims)
    identity.teacher = sso.claims_teacher(config, claims)
    identity.last_used_at = timezone.now()
    identity.save()
    user = identity.user
    # The claim makes someone a teacher; it never takes that away (an invite code or the admin gave it).
    if identity.teacher and user.role != User.Role.TEACHER:
        user.role = User.Role.TEACHER
        user.save(update_fields=["role"])
    return identity


def _user_by_verified_email(claims: dict) -> User | None:
    """The one ordinary account with the address the provider verified, or None (none, several, staff)."""
    email = sso.claims_verified_email(claims)
    if not email:
        return None
    found = list(User.objects.filter(email__iexact=email, is_active=True)[:2])
    if len(found) != 1 or found[0].is_staff or found[0].is_superuser:
        return None
    if found[0].identities.filter(issuer=claims["iss"]).exists():  # already linked to someone else there
        return None
    return found[0]


@transaction.atomic
def identity_sign_in(*, config: dict, claims: dict) -> User:
    """The account for checked ID-token ``claims`` of provider ``config``: the one linked to this
    issuer and subject; else, when the provider is trusted for it, the one account with the address
    it verified; else a new student (or teacher, per the claim) account without password or e-mail."""
    issuer, subject = str(claims["iss"]), str(claims["sub"])
    identity = (
        Identity.objects.select_for_update().select_related("user").filter(issuer=issuer, subject=subject).first()
    )
    if identity is None:
        user = _user_by_verified_email(claims) if config.get("email_linking") else None
        if user is None:
            teacher = sso.claims_teacher(config, claims)
            user = user_create_unique(
                name=sso.claims_name(claims) or config["slug"], role=User.Role.TEACHER if teacher else User.Role.STUDENT
            )
        identity = Identity(user=user, issuer=issuer, subject=subject)
    if not identity.user.is_active:
        raise ApplicationError(
            _("This account is switched off. Ask your teacher or the administrator."), extra={"status": 403}
        )
    return _identity_update(identity, config=config, claims=claims).user


@transaction.atomic
def identity_link(*, user: User, config: dict, claims: dict) -> Identity:
    """Link the provider's account in ``claims`` to the signed-in ``user``."""
    issuer, subject = str(claims["iss"]), str(claims["sub"])
    identity = Identity.objects.select_for_update().filter(issuer=issuer, subject=subject).first()
    if identity is not None and identity.user_id != user.pk:
        raise ApplicationError(
            _("This %(provider)s account is already linked to another account here.") % {"provider": config["name"]},
            extra={"status": 409},
        )
    identity = identity or Identity(user=user, issuer=issuer, subject=subject)
    return _identity_update(identity, config=config, claims=claims)


@transaction.atomic
def identity_unlink(*, user: User, identity_id: int) -> None:
    identity = Identity.objects.select_for_update().filter(user=user, pk=identity_id).first()
    if identity is None:
        raise ApplicationError(_("This linked sign-in does not exist."), extra={"status": 404})
    if not user.has_usable_password() and user.identities.count() == 1:
        raise ApplicationError(
            _("This is the only way you can sign in to this account. Link another sign-in first."),
            extra={"status": 400},
        )
    identity.delete()
