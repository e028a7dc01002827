from django.apps import AppConfig


class DyadsConfig(AppConfig):
    name = "dyads"
    verbose_name = "Studies, people and audit"

    def ready(self) -> None:
        # The production safety check; the kernel's own audit actions (dyads.registry);
        # the revocation of API tokens when a password changes (accounts).
        from . import accounts, checks, registrations  # noqa: F401
