from django.urls import path

from . import views, views_accounts

app_name = "classroom"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.classroom_create, name="create"),
    path("join/", views.join, name="join"),
    path("sign-in/", views_accounts.class_sign_in, name="class_sign_in"),  # pupils with a sign-in card
    path("card/<str:token>/", views_accounts.card_sign_in, name="card_sign_in"),  # its QR code, once
    path("returns/<str:hruid>/<str:language>/<int:version>/", views.return_value, name="return_value"),
    path("<int:class_id>/", views.classroom_detail, name="detail"),
    path("<int:class_id>/settings/", views.classroom_update, name="update"),
    path("<int:class_id>/code/", views.classroom_code, name="code"),
    path("<int:class_id>/delete/", views.classroom_delete, name="delete"),
    path("<int:class_id>/leave/", views.leave, name="leave"),
    path("<int:class_id>/students/<int:user_id>/approve/", views.member_approve, name="member_approve"),
    path("<int:class_id>/students/<int:user_id>/remove/", views.member_remove, name="member_remove"),
    path("<int:class_id>/students/<int:user_id>/password/", views.member_password_reset, name="member_password_reset"),
    path("<int:class_id>/accounts/new/", views_accounts.class_accounts_create, name="class_accounts_create"),
    path("<int:class_id>/students/<int:user_id>/card/", views_accounts.class_account_card, name="class_account_card"),
    path("<int:class_id>/teachers/add/", views.teacher_add, name="teacher_add"),
    path("<int:class_id>/teachers/<int:user_id>/remove/", views.teacher_remove, name="teacher_remove"),
    path("<int:class_id>/groups/new/", views.group_create, name="group_create"),
    path("<int:class_id>/groups/<int:group_id>/", views.group_edit, name="group_edit"),
    path("<int:class_id>/groups/<int:group_id>/delete/", views.group_delete, name="group_delete"),
    path("<int:class_id>/assignments/new/", views.assignment_create, name="assignment_create"),
    path("<int:class_id>/assignments/<int:assignment_id>/", views.dashboard, name="dashboard"),
    path("<int:class_id>/assignments/<int:assignment_id>/export.csv", views.dashboard_csv, name="dashboard_csv"),
    path("<int:class_id>/assignments/<int:assignment_id>/answers.csv", views.answers_csv, name="answers_csv"),
    path("<int:class_id>/assignments/<int:assignment_id>/edit/", views.assignment_edit, name="assignment_edit"),
    path("<int:class_id>/assignments/<int:assignment_id>/delete/", views.assignment_delete, name="assignment_delete"),
    path(
        "<int:class_id>/assignments/<int:assignment_id>/students/<int:user_id>/",
        views.student_answers,
        name="student_answers",
    ),
    path(
        "<int:class_id>/assignments/<int:assignment_id>/students/<int:user_id>/answers/<int:submission_id>/review/",
        views.answer_review,
        name="answer_review",
    ),
]
