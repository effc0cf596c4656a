"""Writes for LTI: keys, launches (account, class, link), scores to the platform, rosters.

Keyword-only and atomic, as elsewhere. Calls to a platform (scores, rosters) run outside any
transaction and never raise: a failure is logged and kept on the row for a later try.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from jwcrypto.jwk import JWK
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.grade import Grade
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector

from learningpaths.classroom.models import NAME_MAX as CLASS_NAME_MAX, Classroom, Membership
from learningpaths.classroom.services import classroom_create
from learningpaths.core.exceptions import ApplicationError

from . import claims, http
from .claims import ClaimError, Launch
from .models import Context, Identity, LaunchValue, Outcome, Registration, ResourceLink, ToolKey
from .selectors import outcome_score
from .toolconf import lib_registration

logger = logging.getLogger(__name__)

RETRY_BASE = timedelta(minutes=1)
RETRY_MAX = timedelta(hours=6)
MAX_ROSTER_PAGES = 50
MAX_ROSTER_MEMBERS = 5000
ERROR_MAX = 500


# -- keys -------------------------------------------------------------------------------------------


@transaction.atomic
def tool_key_create() -> ToolKey:
    """A new RSA key that signs from now on; older keys stay published until retired."""
    key = JWK.generate(kty="RSA", size=2048)
    return ToolKey.objects.create(
        kid=key.thumbprint(),
        private_pem=key.export_to_pem(private_key=True, password=None).decode(),
        public_pem=key.export_to_pem().decode(),
    )


@transaction.atomic
def tool_key_rotate(*, retire_older_than: timedelta | None = None) -> tuple[ToolKey, int]:
    """Add a signing key; retire keys (other than the new one) created longer ago than
    ``retire_older_than`` (None: retire none; platforms cache our JWKS, so keep the previous key
    published for at least their cache time). Returns the new key and how many were retired."""
    new = tool_key_create()
    retired = 0
    if retire_older_than is not None:
        retired = (
            ToolKey.objects.filter(retired_at__isnull=True, created_at__lt=timezone.now() - retire_older_than)
            .exclude(pk=new.pk)
            .update(retired_at=timezone.now())
        )
    return new, retired


@transaction.atomic
def tool_key_retire(*, key: ToolKey) -> None:
    if key.retired_at is None:
        key.retired_at = timezone.now()
        key.save(update_fields=["retired_at"])


def launch_values_clear() -> int:
    """Forget expired login states, nonces and launches."""
    deleted, _ = LaunchValue.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


# -- launches ---------------------------------------------------------------------------------------


@transaction.atomic
def identity_sign_in(*, registration: Registration, sub: str, name: str, teacher: bool):
    """The local account linked to (platform, sub), made on the first launch. Only the name (or a
    pseudonym) and the role are kept; the platform's role decides at every launch."""
    User = get_user_model()
    role = User.Role.TEACHER if teacher else User.Role.STUDENT
    identity = Identity.objects.select_related("user").filter(registration=registration, sub=sub).first()
    for _attempt in range(3):
        if identity is not None:
            break
        try:
            with transaction.atomic():
                # A random username: it says nothing about the pupil, and nobody can take it beforehand.
                user = User(username=f"lti-{secrets.token_hex(6)}", first_name=name[:150], role=role)
                user.set_unusable_password()  # they sign in through their platform only
                user.save()
                return Identity.objects.create(registration=registration, sub=sub, user=user)
        except IntegrityError:  # another launch of the same pupil made it first, or the name was taken
            identity = Identity.objects.select_related("user").filter(registration=registration, sub=sub).first()
    if identity is None:
        raise ApplicationError(_("Your account could not be made; launch again."), extra={"status": 503})
    user = identity.user
    changed = []
    if name and user.first_name != name[:150]:
        user.first_name = name[:150]
        changed.append("first_name")
    if user.role != role and not user.is_staff:
        user.role = role
        changed.append("role")
    if changed:
        user.save(update_fields=changed)
    return identity


