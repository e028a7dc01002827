from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = "Interviews and transcripts"

    def ready(self) -> None:
        from . import registrations  # noqa: F401  (registers its audit actions with dyads)
