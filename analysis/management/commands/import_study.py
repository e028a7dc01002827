"""python manage.py import_study IN: restore a study backup into an empty database.

The database must be migrated (to the same migrations as the one backed up)
and hold no studies: rows keep their ids, which keeps the audit chain valid.
"""

from django.core.management.base import BaseCommand, CommandError

from analysis.exchange.backup import restore_study
from dyads.exceptions import DomainError


class Command(BaseCommand):
    help = "Restore a study backup (from export_study) into an empty, migrated database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", metavar="IN")

    def handle(self, *args, file: str, **options) -> None:
        try:
            with open(file, "rb") as archive:
                study = restore_study(archive_file=archive)
        except (OSError, DomainError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored study '{study.slug}' ({study.title}); its audit chain verifies."
        )
