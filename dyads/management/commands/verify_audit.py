"""python manage.py verify_audit --study SLUG: recompute a study's audit chain.

Exit 0 if the chain is intact, 1 naming the first broken event, 2 for an unknown study.
"""

from django.core.management.base import BaseCommand, CommandError

from dyads.audit import audit_verify
from dyads.models import Study


class Command(BaseCommand):
    help = "Verify a study's hash-chained audit log; exits 1 if it is broken."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--study", required=True, metavar="SLUG", help="The study's slug.")

    def handle(self, *args, study: str, **options) -> None:
        found = Study.objects.filter(slug=study).first()
        if found is None:
            raise CommandError(f"No study has the slug '{study}'.", returncode=2)
        report = audit_verify(study=found)
        if report.intact:
            self.stdout.write(f"Audit chain of {study} intact: {report.events_checked} events")
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
