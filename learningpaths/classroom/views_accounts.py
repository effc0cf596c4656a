"""Class accounts: the teacher's bulk creation and new cards, the printable cards, the pupils' sign-in."""

from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from learningpaths.core import ratelimit
from learningpaths.core.exceptions import ApplicationError

from . import cards as card_render, selectors_access, services_accounts
from .forms import ClassAccountsForm, ClassSignInForm
from .models import ClassAccount, Classroom
from .views import _class_page

BACKEND = "learningpaths.accounts.backends.ModelBackend"


def _cards_page(request, classroom, cards):
    rows = []
    for card in cards:
        url = card_render.token_url(request, token=card.token)
        rows.append((card, url, card_render.qr_svg(url)))
    response = render(request, "classroom/cards.html", {"classroom": classroom, "rows": rows})
    response["Cache-Control"] = "private, no-store"  # the passwords are on it
    return response


@login_required
@require_POST
def class_accounts_create(request, class_id: int):
    classroom = selectors_access.classroom_for_teacher(user=request.user, class_id=class_id)
    form = ClassAccountsForm(request.POST, auto_id="id_accounts_%s")
    try:
        if not form.is_valid():
            raise ApplicationError(" ".join(e for errors in form.errors.values() for e in errors))
        names = services_accounts.class_names_parse(form.cleaned_data["names"])
        cards = services_accounts.class_accounts_create(classroom=classroom, actor=request.user, names=names)
    except ApplicationError as exc:
        return _class_page(
            request, classroom, status=exc.extra.get("status", 400), accounts_form=form, accounts_error=exc.message
        )
    return _cards_page(request, classroom, cards)


@login_required
@require_POST
def class_account_card(request, class_id: int, user_id: int):
    classroom = selectors_access.classroom_for_teacher(user=request.user, class_id=class_id)
    try:
        card = services_accounts.class_account_password_reset(classroom=classroom, actor=request.user, user_id=user_id)
    except ApplicationError as exc:
        raise Http404(exc.message) from None
    return _cards_page(request, classroom, [card])


@require_http_methods(["GET", "HEAD", "POST"])
def class_sign_in(request):
    initial = {"code": request.GET.get("code", "")[:16], "name": request.GET.get("name", "")[:60]}
    form = ClassSignInForm(request.POST or None, initial=initial)
    status = 200
    response_headers = {}
    if request.method == "POST":
        status = 400
        if form.is_valid():
            code, name = form.cleaned_data["code"].strip().upper(), form.cleaned_data["name"]
            key = ratelimit.signin_key(request, f"class:{code}:{ClassAccount.key_of(name)}")
            if ratelimit.signin_is_locked(key):
                form.add_error(
                    None,
                    _(
                        "Too many failed attempts to sign in. Wait 15 minutes and try again, "
                        "or ask your teacher for a new card."
                    ),
                )
                status = 429
                response_headers["Retry-After"] = str(ratelimit.signin_window())
            elif not Classroom.objects.filter(code=code).exists():
                ratelimit.signin_record_failure(key)
                form.add_error("code", _("There is no class with this code. Check the code on your card."))
            else:
                account = selectors_access.class_account_for_sign_in(code=code, name=name)
                password = form.cleaned_data["password"]
                if account is None:
                    make_password(password)  # as long as a real check: the answer's time tells nothing
                elif account.user.is_active and account.user.check_password(password):
                    ratelimit.signin_clear(key)
                    login(request, account.user, backend=BACKEND)
                    return redirect("classroom:home")
                ratelimit.signin_record_failure(key)
                form.add_error(None, _("This name and password do not match. Check your card, or ask your teacher."))
    response = render(request, "classroom/class_sign_in.html", {"form": form}, status=status)
    for header, value in response_headers.items():
        response[header] = value
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def card_sign_in(request, token: str):
    """The QR code's address. GET only asks (a phone's link preview must not use up the code); the
    button posts, which signs the pupil in and makes the code useless for anyone after them."""
    if request.method == "POST":
        try:
            user = services_accounts.class_account_token_sign_in(token=token)
        except ApplicationError as exc:
            return render(request, "classroom/card_sign_in.html", {"error": exc.message}, status=404)
        login(request, user, backend=BACKEND)
        return redirect("classroom:home")
    account = selectors_access.class_account_for_token(token=token)
    if account is None:
        error = _(
            "This QR code was already used, or your teacher made a new card. "
            "Sign in with the class code, your name and the password on your card."
        )
        return render(request, "classroom/card_sign_in.html", {"error": error}, status=404)
    response = render(request, "classroom/card_sign_in.html", {"account": account})
    response["Cache-Control"] = "private, no-store"
    return response
