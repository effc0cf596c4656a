"""Writes for accounts."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from learningpaths.core.exceptions import ApplicationError

from . import exports
from .models import User


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
    if not password or not user.check_password(password):
        raise ApplicationError(_("This password is not right."), extra={"status": 400})
    report = {"username": user.username}
    for deletion in exports.deletions():
        report.update(deletion.delete(user=user))
    user.delete()  # Submission, PathProgress, StepDone, Membership and group links cascade
    return report
