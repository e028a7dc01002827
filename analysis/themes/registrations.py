"""The themes sub-domain's audit actions and commentable models (see dyads.registry)."""

from dyads.registry import register_audit_actions, register_commentable

# Themes are built on the consensus; they do not change it.
register_audit_actions(
    "theme.create",
    "theme.update",
    "theme.retire",
    "quote.add",
    "quote.remove",
    "convergence.mark",
    "convergence.clear",
    "coverage.mark",
    "coverage.unmark",
    "report_settings.update",
    "report.clear",
    may_change_rounds=False,
)

register_commentable("analysis.theme", study_path="study")
