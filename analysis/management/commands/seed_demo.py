"""python manage.py seed_demo: the demo study, written through the services."""

from django.core.management.base import BaseCommand

from analysis.demo.seed import seed_demo


class Command(BaseCommand):
    help = (
        "Create the demo study (slug 'demo'): six dyads with serial interviews and "
        "transcripts, a codebook, two coders' blind codings, meetings and themes, plus the "
        "demo users. Does nothing if the study exists."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--url", default="", help="Where the demo will be served, for the sign-in line."
        )

    def handle(self, *args, **options) -> None:
        seed_demo(write=self.stdout.write, url=options["url"])
