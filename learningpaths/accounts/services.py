"""Writes for accounts."""
from django.db import transaction

from .models import User


@transaction.atomic
def user_sign_up(*, username: str, password: str, as_teacher: bool = False) -> User:
    user = User(username=username, role=User.Role.TEACHER if as_teacher else User.Role.STUDENT)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user
