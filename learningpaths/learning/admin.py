from django.contrib import admin

from .models import PathProgress, StepDone, Submission

admin.site.register(PathProgress)
admin.site.register(StepDone)


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("user", "object_hruid", "question_id", "correct", "score", "created_at")
    list_filter = ("correct",)
