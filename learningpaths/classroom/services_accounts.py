"""Class accounts for pupils without e-mail: a teacher pastes names, the site makes the accounts and
one sign-in card each (class code, name, a short password shown once); a teacher prints a new card
when a pupil lost theirs. Pupils sign in with the card (``views_accounts.class_sign_in``)."""

from __future__ import annotations

import secrets
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _, ngettext

from learningpaths.accounts import services as accounts
from learningpaths.core.exceptions import ApplicationError

from .models import ClassAccount, Classroom, Membership
from .services import _require_teacher

NAME_MAX = 60
BATCH_MAX = 100  # names in one paste: a class or two
PASTE_MAX = 20_000  # characters
# No 0/o, 1/l/i: read off a card by a 12-year-old. 8 of 31 characters: about 40 bits, and sign-in
# attempts are rate-limited (core/ratelimit.py).
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PASSWORD_LENGTH = 8


@dataclass(frozen=True)
class Card:
    name: str
    code: str
    password: str
    user_id: int
    token: str  # for the QR code: signs the pupil in once (``class_account_token_sign_in``)


def _token() -> str:
    return secrets.token_urlsafe(24)  # 192 random bits: not guessable, so no rate limit is needed


def _clean(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split())


def _bad_character(name: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in name)


def class_names_parse(text: str) -> list[str]:
    """The names in a pasted list, one a line, or ``ApplicationError`` saying what to fix."""
    if len(text) > PASTE_MAX:
        raise ApplicationError(_("This list is too long. Paste at most %(n)d names at a time.") % {"n": BATCH_MAX})
    names = [_clean(line) for line in text.splitlines()]
    names = [n for n in names if n]
    if not names:
        raise ApplicationError(_("Paste at least one name, one name a line."))
    if len(names) > BATCH_MAX:
        raise ApplicationError(
            _("That is %(count)d names; paste at most %(n)d at a time.") % {"count": len(names), "n": BATCH_MAX}
        )
    for name in names:
        if len(name) > NAME_MAX:
            raise ApplicationError(
                _("This name is longer than %(n)d characters: %(name)s")
                % {"n": NAME_MAX, "name": name[:NAME_MAX] + "…"}
            )
        if _bad_character(name):
            raise ApplicationError(_("This name has a character that cannot be used: %(name)s") % {"name": name})
    seen: dict[str, str] = {}
    twice = []
    for name in names:
        key = ClassAccount.key_of(name)
        if key in seen and seen[key] not in twice:
            twice.append(seen[key])
        seen.setdefault(key, name)
    if twice:
        raise ApplicationError(
            ngettext(
                "This name is in the list twice: %(names)s. Add a letter of the surname to tell them apart.",
                "These names are in the list twice: %(names)s. Add a letter of the surname to tell them apart.",
                len(twice),
            )
            % {"names": ", ".join(twice)}
        )
    return names


def _password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(PASSWORD_LENGTH))


def _hashes(passwords: list[str]) -> list[str]:
    """Hash in threads: PBKDF2 releases the GIL, and 30 pupils one after the other take many seconds."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(make_password, passwords))


@transaction.atomic
def class_accounts_create(*, classroom: Classroom, actor, names: list[str]) -> list[Card]:
    """An account, an active membership and a card for each name (all or none)."""
    _require_teacher(classroom, actor)
    keys = {ClassAccount.key_of(n): n for n in names}
    taken = list(ClassAccount.objects.filter(classroom=classroom, name_key__in=keys).values_list("name", flat=True))
    if taken:
        raise ApplicationError(
            _("Already in this class: %(names)s. Give a new pupil another name.") % {"names": ", ".join(taken)},
            extra={"status": 409},
        )
    passwords = [_password() for _n in names]
    cards = []
    for name, hashed, password in zip(names, _hashes(passwords), passwords, strict=True):
        user = accounts.user_create_unique(name=f"{classroom.code}.{name}", first_name=name[:150])
        user.password = hashed
        user.save(update_fields=["password"])
        token = _token()
        try:
            with transaction.atomic():
                ClassAccount.objects.create(
                    classroom=classroom,
                    user=user,
                    name=name,
                    name_key=ClassAccount.key_of(name),
                    qr_token_hash=ClassAccount.token_hash(token),
                )
        except IntegrityError:  # another teacher of this class added the same name meanwhile
            raise ApplicationError(
                _("Already in this class: %(names)s. Give a new pupil another name.") % {"names": name},
                extra={"status": 409},
            ) from None
        Membership.objects.create(classroom=classroom, user=user, status=Membership.Status.ACTIVE)
        cards.append(Card(name=name, code=classroom.code, password=password, user_id=user.pk, token=token))
    return cards


@transaction.atomic
def class_account_password_reset(*, classroom: Classroom, actor, user_id: int) -> Card:
    """A new password and QR code (a new card) for one pupil's class account; the old card stops working."""
    _require_teacher(classroom, actor)
    account = ClassAccount.objects.select_related("user").filter(classroom=classroom, user_id=user_id).first()
    if account is None:
        raise ApplicationError(_("This pupil has no class account in this class."), extra={"status": 404})
    password, token = _password(), _token()
    account.user.set_password(password)
    account.user.save(update_fields=["password"])
    account.qr_token_hash = ClassAccount.token_hash(token)
    account.save(update_fields=["qr_token_hash"])
    return Card(name=account.name, code=classroom.code, password=password, user_id=account.user_id, token=token)


@transaction.atomic
def class_account_token_sign_in(*, token: str):
    """The pupil whose card's QR code holds ``token``; the token works once (then the password does)."""
    account = (
        ClassAccount.objects.select_for_update()
        .select_related("user")
        .filter(qr_token_hash=ClassAccount.token_hash(token))
        .first()
    )
    if not token or account is None or not account.user.is_active:
        raise ApplicationError(
            _(
                "This QR code was already used, or your teacher made a new card. "
                "Sign in with the class code, your name and the password on your card."
            ),
            extra={"status": 404},
        )
    account.qr_token_hash = ""
    account.save(update_fields=["qr_token_hash"])
    return account.user
