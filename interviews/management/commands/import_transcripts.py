"""python manage.py import_transcripts --study SLUG --interview ID FILE...

Imports each file as the next revision of the interview's transcript, through
the same import job as the pages and the API. By default the jobs run here,
one after another, and the command prints each one's outcome; --background
queues them for the Celery worker instead. Exit status 1 if any file failed.
Before a file becomes a new revision of a coded transcript, the command prints
what will happen to the codings (as the import page shows), and goes on.

Each file's possible names not on the study's list (near misses of listed names,
participants' attributes, capitalised words that are not common words) are
printed as warnings, and an owner's import goes ahead (the owner running the
command vouches for them); with --require-review a file that has any is not
imported. --preview prints what an import would store, names included, and
writes nothing.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dyads.exceptions import DomainError
from dyads.models import Role, Study
from dyads.permissions import Action, member_role, role_allows
from interviews.models import ImportState, Interview
from interviews.roles import ROLE_VALUES
from interviews.selectors import FilePreview, file_impact, file_preview
from interviews.services.imports import error_message, import_job_run, transcript_import


class Command(BaseCommand):
    help = "Import transcript files into one interview of a study."

    def add_arguments(self, parser):
        parser.add_argument("--study", required=True, help="The study's slug.")
        parser.add_argument("--interview", required=True, type=int, help="The interview's id.")
        parser.add_argument(
            "--user", help="Import as this user (default: the study's first owner)."
        )
        parser.add_argument(
            "--speaker",
            action="append",
            default=[],
            metavar="LABEL=ROLE",
            help="The role of a speaker label, e.g. --speaker Kari=participant (repeatable).",
        )
        parser.add_argument(
            "--background", action="store_true", help="Queue the jobs for the Celery worker."
        )
        parser.add_argument(
            "--preview",
            action="store_true",
            help="Print what importing each file would store, names included; write nothing.",
        )
        parser.add_argument(
            "--require-review",
            action="store_true",
            help="Do not import a file that has possible names not on the study's list.",
        )
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")

    def handle(
        self,
        *args,
        study: str,
        interview: int,
        user,
        speaker,
        background,
        files,
        preview: bool,
        require_review: bool,
        **options,
    ):
        study_row = Study.objects.filter(slug=study, deleted_at__isnull=True).first()
        if study_row is None:
            raise CommandError(f"No study with the slug '{study}'.")
        target = Interview.objects.filter(
            study=study_row, pk=interview, deleted_at__isnull=True
        ).first()
        if target is None:
            raise CommandError(f"Study '{study}' has no interview {interview}.")
        actor = self._actor(study_row, user)
        roles = self._roles(speaker)
        if preview:
            failures = sum(not self._preview(study_row, path) for path in files)
        else:
            # An owner running the command vouches for the names it prints, unless asked not to;
            # anyone else's import is held as the study's setting says.
            owner = role_allows(member_role(actor, study_row), Action.MANAGE_PSEUDONYMS)
            self.vouches = owner and not require_review
            self.holds_names = require_review or (not owner and study_row.require_name_review)
            failures = sum(
                not self._import(actor, target, path, roles, background) for path in files
            )
        if failures:
            raise CommandError(f"{failures} of {len(files)} files were not imported.")

    def _actor(self, study: Study, username: str | None):
        users = get_user_model().objects.filter(
            memberships__study=study, memberships__removed_at__isnull=True
        )
        if username:
            actor = users.filter(username=username).first()
            if actor is None:
                raise CommandError(f"{username} is not a member of the study.")
            return actor
        actor = (
            users.filter(memberships__role=Role.OWNER).order_by("memberships__created_at").first()
        )
        if actor is None:
            raise CommandError("The study has no owner; name a member with --user.")
        return actor

    def _roles(self, pairs: list[str]) -> dict[str, str]:
        roles = {}
        for pair in pairs:
            label, _, role = pair.rpartition("=")
            if not label or role not in ROLE_VALUES:
                raise CommandError(
                    f"--speaker {pair}: write LABEL=ROLE with ROLE one of {', '.join(sorted(ROLE_VALUES))}."
                )
            roles[label] = role
        return roles

    def _read(self, path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except OSError as error:
            self.stderr.write(f"{path.name}: cannot be read ({error.strerror}).")
            return None

    def _file_preview(self, study: Study, path: Path, content: bytes) -> FilePreview | None:
        try:
            return file_preview(study=study, file_name=path.name, content=content)
        except DomainError as error:
            self.stderr.write(error_message(error))
            return None

    def _preview(self, study: Study, path: Path) -> bool:
        content = self._read(path)
        preview = None if content is None else self._file_preview(study, path, content)
        if preview is None:
            return False
        prepared = preview.prepared
        lines = [
            f"{path.name}: .{prepared.format}, {len(prepared.turns)} turns, "
            f"{len(prepared.text)} characters.",
            *(
                f"  speaker {label.original!r} stored as {label.label!r}: "
                f"{label.turns} turns, {label.role}"
                for label in prepared.labels
            ),
            *(
                f"  replaces {entry.original!r} with {entry.replacement!r} ({entry.count}×)"
                for entry in prepared.replaced
            ),
            *self._findings(preview),
        ]
        if not prepared.replaced and not preview.names_to_review:
            lines.append("  nothing to replace and no possible name found.")
        self.stdout.write("\n".join(lines))
        return True

    def _findings(self, preview: FilePreview) -> list[str]:
        return [
            f"  possible name not on the list: {finding.word!r} ({finding.count}×), "
            f"{'near miss, ' if finding.kind == 'near_miss' else ''}{finding.reason}"
            for finding in preview.names_to_review
        ]

    def _import(self, actor, interview, path: Path, roles, background: bool) -> bool:
        content = self._read(path)
        preview = None if content is None else self._file_preview(interview.study, path, content)
        if preview is None:
            return False
        for line in self._findings(preview):
            self.stderr.write(f"Warning: {path.name}: {line.lstrip()}")
        if preview.names_to_review and self.holds_names:
            self.stderr.write(
                f"{path.name}: not imported: {len(preview.names_to_review)} possible name(s) "
                "wait for an owner's review (add them to the list, or import without "
                "--require-review as an owner)."
            )
            return False
        for sentence in file_impact(interview=interview, file_name=path.name, content=content):
            self.stdout.write(f"{path.name}: {sentence}")
        try:
            job = transcript_import(
                actor=actor,
                interview=interview,
                file_name=path.name,
                content=content,
                speaker_roles=roles,
                enqueue=background,
                names_reviewed=self.vouches,
            )
        except DomainError as error:
            self.stderr.write(error_message(error))
            return False
        if background:
            self.stdout.write(f"{job.file_name}: queued as import job {job.pk}.")
            return True
        job = import_job_run(job_id=job.pk) or job
        job.refresh_from_db()
        if job.state != ImportState.SUCCEEDED:
            self.stderr.write(job.error or f"{job.file_name}: {job.get_state_display().lower()}.")
            return False
        revision = job.revision
        note = " (already imported; no new revision)" if job.already_imported else ""
        self.stdout.write(
            f"{job.file_name}: revision {revision.number}, {revision.turns.count()} turns{note}."
        )
        return True
