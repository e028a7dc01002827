"""python manage.py export_qdpx --study SLUG OUT.qdpx: the study as a REFI-QDA project."""

from django.core.management.base import BaseCommand

from analysis.exchange.cli import acting_user, study_by_slug
from analysis.exchange.qdpx_export import write_qdpx
from dyads.access import access_log_record
from dyads.models import AccessAction


class Command(BaseCommand):
    help = "Export a study as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--study", required=True, metavar="SLUG")
        parser.add_argument("out", metavar="OUT.qdpx")
        parser.add_argument(
            "--as", dest="username", help="Export what this member may see (default: an owner)."
        )

    def handle(self, *args, study: str, out: str, username: str | None, **options) -> None:
        found = study_by_slug(study)
        actor = acting_user(found, username)
        with open(out, "wb") as file:
            summary = write_qdpx(study=found, actor=actor, out=file)
        access_log_record(
            user=actor,
            study=found,
            action=AccessAction.EXPORT,
            object_type="file",
            detail=f"{out} (command)",
        )
        self.stdout.write(
            f"Wrote {out}: {summary.codes} codes, {summary.sources} sources, "
            f"{summary.selections} codings, {summary.notes} notes, {summary.cases} cases, "
            f"{summary.sets} sets."
        )
