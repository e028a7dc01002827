"""The themes sub-domain's audit actions and commentable models (see dyads.registry)."""

from django.db.models import Value
from django.db.models.functions import Concat, Left

from analysis.themes.services.reanchoring import coverage_follow_revision
from dyads.audit.words import (
    ObjectWords,
    names_by,
    register_audit_objects,
    register_audit_references,
    register_audit_sentences,
)
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
    "report.clear",
    may_change_rounds=False,
)

register_commentable("analysis.theme", study_path="study")

register_revision_follower(coverage_follow_revision)

register_audit_objects(
    {
        "analysis.theme": ObjectWords(
            "theme", names_by("analysis.theme", "name"), link="theme-detail"
        ),
        "analysis.exemplaryquote": ObjectWords(
            "quote",
            names_by(
                "analysis.exemplaryquote",
                Concat("perspective", Value(" quote for "), "theme__name"),
            ),
        ),
        "analysis.convergencemark": ObjectWords(
            "convergence mark",
            names_by("analysis.convergencemark", Concat("theme__name", Value(", "), "dyad__label")),
        ),
        "analysis.questioncoverage": ObjectWords(
            "guide coverage", names_by("analysis.questioncoverage", Left("question__text", 60))
        ),
        "analysis.studyreportsettings": ObjectWords("report settings"),
    }
)
register_audit_references({"theme": "analysis.theme"})
register_audit_references({"parent": "analysis.theme"}, on="analysis.theme")
register_audit_sentences(
    {
        "theme.create": "{actor} created {object}",
        "theme.update": "{actor} revised {object}",
        "theme.retire": "{actor} retired {object}",
        "quote.add": "{actor} chose a {perspective} quote for {theme}",
        "quote.remove": "{actor} removed a quote from {theme}",
        "convergence.mark": "{actor} marked {theme} in {dyad} as {verdict}",
        "convergence.clear": "{actor} cleared the convergence mark of {theme} in {dyad}",
        "coverage.mark": "{actor} marked where {interview} covers a guide question",
        "coverage.unmark": "{actor} unmarked a guide question’s coverage in {interview}",
        "coverage.reanchor": "Duet moved a guide coverage mark onto the corrected transcript",
        "report_settings.update": "{actor} changed the report settings",
    }
)
