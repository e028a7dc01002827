from importlib import import_module

from django.apps import AppConfig

SUB_DOMAINS = ("coding", "agreement", "deliberation", "supervision", "themes", "exchange")


class AnalysisConfig(AppConfig):
    name = "analysis"
    verbose_name = "Coding and analysis"

    def ready(self) -> None:
        # Each sub-domain registers its audit actions and commentable models with the kernel.
        for sub_domain in SUB_DOMAINS:
            import_module(f"{self.name}.{sub_domain}.registrations")
