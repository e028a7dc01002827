"""python manage.py audit_checkpoint [--study SLUG --out FILE]

Sign and store a checkpoint of every study's audit chain head that moved since its
last checkpoint (what Celery beat does daily); with --study, of that study, and --out
writes its latest checkpoint to FILE for a supervisor to keep.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dyads.audit.checkpoints import (
    audit_checkpoint_publish,
    audit_checkpoints_publish,
    checkpoint_document,
    checkpoint_latest,
)
from dyads.models import Study


class Command(BaseCommand):
    help = "Publish signed checkpoints of the audit chains' heads."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--study", metavar="SLUG", help="Only this study.")
        parser.add_argument("--out", type=Path, help="Write the study's latest checkpoint here.")

    def handle(self, *args, study: str | None, out: Path | None, **options) -> None:
        if study is None:
            if out is not None:
                raise CommandError("--out needs --study.", returncode=2)
            self.stdout.write(f"Checkpoints published: {audit_checkpoints_publish()}")
            return
        found = Study.objects.filter(slug=study).first()
        if found is None:
            raise CommandError(f"No study has the slug '{study}'.", returncode=2)
        audit_checkpoint_publish(study=found)
        latest = checkpoint_latest(found)
        if latest is None:
            self.stdout.write(f"The audit chain of {study} is empty: no checkpoint.")
            return
        self.stdout.write(f"Checkpoint of {study} at #{latest.sequence}: {latest.head_hash}")
        if out is not None:
            out.write_text(checkpoint_document(latest))
