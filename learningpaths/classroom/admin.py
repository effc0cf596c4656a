from django.contrib import admin

from .models import Assignment, ClassAccount, Classroom, Group, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Classroom)
class ClassroomAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "approval_required", "created_at")
    search_fields = ("name", "code")
    filter_horizontal = ("teachers",)
    inlines = [MembershipInline]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ("name", "classroom")
    filter_horizontal = ("members",)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("title", "classroom", "path_hruid", "path_language", "deadline")
    list_filter = ("path_language",)


@admin.register(ClassAccount)
class ClassAccountAdmin(admin.ModelAdmin):
    list_display = ("name", "classroom", "user", "created_at")
    search_fields = ("name", "user__username", "classroom__name")
    raw_id_fields = ("user", "classroom")
    exclude = ("qr_token_hash",)
