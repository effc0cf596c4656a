"""Forms: they check shape and size; the services decide the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CODE_LENGTH, NAME_MAX, Assignment


class ClassroomForm(forms.Form):
    name = forms.CharField(
        label=_("Class name"), max_length=NAME_MAX, help_text=_("For example “3B science” or “AI club”.")
    )
    approval_required = forms.BooleanField(
        label=_("I approve each student who joins"),
        required=False,
        help_text=_("Off: anyone with the code joins at once. On: they wait until you accept them."),
    )


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Class code"),
        max_length=CODE_LENGTH + 10,
        min_length=1,
        help_text=_("The code your teacher gave you, for example K7QM3X."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class TeacherAddForm(forms.Form):
    username = forms.CharField(label=_("Username of the co-teacher"), max_length=150)


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Group name"), max_length=NAME_MAX)
    members = forms.MultipleChoiceField(label=_("Members"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, students=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(str(s.pk), s.username) for s in students]


class AssignmentForm(forms.Form):
    path = forms.ChoiceField(label=_("Learning path"))
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        required=False,
        help_text=_("Optional. Work handed in later is marked as late, not refused."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    groups = forms.MultipleChoiceField(
        label=_("Only for these groups"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose no group to give it to the whole class."),
    )

    def __init__(self, *args, paths=(), groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["path"].choices = [("", _("Choose a learning path"))] + [
            (f"{p.hruid}|{p.language}", f"{p.title} ({p.language})") for p in paths
        ]
        self.fields["groups"].choices = [(str(g.pk), g.name) for g in groups]
        self._groups = {str(g.pk): g for g in groups}
        if not groups:
            del self.fields["groups"]

    def clean_path(self):
        hruid, _sep, language = self.cleaned_data["path"].partition("|")
        return hruid, language

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        problem = Assignment.deadline_problem(deadline)
        if problem:
            raise forms.ValidationError(problem, code="deadline_range")
        return deadline

    def clean_groups(self):
        return [self._groups[pk] for pk in self.cleaned_data.get("groups", [])]


class ClassAccountsForm(forms.Form):
    names = forms.CharField(
        label=_("Names of the pupils, one a line"),
        max_length=20_000,
        strip=False,  # blank lines only: the list's own message ("at least one name")
        widget=forms.Textarea(attrs={"rows": 8, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("For pupils without e-mail: each gets an account and a sign-in card with a password."),
    )


class ClassSignInForm(forms.Form):
    code = forms.CharField(
        label=_("Class code"),
        max_length=CODE_LENGTH + 10,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    name = forms.CharField(
        label=_("Your name, as on your card"), max_length=60, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
