"""python manage.py export_study --study SLUG OUT: a lossless backup of one study."""

from django.core.management.base import BaseCommand

from analysis.exchange.backup import write_backup
from analysis.exchange.cli import study_by_slug
from dyads.access import access_log_record
from dyads.models import AccessAction


class Command(BaseCommand):
    help = "Back up everything of one study (audit trail, meetings, audio included) to a zip."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--study", required=True, metavar="SLUG")
        parser.add_argument("out", metavar="OUT")

    def handle(self, *args, study: str, out: str, **options) -> None:
        found = study_by_slug(study)
        with open(out, "wb") as file:
            summary = write_backup(study=found, out=file)
        # Logged after writing, so that a backup never holds its own access event.
        access_log_record(
            user=None,
            study=found,
            action=AccessAction.EXPORT,
            object_type="file",
            detail=f"backup {out} (command)",
        )
        rows = sum(summary.rows.values())
        self.stdout.write(
            f"Wrote {out}: {rows} rows of {len(summary.rows)} tables, {summary.media} media files."
        )
