"""The compiled content in the admin, read-only: ``compilecontent`` owns these rows (it replaces them
all in one transaction), so an edit here would be lost at the next build or leave the site
disagreeing with ``content/``. Superusers can look, search and filter; nobody adds, changes or deletes.
"""

from django.contrib import admin

from .models import LearningObject, LearningPath, ObjectAsset, PathNode, PathTransition, Question


class CompiledContentMixin:
    """No add, change or delete: the view permission alone gives the admin's read-only pages."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(CompiledContentMixin, admin.TabularInline):
    extra = 0
    show_change_link = True


class AssetInline(ReadOnlyInline):
    model = ObjectAsset
    fields = ("path", "mime", "size", "teacher_only", "sha256")


class QuestionInline(ReadOnlyInline):
    model = Question
    fields = ("qid", "kind", "prompt")


class NodeInline(ReadOnlyInline):
    model = PathNode
    fields = ("position", "object", "start_node", "instruction")


@admin.register(LearningObject)
class LearningObjectAdmin(CompiledContentMixin, admin.ModelAdmin):
    list_display = (
        "hruid",
        "language",
        "version",
        "title",
        "content_type",
        "teacher_exclusive",
        "available",
        "estimated_time",
        "updated_at",
    )
    list_filter = ("language", "content_type", "teacher_exclusive", "available")
    search_fields = ("hruid", "title", "description", "source_path")
    inlines = [AssetInline, QuestionInline]


@admin.register(LearningPath)
class LearningPathAdmin(CompiledContentMixin, admin.ModelAdmin):
    list_display = ("hruid", "language", "title", "min_age", "max_age", "estimated_time", "updated_at")
    list_filter = ("language",)
    search_fields = ("hruid", "title", "description", "source_path")
    exclude = ("image",)  # binary; the page shows it at paths/<hruid>/<language>/image
    inlines = [NodeInline]


@admin.register(ObjectAsset)
class ObjectAssetAdmin(CompiledContentMixin, admin.ModelAdmin):
    list_display = ("learning_object", "path", "mime", "size", "teacher_only")
    list_filter = ("teacher_only", "mime")
    search_fields = ("path", "sha256", "learning_object__hruid")
    list_select_related = ("learning_object",)


@admin.register(Question)
class QuestionAdmin(CompiledContentMixin, admin.ModelAdmin):
    list_display = ("learning_object", "qid", "kind")
    list_filter = ("kind",)
    search_fields = ("qid", "prompt", "learning_object__hruid")
    list_select_related = ("learning_object",)


@admin.register(PathNode)
class PathNodeAdmin(CompiledContentMixin, admin.ModelAdmin):
    list_display = ("path", "position", "object", "start_node")
    list_filter = ("start_node", "path__language")
    search_fields = ("path__hruid", "object__hruid", "instruction")
    list_select_related = ("path", "object")


@admin.register(PathTransition)
class PathTransitionAdmin(CompiledContentMixin, admin.ModelAdmin):
    list_display = ("node", "next_node", "position", "default", "condition")
    list_filter = ("default",)
    search_fields = ("node__path__hruid", "condition")
    list_select_related = ("node__path", "node__object", "next_node__path", "next_node__object")
