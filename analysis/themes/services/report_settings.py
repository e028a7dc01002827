"""The study owner's settings of the results report: pronoun convention, sensitive terms and
the smallest group its tables show."""

from django.db import transaction

from analysis.themes.models import StudyReportSettings
from dyads.audit import audit_record
from dyads.changes import check_version, snapshot, validate
from dyads.exceptions import DomainError
from dyads.models import Study
from dyads.permissions import Action, study_access

SETTINGS_FIELDS = ["client_pronoun", "therapist_pronoun", "sensitive_terms", "min_cell_size"]
TERM_MAX = 120


def clean_terms(terms: list[str]) -> list[str]:
    """The terms stripped, blanks dropped, duplicates (in any case) kept once; a term
    that is too long is refused, naming its line."""
    cleaned, seen = [], set()
    for line, term in enumerate(terms, start=1):
        if not isinstance(term, str):
            raise DomainError({"sensitive_terms": f"Line {line} is not text."})
        term = " ".join(term.split())
        if len(term) > TERM_MAX:
            raise DomainError(
                {"sensitive_terms": f"Line {line} is longer than {TERM_MAX} characters."}
            )
        if term and term.casefold() not in seen:
            seen.add(term.casefold())
            cleaned.append(term)
    return cleaned


def report_settings_get(*, study: Study) -> StudyReportSettings:
    """The study's report settings; unsaved defaults if the owner never set them."""
    return StudyReportSettings.objects.filter(study=study).first() or StudyReportSettings(
        study=study
    )


@transaction.atomic
def report_settings_update(
    *,
    actor,
    study: Study,
    version: int | None = None,
    client_pronoun: str | None = None,
    therapist_pronoun: str | None = None,
    sensitive_terms: list[str] | None = None,
    min_cell_size: int | None = None,
) -> StudyReportSettings:
    """Set the pronoun convention, the sensitive terms and the smallest reportable group
    (owners only)."""
    study_access(actor, study, Action.MANAGE_STUDY)
    settings, created = StudyReportSettings.objects.select_for_update().get_or_create(study=study)
    if not created:
        check_version(settings, version)
    before = snapshot(settings, fields=SETTINGS_FIELDS)
    if client_pronoun is not None:
        settings.client_pronoun = client_pronoun
    if therapist_pronoun is not None:
        settings.therapist_pronoun = therapist_pronoun
    if sensitive_terms is not None:
        settings.sensitive_terms = clean_terms(sensitive_terms)
    if min_cell_size is not None:
        settings.min_cell_size = min_cell_size
    validate(settings, exclude=["study"])
    after = snapshot(settings, fields=SETTINGS_FIELDS)
    if after == before and not created:
        return settings
    settings.version += 0 if created else 1
    settings.save()
    audit_record(
        study=study,
        actor=actor,
        action="report_settings.update",
        target=settings,
        old=None if created else before,
        new=after,
    )
    return settings