@transaction.atomic
def context_join(*, registration: Registration, launch: Launch, user) -> Context | None:
    """The class mirroring the launch's course, made on a teacher's first launch; the user joins it
    (a teacher as one of its teachers, a pupil as an active member: the platform vouches for them)."""
    if not launch.context_id:
        return None
    context, _created = Context.objects.select_for_update().get_or_create(
        registration=registration, context_id=launch.context_id, defaults={"title": launch.context_title}
    )
    fields = []
    if launch.context_title and context.title != launch.context_title:
        context.title = launch.context_title
        fields.append("title")
    if launch.memberships_url and context.memberships_url != launch.memberships_url:
        context.memberships_url = launch.memberships_url
        fields.append("memberships_url")
    if context.classroom_id is None and launch.teacher:
        name = (launch.context_title.strip() or launch.context_id.strip())[:CLASS_NAME_MAX].strip() or "LTI"
        context.classroom = classroom_create(teacher=user, name=name)
        fields.append("classroom")
    if fields:
        context.save(update_fields=fields)
    if context.classroom_id is not None:
        _place(context.classroom, user, teacher=launch.teacher)
    return context


def _place(classroom: Classroom, user, *, teacher: bool) -> None:
    if teacher:
        classroom.teachers.add(user)
    else:
        Membership.objects.update_or_create(
            classroom=classroom, user=user, defaults={"status": Membership.Status.ACTIVE}
        )


@transaction.atomic
def resource_link_record(
    *, registration: Registration, launch: Launch, context: Context | None, path_hruid: str, path_language: str
) -> ResourceLink:
    fields = {"context": context, "path_hruid": path_hruid, "path_language": path_language}
    if launch.lineitem_url:
        # Only a launch that names the line item changes it: some platforms leave the grade service
        # out of an instructor's launch, which must not stop the pupils' scores.
        fields |= {"lineitem_url": launch.lineitem_url, "can_post_scores": launch.can_post_scores}
    link, _created = ResourceLink.objects.update_or_create(
        registration=registration, link_id=launch.link_id, defaults=fields
    )
    return link


@transaction.atomic
def outcome_track(*, link: ResourceLink, identity: Identity) -> Outcome | None:
    """Follow this pupil's score on this link (only where the platform takes scores)."""
    if not link.can_post_scores:
        return None
    outcome, _created = Outcome.objects.get_or_create(link=link, identity=identity)
    return outcome


def outcomes_mark_changed(*, user) -> int:
    """The pupil's progress changed: their scores need a look. Returns how many may be sent now.
    A read first, so the many users without an LTI link cost no write."""
    followed = Outcome.objects.filter(identity__user=user, link__can_post_scores=True)
    if not followed.exists():
        return 0
    followed.filter(dirty=False).update(dirty=True, retry_after=None)
    # Those backing off after a failure wait for their retry time (the platform is down).
    return followed.filter(retry_after__isnull=True).count()


# -- scores -----------------------------------------------------------------------------------------


def _connector(registration: Registration) -> ServiceConnector:
    return ServiceConnector(lib_registration(registration), http.session())


