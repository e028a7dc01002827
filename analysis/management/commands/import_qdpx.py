"""python manage.py import_qdpx --study SLUG IN.qdpx: print the preview, then import.

`--map SOURCE=TARGET` (repeatable) sends a source (its GUID, or its name) to
`interview:ID`, `participant:ID` (a new interview), `case:GUID` (a new
participant) or `skip`. `--dry-run` prints the preview only.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from analysis.exchange.cli import acting_user, preview_lines, study_by_slug
from analysis.exchange.plan import plan_project
from analysis.exchange.qdpx_import import parse_qdpx
from analysis.exchange.refi import RefiError
from analysis.exchange.services.transfers import project_import
from dyads.exceptions import DomainError


class Command(BaseCommand):
    help = "Import a REFI-QDA project (.qdpx) into a study, after printing what it will create."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--study", required=True, metavar="SLUG")
        parser.add_argument("file", metavar="IN.qdpx")
        parser.add_argument("--as", dest="username", help="The owner who imports (default: one).")
        parser.add_argument("--map", action="append", default=[], metavar="SOURCE=TARGET")
        parser.add_argument("--dry-run", action="store_true", help="Print the preview only.")

    def handle(self, *args, study: str, file: str, username, map: list[str], dry_run, **options):
        found = study_by_slug(study)
        actor = acting_user(found, username)
        path = Path(file)
        try:
            project = parse_qdpx(path.read_bytes(), path.name)
            by_name = {source.name: source.guid for source in project.sources}
            mapping = {}
            for item in map:
                source, _, target = item.partition("=")
                mapping[by_name.get(source, source)] = target
            self.stdout.write(
                "\n".join(preview_lines(plan_project(found, project, actor, mapping).as_dict()))
            )
            if dry_run:
                return
            result = project_import(actor=actor, study=found, project=project, mapping=mapping)
        except (OSError, RefiError, DomainError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Imported: {result.codes} codes, {result.participants} participants, "
            f"{result.interviews} interviews, {result.revisions} transcript revisions, "
            f"{result.codings} codings ({result.codings_already_present} already there), "
            f"{result.memos} memos."
        )
