"""python manage.py verify_audit --study SLUG [--checkpoint FILE]: recompute a study's
audit chain, and with a checkpoint file prove that the chain extends it.

Exit 0 if the chain is intact (and extends the checkpoint), 1 naming the first broken
event or why the checkpoint is not extended, 2 for an unknown study or unreadable file.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dyads.audit import audit_verify
from dyads.audit.checkpoints import checkpoint_check
from dyads.models import Study


class Command(BaseCommand):
    help = "Verify a study's hash-chained audit log; exits 1 if it is broken."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--study", required=True, metavar="SLUG", help="The study's slug.")
        parser.add_argument(
            "--checkpoint", type=Path, metavar="FILE", help="A signed checkpoint to extend."
        )

    def handle(self, *args, study: str, checkpoint: Path | None, **options) -> None:
        found = Study.objects.filter(slug=study).first()
        if found is None:
            raise CommandError(f"No study has the slug '{study}'.", returncode=2)
        if checkpoint is not None:
            self.check_checkpoint(found, checkpoint)
        report = audit_verify(study=found)
        if report.intact:
            scrubbed = (
                f" ({report.payloads_scrubbed} payloads scrubbed by recorded scrubs)"
                if report.payloads_scrubbed
                else ""
            )
            self.stdout.write(
                f"Audit chain of {study} intact: {report.events_checked} events{scrubbed}"
            )
            return
        event = report.first_broken
        where = (
            f"event #{event.sequence} (id {event.pk}, {event.action}) {report.problem}"
            if event is not None
            else report.problem
        )
        raise CommandError(
            f"Audit chain of {study} is broken: {where}. "
            f"The {report.events_checked} events before it are intact.",
            returncode=1,
        )

    def check_checkpoint(self, study: Study, path: Path) -> None:
        try:
            document = path.read_text()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.", returncode=2) from error
        finding = checkpoint_check(study=study, document=document)
        if not finding.extends:
            raise CommandError(
                f"Audit chain of {study.slug} does NOT extend the checkpoint {path.name}: "
                f"{finding.message}.",
                returncode=1,
            )
        self.stdout.write(f"Checkpoint {path.name}: {finding.message}.")
