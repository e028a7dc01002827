from django.apps import AppConfig


class DyadsConfig(AppConfig):
    name = "dyads"
    verbose_name = "Studies, people and audit"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the production safety check)
