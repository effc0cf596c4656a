from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Context, Deployment, Identity, Outcome, Registration, ResourceLink, ToolKey


class DeploymentInline(admin.TabularInline):
    model = Deployment
    extra = 1


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("name", "issuer", "client_id", "active")
    list_filter = ("active",)
    search_fields = ("name", "issuer", "client_id")
    inlines = [DeploymentInline]


@admin.register(ToolKey)
class ToolKeyAdmin(admin.ModelAdmin):
    list_display = ("kid", "created_at", "retired_at")
    fields = ("kid", "public_pem", "created_at", "retired_at")  # the private key never shows
    readonly_fields = ("kid", "public_pem", "created_at", "retired_at")
    actions = ["rotate", "retire"]

    def has_add_permission(self, request):
        return False  # keys are made by the rotate action or `manage.py lti_rotate_key`

    @admin.action(description=_("Add a new signing key (the selected keys stay published)"))
    def rotate(self, request, queryset):
        key, _retired = services.tool_key_rotate()
        self.message_user(request, _("New signing key %(kid)s.") % {"kid": key.kid}, messages.SUCCESS)

    @admin.action(description=_("Retire the selected keys (no longer published)"))
    def retire(self, request, queryset):
        active = ToolKey.objects.filter(retired_at__isnull=True).exclude(pk__in=queryset.values("pk"))
        if not active.exists():
            self.message_user(request, _("Keep at least one key: add a new one first."), messages.ERROR)
            return
        for key in queryset:
            services.tool_key_retire(key=key)
        self.message_user(request, _("Retired %(n)d keys.") % {"n": queryset.count()}, messages.SUCCESS)


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin):
    list_display = ("sub", "registration", "user", "created_at")
    search_fields = ("sub", "user__username")
    raw_id_fields = ("user",)


@admin.register(Context)
class ContextAdmin(admin.ModelAdmin):
    list_display = ("context_id", "title", "registration", "classroom", "roster_synced_at")
    raw_id_fields = ("classroom",)


@admin.register(ResourceLink)
class ResourceLinkAdmin(admin.ModelAdmin):
    list_display = ("link_id", "registration", "path_hruid", "path_language", "can_post_scores")


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ("identity", "link", "dirty", "sent_given", "sent_maximum", "sent_at", "attempts", "last_error")
    list_filter = ("dirty",)
