from django.contrib.auth import login
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from learningpaths.core import ratelimit

from .forms import SignUpForm
from .services import user_sign_up


@require_http_methods(["GET", "POST"])
def sign_up(request):
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_sign_up(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            as_teacher=bool(form.cleaned_data.get("teacher_code")),
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("paths:catalogue")
    return render(request, "accounts/sign_up.html", {"form": form}, status=400 if form.errors else 200)


class RateLimitedAuthenticationForm(AuthenticationForm):
    """Refuses to check the password once this username and address had too many failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "too_many_attempts": _("Too many failed attempts to sign in. Wait 15 minutes and try again, "
                               "or ask your teacher to reset your password."),
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

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked:
            response.status_code = 429
            response["Retry-After"] = str(ratelimit.signin_window())
        return response
