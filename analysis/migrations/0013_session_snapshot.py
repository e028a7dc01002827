"""A closed coding session keeps each transcript as it stood when it closed
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
        revisions = dict(session.transcripts.values_list("pk", "current_revision"))
        codings = {transcript: [] for transcript in revisions}
        for transcript, *row in (
            Coding.objects.filter(
                session=session,
                deleted_at__isnull=True,
                revision__in=[r for r in revisions.values() if r is not None],
            )
            .order_by("pk")
            .values_list("revision__transcript", "pk", "code", "coder", "start", "end")
        ):
            codings[transcript].append(row)
        SessionSnapshot.objects.bulk_create(
            SessionSnapshot(
                session=session,
                transcript_id=transcript,
                revision_id=revision,
                codings=codings[transcript],
                taken_at=session.closed_at or timezone.now(),
            )
            for transcript, revision in revisions.items()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("analysis", "0012_one_live_coding_per_coder_code_span"),
        ("interviews", "0008_speaker_turn_revision_index_is_the_unique_one"),
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
                    "codings",
                    models.JSONField(
                        default=list,
                        help_text="[[coding, code, coder, start, end], …]: the session's live codings on that revision at the close, offsets in code points.",
                    ),
                ),
                ("taken_at", models.DateTimeField()),
                (
                    "revision",
                    models.ForeignKey(
                        blank=True,
                        help_text="The transcript's revision at the close (none: it had no text yet).",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="interviews.transcriptrevision",
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="snapshots",
                        to="analysis.codingsession",
                    ),
                ),
                (
                    "transcript",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="interviews.transcript",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("session", "transcript"), name="one_snapshot_per_session_transcript"
                    )
                ],
            },
        ),
        migrations.RunPython(snapshot_closed_sessions, migrations.RunPython.noop),
    ]
