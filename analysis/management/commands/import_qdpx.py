"""python manage.py import_qdpx --study SLUG IN.qdpx: print the preview, then import.

`--map SOURCE=TARGET` (repeatable) sends a source (its GUID, or its name) to
`interview:ID`, `participant:ID` (a new interview), `case:GUID` (a new
participant) or `skip`. `--user NAME=USERNAME|new` (repeatable) gives a user
of the file (their name, or GUID) to a study member, or to a new imported
coder of their own; without it each user goes to the member of the same name,
else to a new imported coder, never two users to one person. `--dry-run`
prints the preview only. After the import it prints what was left out and why.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from analysis.exchange.cli import (
    acting_user,
    option_pairs,
    preview_lines,
    result_lines,
    study_by_slug,
)
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
        parser.add_argument(
            "--user",
            action="append",
            default=[],
            dest="users",
            metavar="NAME=USERNAME|new",
            help="Give a user of the file to a study member, or to a new imported coder.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Print the preview only.")

    def handle(self, *args, study, file, username, map, users, dry_run, **options):
        found = study_by_slug(study)
        actor = acting_user(found, username)
        sources = option_pairs(map, "--map", "SOURCE=TARGET")
        people = option_pairs(users, "--user", "NAME=USERNAME or NAME=new")
        path = Path(file)
        try:
            project = parse_qdpx(path.read_bytes(), path.name)
            by_name = {source.name: source.guid for source in project.sources}
            mapping = {by_name.get(source, source): target for source, target in sources.items()}
            plan = plan_project(found, project, mapping, people)
            self.stdout.write("\n".join(preview_lines(plan.as_dict())))
            if dry_run:
                return
            result = project_import(
                actor=actor, study=found, project=project, mapping=mapping, users=people
            )
        except (OSError, RefiError, DomainError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write("\n".join(result_lines(result.as_dict())))