def outcome_send(*, outcome: Outcome) -> bool:
    """Compute the pupil's path score and post it to the link's line item when it changed since
    the last send. Never raises: True when the platform has the score, False to try again later."""
    link = outcome.link
    score = outcome_score(outcome=outcome)
    if score is None:  # the path is gone: nothing to send
        Outcome.objects.filter(pk=outcome.pk).update(dirty=False)
        return True
    given, maximum, finished = score
    if (given, maximum) == (outcome.sent_given, outcome.sent_maximum):
        Outcome.objects.filter(pk=outcome.pk).update(dirty=False, last_error="")
        return True
    grade = (
        Grade()
        .set_score_given(given)
        .set_score_maximum(maximum)
        .set_timestamp(timezone.now().isoformat(timespec="milliseconds"))
        .set_activity_progress("Completed" if finished else "InProgress")
        .set_grading_progress("FullyGraded")
        .set_user_id(outcome.identity.sub)
    )
    service = AssignmentsGradesService(
        _connector(link.registration), {"scope": [claims.SCORE_SCOPE], "lineitem": link.lineitem_url}
    )
    try:
        service.put_grade(grade)
    except Exception as exc:  # noqa: BLE001 (the platform's answer, whatever it is, must not reach the pupil)
        attempts = outcome.attempts + 1
        delay = min(RETRY_BASE * (2 ** min(attempts - 1, 12)), RETRY_MAX)
        Outcome.objects.filter(pk=outcome.pk).update(
            attempts=attempts, retry_after=timezone.now() + delay, last_error=_describe(exc)[:ERROR_MAX]
        )
        logger.warning("LTI score for outcome %s not sent (try %d): %s", outcome.pk, attempts, _describe(exc))
        return False
    Outcome.objects.filter(pk=outcome.pk).update(
        dirty=False,
        sent_given=given,
        sent_maximum=maximum,
        sent_at=timezone.now(),
        attempts=0,
        retry_after=None,
        last_error="",
    )
    return True


def outcomes_send(*, user=None, limit: int = 500) -> tuple[int, int]:
    """Send the pending scores (of one user, or all whose retry time has come); returns
    (sent, failed)."""
    now = timezone.now()
    rows = Outcome.objects.filter(dirty=True).select_related("link__registration", "identity__user")
    rows = rows.filter(identity__user=user) if user is not None else rows.exclude(retry_after__gt=now)
    sent = failed = 0
    for outcome in rows.order_by("pk")[:limit]:
        if outcome_send(outcome=outcome):
            sent += 1
        else:
            failed += 1
    return sent, failed


def _describe(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if response is not None and getattr(response, "status_code", None):
        return f"{type(exc).__name__}: HTTP {response.status_code}"
    return f"{type(exc).__name__}: {exc}"


# -- rosters ----------------------------------------------------------------------------------------


def roster_sync(*, context: Context) -> tuple[int, str]:
    """Fill the context's class from the platform's roster (Names and Role Provisioning): every
    active member gets a linked account and a place in the class. Returns (members placed, error);
    the error is "" on success and a short text when the platform could not be asked."""
    if not context.memberships_url or context.classroom_id is None:
        return 0, "no roster service or no class"
    service = NamesRolesProvisioningService(
        _connector(context.registration), {"context_memberships_url": context.memberships_url}
    )
    members: list = []
    url: str | None = context.memberships_url
    try:
        for _page in range(MAX_ROSTER_PAGES):
            page, url = service.get_members_page(url)
            if not isinstance(page, list):
                raise ClaimError("members is not a list")
            members.extend(page)
            if not url or len(members) >= MAX_ROSTER_MEMBERS:
                break
    except Exception as exc:  # noqa: BLE001 (a platform that fails is logged, never raised)
        logger.warning("LTI roster of context %s not read: %s", context.pk, _describe(exc))
        return 0, _describe(exc)[:ERROR_MAX]
    placed = 0
    for member in members[:MAX_ROSTER_MEMBERS]:
        try:
            placed += _roster_member(context, member)
        except ClaimError as exc:
            logger.info("LTI roster member skipped in context %s: %s", context.pk, exc)
    Context.objects.filter(pk=context.pk).update(roster_synced_at=timezone.now())
    return placed, ""


@transaction.atomic
def _roster_member(context: Context, member) -> int:
    if not isinstance(member, dict):
        raise ClaimError("member is not an object")
    if member.get("status", "Active") not in ("Active", None):
        return 0
    sub = claims._text(member.get("user_id"), "user_id", max_length=claims.ID_MAX, required=True)
    roles = claims.roles_of(member.get("roles", []))
    name = claims.display_name(member)
    teacher = claims.is_teacher(roles)
    identity = identity_sign_in(registration=context.registration, sub=sub, name=name, teacher=teacher)
    _place(context.classroom, identity.user, teacher=teacher)
    return 1
