"""python manage.py export_report --study SLUG OUT.docx: the study's results report.

Every re-identification warning is named on stderr; --strict writes nothing and exits 1
if there is any. A report no owner has cleared carries a "not cleared for publication"
header.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from analysis.themes.report.results_report import (
    results_docx,
    results_html,
    results_markdown,
    results_report,
)
from dyads.access import access_log_record
from dyads.models import AccessAction, Study

RENDERERS = {".docx": results_docx, ".md": results_markdown, ".html": results_html}


class Command(BaseCommand):
    help = (
        "Write the study's results report (participants and recruitment tables, theme "
        "hierarchy, both perspectives with their exemplary quotes, codebook) as DOCX, or as "
        "Markdown or HTML by the file's extension. Whatever in it could re-identify a "
        "participant (names, near misses, sensitive terms, small cells, gendered pronouns "
        "in quotes), perspectives quoted from one participant only and quotes resting on "
        "unresolved disagreements are named on stderr."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--study", required=True, metavar="SLUG", help="The study's slug.")
        parser.add_argument("out", metavar="OUT", help="The file to write: .docx, .md or .html.")
        parser.add_argument(
            "--strict",
            action="store_true",
            help=(
                "Write nothing and exit 1 if there is any warning: a quote that could "
                "re-identify a participant, a perspective quoted from one participant only, "
                "a quote on an unresolved disagreement."
            ),
        )

    def handle(self, *args, **options) -> None:
        study = Study.objects.filter(slug=options["study"], deleted_at__isnull=True).first()
        if study is None:
            raise CommandError(f"No study with the slug '{options['study']}'.")
        out = Path(options["out"])
        render = RENDERERS.get(out.suffix.lower())
        if render is None:
            raise CommandError(f"{out}: write a .docx, .md or .html file.")
        report = results_report(study=study)
        for warning in report.all_warnings:
            self.stderr.write(f"Warning: {warning.message}")
        if report.all_warnings and options["strict"]:
            raise CommandError(
                f"{len(report.warnings)} re-identification warning(s) and "
                f"{len(report.quote_checks)} quote warning(s); nothing written."
            )
        content = render(report)
        try:
            if isinstance(content, bytes):
                out.write_bytes(content)
            else:
                out.write_text(content, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{out}: {error.strerror}.") from error
        access_log_record(
            user=None,
            study=study,
            action=AccessAction.EXPORT,
            object_type="results_report",
            object_id=study.pk,
            detail=f"results report ({out.suffix.lstrip('.')}, "
            f"{'cleared' if report.cleared else 'not cleared'}) by manage.py export_report",
        )
        self.stdout.write(
            f"Wrote {out}: {len(report.constituents)} constituent themes, "
            f"{len(report.quotes)} quotes, {len(report.codebook)} codes"
            + ("." if report.cleared else "; not cleared for publication.")
        )
