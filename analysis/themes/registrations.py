"""The themes sub-domain's audit actions and commentable models (see dyads.registry)."""

from analysis.themes.services.reanchoring import coverage_follow_revision
from dyads.registry import register_audit_actions, register_commentable
from interviews.revision_followers import register_revision_follower

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
    "coverage.reanchor",
    "report_settings.update",
    may_change_rounds=False,
)

register_commentable("analysis.theme", study_path="study")

register_revision_follower(coverage_follow_revision)
