"""One theme as its page shows it: texts, codes, quotes per perspective, decision history."""

from dataclasses import dataclass

from django.db.models import F
from django.db.models.functions import Substr

from analysis.coding.models import Code
from analysis.deliberation.models import Decision, MeetingRecord
from analysis.themes.models import ExemplaryQuote
from analysis.themes.selectors.tree import ThemeNode, theme_tree
from dyads.exceptions import NotFound
from dyads.models import ParticipantRole, Study


@dataclass(frozen=True)
class QuoteView:
    pk: int
    theme: str
    perspective: str
    text: str
    pseudonym: str
    interview_number: int

    @property
    def citation(self) -> str:
        return f"{self.pseudonym}, interview {self.interview_number}"

    @property
    def label(self) -> str:
        return f"The {self.perspective} quote of “{self.theme}” ({self.citation})"


def quotes_by_theme(*, study: Study) -> dict[int, dict[str, list[QuoteView]]]:
    """theme id -> perspective -> the live quotes of live themes, in order (1 query)."""
    interview = "coding__revision__transcript__interview"
    found: dict[int, dict[str, list[QuoteView]]] = {}
    rows = (
        ExemplaryQuote.objects.filter(
            study=study, removed_at__isnull=True, theme__retired_at__isnull=True
        )
        .annotate(
            text=Substr(
                "coding__revision__text",
                F("coding__start") + 1,
                F("coding__end") - F("coding__start"),
            ),
            pseudonym=F(f"{interview}__participant__pseudonym"),
            number=F(f"{interview}__sequence_number"),
        )
        .order_by("theme", "perspective", "position", "pk")
        .values_list("pk", "theme_id", "theme__name", "perspective", "text", "pseudonym", "number")
    )
    for pk, theme_id, theme, perspective, text, pseudonym, number in rows:
        found.setdefault(theme_id, {}).setdefault(perspective, []).append(
            QuoteView(pk, theme, perspective, " ".join(text.split()), pseudonym, number)
        )
    return found


@dataclass(frozen=True)
class ThemeDetail:
    node: ThemeNode
    ancestors: list[ThemeNode]
    codes: list[Code]  # linked directly
    inherited: list[Code]  # linked to its constituents
    client_quotes: list[QuoteView]
    therapist_quotes: list[QuoteView]
    decisions: list[Decision]

    @property
    def theme(self):
        return self.node.theme


def theme_detail(*, study: Study, theme_id: int) -> ThemeDetail:
    """A live theme of the study with its codes, quotes and decisions (6 queries)."""
    tree = theme_tree(study=study)
    node = tree.find(theme_id)
    if node is None:
        raise NotFound("No such theme in this study.")
    ancestors, parent = [], tree.find(node.theme.parent_id) if node.theme.parent_id else None
    while parent is not None:
        ancestors.insert(0, parent)
        parent = tree.find(parent.theme.parent_id) if parent.theme.parent_id else None
    codes = list(Code.objects.filter(pk__in=node.code_ids).order_by("name"))
    own = set(node.theme.codes.values_list("pk", flat=True))
    quotes = quotes_by_theme(study=study).get(node.theme.pk, {})
    return ThemeDetail(
        node=node,
        ancestors=ancestors,
        codes=[code for code in codes if code.pk in own],
        inherited=[code for code in codes if code.pk not in own],
        client_quotes=quotes.get(ParticipantRole.CLIENT, []),
        therapist_quotes=quotes.get(ParticipantRole.THERAPIST, []),
        decisions=list(
            Decision.objects.filter(theme=node.theme)
            .select_related("author", "meeting")
            .order_by("-created_at", "-pk")
        ),
    )


def study_meetings(*, study: Study) -> list[MeetingRecord]:
    """The meetings a theme decision may cite, newest first (1 query)."""
    return list(MeetingRecord.objects.filter(study=study).order_by("-date", "-pk"))
