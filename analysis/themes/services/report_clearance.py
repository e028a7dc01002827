"""An owner clears the results report for publication, after reading its warnings."""

from django.db import transaction

from analysis.themes.models import ReportClearance
from analysis.themes.report.results_report import results_report
from dyads.audit import audit_record
from dyads.exceptions import Conflict, DomainError
from dyads.models import Study
from dyads.permissions import Action, study_access


@transaction.atomic
def report_clear(
    *, actor, study: Study, fingerprint: str, acknowledge_warnings: bool = False
) -> ReportClearance:
    """Clear the report whose content the owner read (`fingerprint`) for publication.

    A report that changed since it was read is refused (409), and so is one with
    open warnings unless the owner acknowledges them.
    """
    study_access(actor, study, Action.MANAGE_STUDY)
    report = results_report(study=study)
    if fingerprint != report.fingerprint:
        raise Conflict(
            "The report changed since you read it: read it again before clearing it.",
            current={"fingerprint": report.fingerprint},
        )
    if report.warnings and not acknowledge_warnings:
        raise DomainError(
            {
                "acknowledge_warnings": f"The report has {len(report.warnings)} open "
                "re-identification warning(s): confirm that you have read them."
            }
        )
    clearance = ReportClearance.objects.create(
        study=study, fingerprint=fingerprint, open_warnings=len(report.warnings), cleared_by=actor
    )
    audit_record(
        study=study,
        actor=actor,
        action="report.clear",
        target=clearance,
        new={"fingerprint": fingerprint, "open_warnings": len(report.warnings)},
    )
    return clearance
