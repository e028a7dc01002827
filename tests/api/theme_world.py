"""Objects of the theme views for the role matrix, made in its world when a row's URL or
body is built (inside each role's rolled-back savepoint): a constituent theme standing
on the world's code, an exemplary quote, a convergence mark and a coverage mark. They
are written directly, without audit events, so that only the request under test writes
any."""

from analysis.themes.models import ConvergenceMark, ExemplaryQuote, QuestionCoverage, Theme
from interviews.models import GuideQuestion
from tests import factories
from tests.api.world import World


def constituent(w: World) -> Theme:
    found = Theme.objects.filter(study=w.study, name="Feeling held").first()
    return found or factories.ThemeFactory(
        study=w.study, name="Feeling held", parent=w.theme, codes=[w.code]
    )


def quote(w: World) -> ExemplaryQuote:
    return ExemplaryQuote.objects.create(
        study=w.study,
        theme=constituent(w),
        perspective="client",
        coding=w.coding,
        chosen_by=w.cast.owner,
    )


def mark(w: World) -> ConvergenceMark:
    return ConvergenceMark.objects.create(
        study=w.study,
        dyad=w.cast.dyad,
        theme=constituent(w),
        verdict="converge",
        marked_by=w.cast.owner,
    )


def question(w: World) -> GuideQuestion:
    """The world's guide question, the guide being set on the cast's client interview."""
    interview = w.cast.client_interview
    interview.guide = w.guide
    interview.save(update_fields=["guide"])
    return w.guide.questions.first()


def coverage(w: World) -> QuestionCoverage:
    return QuestionCoverage.objects.create(
        study=w.study,
        question=question(w),
        interview=w.cast.client_interview,
        revision=w.cast.revision,
        start=0,
        end=10,
        marked_by=w.cast.owner,
    )
