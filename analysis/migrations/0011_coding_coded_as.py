"""Each coding keeps the code its coder chose (`coded_as`): merges and splits move `code`,
never this. Existing codings were coded as the code they have now, as far as the table
knows (the audit log holds what earlier merges moved)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F


def coded_as_is_the_code(apps, schema_editor):
    apps.get_model("analysis", "Coding").objects.update(coded_as=F("code"))


class Migration(migrations.Migration):
    dependencies = [
        ("analysis", "0010_job_queued_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="coding",
            name="coded_as",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="analysis.code",
            ),
        ),
        migrations.RunPython(coded_as_is_the_code, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="coding",
            name="coded_as",
            field=models.ForeignKey(
                help_text="The code the coder chose; merges and splits move `code`, never this.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="analysis.code",
            ),
        ),
    ]
