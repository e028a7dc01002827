"""python manage.py rotate_audit_key --old-key-file PATH [--study SLUG]

Re-anchor the audit chains from the old key (read from PATH) to the AUDIT_HMAC_KEY now
configured; each study's chain gets an `audit.rekey` event holding its old head, and
a new signed checkpoint.
Exit 1, changing nothing, if a chain does not verify under the old key.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dyads.audit.anchor import audit_key_rotate
from dyads.audit.checkpoints import audit_checkpoint_publish
from dyads.exceptions import DomainError
from dyads.models import Study


class Command(BaseCommand):
    help = "Move the audit chains from an old AUDIT_HMAC_KEY to the configured one."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--old-key-file", required=True, type=Path, help="A file holding the old key."
        )
        parser.add_argument("--study", metavar="SLUG", help="Only this study (default: all).")

    def handle(self, *args, old_key_file: Path, study: str | None, **options) -> None:
        studies = None
        if study is not None:
            studies = list(Study.objects.filter(slug=study))
            if not studies:
                raise CommandError(f"No study has the slug '{study}'.", returncode=2)
        try:
            rotated = audit_key_rotate(
                old_key=old_key_file.read_text().strip().encode(), studies=studies
            )
        except DomainError as refused:
            raise CommandError(str(refused), returncode=1) from refused
        for each in rotated:
            audit_checkpoint_publish(study=each)
            self.stdout.write(
                f"Audit chain of {each.slug} re-anchored under the new key; a new checkpoint "
                "was published: let supervisors download it."
            )
