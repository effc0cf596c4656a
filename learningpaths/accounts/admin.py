from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Identity, User


@admin.register(User)
class LearningPathsUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (("Role", {"fields": ("role",)}),)
    list_display = ("username", "email", "role", "is_staff")
    list_filter = ("role", "is_staff", "is_active")


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin):
    list_display = ("user", "provider", "name", "teacher", "last_used_at")
    list_filter = ("provider", "teacher")
    search_fields = ("user__username", "name", "subject")
    raw_id_fields = ("user",)
