from django import forms
from django.conf import settings
from django.contrib.auth.forms import UserCreationForm
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from .models import User


class SignUpForm(UserCreationForm):
    """Username and password are enough (students may be pseudonymous)."""

    teacher_code = forms.CharField(
        label=_("Teacher invite code"),
        required=False,
        help_text=_("Only for teachers: the code your school or an administrator gave you."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)

    def clean_teacher_code(self):
        code = self.cleaned_data.get("teacher_code", "").strip()
        if code:
            expected = getattr(settings, "TEACHER_INVITE_CODE", "")
            if not expected or not constant_time_compare(code, expected):
                raise forms.ValidationError(_("This teacher invite code is not valid."))
        return code


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(label=_("Yes, delete my account and all my data. This cannot be undone."))

    def __init__(self, *args, needs_password: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_password:  # an account made by single sign-on has no password here
            del self.fields["password"]
