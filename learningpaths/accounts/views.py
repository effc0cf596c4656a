from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

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
