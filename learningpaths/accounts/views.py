import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, PasswordResetView
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from learningpaths.core import ratelimit
from learningpaths.core.exceptions import ApplicationError

from . import selectors, services, sso
from .forms import AccountDeleteForm, SignUpForm


@require_http_methods(["GET", "HEAD", "POST"])
def sign_up(request):
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_sign_up(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                as_teacher=bool(form.cleaned_data.get("teacher_code")),
            )
        except ValidationError as exc:  # someone took the username since the form checked it
            form.add_error(None, exc)
        else:
            # login() sends user_logged_in: a visitor's answers move into the new account (learning).
            login(request, user, backend="learningpaths.accounts.backends.ModelBackend")
            # Back to the page they came from (the path they were answering on), like sign-in's ?next=.
            target = request.GET.get("next", "")
            if url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                return redirect(target)
            return redirect("paths:catalogue")
    return render(request, "accounts/sign_up.html", {"form": form}, status=400 if form.errors else 200)


class RateLimitedAuthenticationForm(AuthenticationForm):
    """Refuses to check the password once this username and address had too many failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "too_many_attempts": _(
            "Too many failed attempts to sign in. Wait 15 minutes and try again, "
            "or ask your teacher to reset your password."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.locked = False

    def clean(self):
        key = ratelimit.signin_key(self.request, self.data.get("username", ""))
        if ratelimit.signin_is_locked(key):
            self.locked = True
            raise ValidationError(self.error_messages["too_many_attempts"], code="too_many_attempts")
        try:
            cleaned = super().clean()
        except ValidationError:
            ratelimit.signin_record_failure(key)
            raise
        ratelimit.signin_clear(key)
        return cleaned


class SignInView(LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = RateLimitedAuthenticationForm

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "reset_by_email": selectors.password_reset_by_email(),
            "sso_providers": sso.providers(),
        }

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked:
            response.status_code = 429
            response["Retry-After"] = str(ratelimit.signin_window())
        return response


class EmailPasswordResetView(PasswordResetView):
    """Django's reset by e-mail where a mail can arrive; elsewhere a page saying who can help
    (students often have no e-mail address: their teacher sets a new password on the class page)."""

    def dispatch(self, request, *args, **kwargs):
        if not selectors.password_reset_by_email():
            return render(request, "accounts/message.html", {"message_key": "reset_by_teacher"})
        return super().dispatch(request, *args, **kwargs)


# -- my data (GDPR) --------------------------------------------------------------------------------


@login_required
@require_safe
def my_data(request):
    data = selectors.user_data(user=request.user)
    # The sections export stored values safely (core.jsonvalues); "replace" is the last guard for any
    # other text (a name written by the admin) holding a lone surrogate, which UTF-8 cannot encode.
    body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8", errors="replace")
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="learningpaths-{request.user.pk}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, needs_password=request.user.has_usable_password())
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.account_delete(user=request.user, password=form.cleaned_data.get("password", ""))
            except ApplicationError as exc:
                form.add_error("password", exc.message)
            else:
                logout(request)
                messages.success(request, gettext("Your account and all your data were deleted."))
                return redirect("paths:catalogue")
        status = 400
    warnings = selectors.account_delete_warnings(user=request.user)
    return render(request, "accounts/account_delete.html", {"form": form, "warnings": warnings}, status=status)
