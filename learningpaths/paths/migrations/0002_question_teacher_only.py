from html import escape

from django.db import migrations, models


def mark_existing(apps, schema_editor):
    """Rows loaded before this field existed: a question is teacher-only when its form is in the
    teacher variant but not in the student one (or its object is teacher-exclusive). The next
    ``compilecontent`` writes the compiler's own flag (the compiler's code changed, so every hash)."""
    Question = apps.get_model("paths", "Question")
    for q in Question.objects.select_related("learning_object").iterator():
        obj = q.learning_object
        marker = f'data-question-id="{escape(q.qid)}"'
        if obj.teacher_exclusive or (marker in obj.teacher_html and marker not in obj.html):
            Question.objects.filter(pk=q.pk).update(teacher_only=True)


class Migration(migrations.Migration):
    dependencies = [
        ("paths", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="teacher_only",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(mark_existing, migrations.RunPython.noop),
    ]
