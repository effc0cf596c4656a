from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("paths", "0003_learningobject_completion"),
    ]

    operations = [
        migrations.AddField(
            model_name="learningobject",
            name="runtime",
            field=models.CharField(default="fresh", max_length=5),
        ),
    ]
