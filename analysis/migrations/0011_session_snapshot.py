"""A closed coding session keeps its codings as they stood when it closed
(`SessionSnapshot`), so that its figures never move with later merges and corrections.
Sessions closed before this take their snapshot now, from the codings as they are."""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone


def snapshot_closed_sessions(apps, schema_editor):
    CodingSession = apps.get_model("analysis", "CodingSession")
    Coding = apps.get_model("analysis", "Coding")
    SessionSnapshot = apps.get_model("analysis", "SessionSnapshot")
    closed = CodingSession.objects.filter(state="closed", calibration_attempt__isnull=True)
    for session in closed.iterator():
        revisions = dict(
            session.transcripts.filter(current_revision__isnull=False).values_list(
                "pk", "current_revision"
            )
        )
        codings = {str(transcript): [] for transcript in revisions}
        for transcript, *row in (
            Coding.objects.filter(
                session=session, deleted_at__isnull=True, revision__in=list(revisions.values())
            )
            .order_by("pk")
            .values_list("revision__transcript", "pk", "code", "coder", "start", "end")
        ):
            codings[str(transcript)].append(row)
        SessionSnapshot.objects.create(
            session=session,
            revisions={str(t): r for t, r in revisions.items()},
            codings=codings,
            taken_at=session.closed_at or timezone.now(),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("analysis", "0010_one_live_coding_per_coder_code_span"),
    ]

    operations = [
        migrations.CreateModel(
            name="SessionSnapshot",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "revisions",
                    models.JSONField(
                        help_text="{transcript id: revision id}: each transcript's revision at the close."
                    ),
                ),
                (
                    "codings",
                    models.JSONField(
                        help_text="{transcript id: [[coding, code, coder, start, end], …]}: the live codings on those revisions at the close, offsets in code points."
                    ),
                ),
                ("taken_at", models.DateTimeField()),
                (
                    "session",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="snapshot",
                        to="analysis.codingsession",
                    ),
                ),
            ],
        ),
        migrations.RunPython(snapshot_closed_sessions, migrations.RunPython.noop),
    ]
