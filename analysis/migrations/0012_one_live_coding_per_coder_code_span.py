"""The same coder applies a code to a span once (per session, or outside any): a partial
unique index on live codings. Duplicates made before it are removed (soft, keeping the
oldest of each), each with a `coding.delete` audit event naming the reason."""

from django.db import migrations, models
from django.db.models import Count, Min, Value
from django.db.models.functions import Coalesce

KEY = ["study", "coder", "revision", "start", "end", "code", "session"]


def remove_duplicates(apps, schema_editor):
    Coding = apps.get_model("analysis", "Coding")
    live = Coding.objects.filter(deleted_at__isnull=True)
    groups = (
        live.values(*KEY).annotate(n=Count("pk"), first=Min("pk")).filter(n__gt=1).order_by()
    )
    if not groups.exists():
        return
    # The audit chain is the real one: an event is hashed and chained by its one definition.
    from django.utils import timezone

    from dyads.audit import audit_record
    from dyads.models import Study

    now = timezone.now()
    for group in groups:
        key = {field: group[field] for field in KEY}
        study = Study.objects.only("pk").get(pk=key.pop("study"))
        for coding in live.filter(study=study, **key).exclude(pk=group["first"]):
            Coding.objects.filter(pk=coding.pk).update(deleted_at=now)
            audit_record(
                study=study,
                actor=None,
                action="coding.delete",
                object_type="analysis.coding",
                object_id=coding.pk,
                old={
                    "revision": coding.revision_id,
                    "start": coding.start,
                    "end": coding.end,
                    "code": coding.code_id,
                    "coder": coding.coder_id,
                },
                reason=f"Duplicate of coding {group['first']} (same coder, code and span).",
            )


class Migration(migrations.Migration):
    dependencies = [
        ("analysis", "0011_coding_coded_as"),
        ("dyads", "0008_audit_event_may_change_rounds"),
    ]

    operations = [
        migrations.RunPython(remove_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="coding",
            constraint=models.UniqueConstraint(
                models.F("coder"),
                models.F("revision"),
                models.F("start"),
                models.F("end"),
                models.F("code"),
                Coalesce(models.F("session"), Value(0)),
                condition=models.Q(deleted_at__isnull=True),
                name="one_live_coding_per_coder_code_span",
                violation_error_message="You have already applied this code to this span.",
            ),
        ),
    ]
