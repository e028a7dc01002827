"""Whether an owner has cleared the results report's current content for publication."""

from analysis.themes.models import ReportClearance
from dyads.models import Study


def report_clearance_get(*, study: Study, fingerprint: str) -> ReportClearance | None:
    """The latest clearance of exactly this content (1 query); None if it has none."""
    return (
        ReportClearance.objects.filter(study=study, fingerprint=fingerprint)
        .select_related("cleared_by")
        .first()
    )
