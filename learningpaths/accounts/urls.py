from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from . import views, views_sso

app_name = "accounts"

# Mounted at the site root (see ``learningpaths/urls.py``): sign-in and passwords under accounts/,
# the data export and account deletion at the classes/me/ addresses they had in ``classroom``.
_account_patterns = [
    path("sign-up/", views.sign_up, name="sign_up"),
    path("sign-in/", views.SignInView.as_view(), name="login"),  # at most 10 failures per 15 min
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("sso/<slug:slug>/", views_sso.sso_begin, name="sso_begin"),
    path("sso/<slug:slug>/callback/", views_sso.sso_callback, name="sso_callback"),
    path("sign-ins/", views_sso.sign_ins, name="sign_ins"),
    path("sign-ins/<int:identity_id>/unlink/", views_sso.sign_in_unlink, name="sign_in_unlink"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/form.html",
            success_url=reverse_lazy("accounts:password_change_done"),
            extra_context={"title_key": "password_change"},
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/message.html", extra_context={"message_key": "password_changed"}
        ),
        name="password_change_done",
    ),
    path(
        "password-reset/",
        views.EmailPasswordResetView.as_view(
            template_name="accounts/form.html",
            email_template_name="accounts/password_reset_email.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
            extra_context={"title_key": "password_reset"},
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/message.html", extra_context={"message_key": "reset_sent"}
        ),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/form.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
            extra_context={"title_key": "password_reset_confirm"},
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/message.html", extra_context={"message_key": "reset_done"}
        ),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("accounts/", include(_account_patterns)),
    path("classes/me/data.json", views.my_data, name="my_data"),
    path("classes/me/delete/", views.account_delete, name="account_delete"),
]
