"""Exchange jobs are rows of the one job lifecycle (dyads.jobs.Job): they gain the task id
they are sent with (so that a redelivered task takes its job back) and a start time, and
the database knows their states."""

import uuid

from django.db import migrations, models


def give_each_job_its_task_id(apps, schema_editor):
    ExchangeJob = apps.get_model("analysis", "ExchangeJob")
    for job in ExchangeJob.objects.only("pk").iterator():
        ExchangeJob.objects.filter(pk=job.pk).update(task_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("analysis", "0007_exchange_job"),
    ]

    operations = [
        migrations.AddField(
            model_name="exchangejob",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="exchangejob",
            name="task_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AddConstraint(
            model_name="exchangejob",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("state__in", ["queued", "running", "previewed", "succeeded", "failed"])
                ),
                name="exchange_state_is_known",
            ),
        ),
        migrations.RunPython(give_each_job_its_task_id, migrations.RunPython.noop, elidable=True),
    ]
