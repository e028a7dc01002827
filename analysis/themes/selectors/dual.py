"""The dual-perspective view: one dyad's client excerpts beside its therapist's, for one
constituent theme or one code, so the analysts read how both described the same process.

Each side says what its lack of excerpts means (`source.SideState`): absent (every
transcript of the side is coded in the layer), not coded, or not interviewed."""

import datetime as dt
from dataclasses import dataclass

from analysis.coding.models import Code
from analysis.themes.models import ConvergenceMark, ExemplaryQuote
from analysis.themes.selectors.source import (
    CodingSource,
    DyadSides,
    SideCoverage,
    SideState,
    coded_interviews,
    coded_passages,
    interviews_info,
)
from analysis.themes.selectors.tree import ThemeNode, theme_tree
from dyads.exceptions import NotFound
from dyads.models import Dyad, ParticipantRole, Study
from dyads.selectors import dyad_get
from interviews.models import TranscriptRevision


@dataclass(frozen=True)
class DualExcerpt:
    code: Code
    interview: int
    interview_number: int
    date: dt.date | None
    start: int
    end: int
    text: str
    coding: int | None  # the coding a quote would cite
    coder: str
    state: str
    quoted: bool


@dataclass(frozen=True)
class DualView:
    dyad: Dyad
    theme: ThemeNode | None
    code: Code | None
    source: CodingSource
    client: list[DualExcerpt]
    therapist: list[DualExcerpt]
    mark: ConvergenceMark | None
    constituents: list[ThemeNode]
    codes: list[Code]
    client_coverage: SideCoverage
    therapist_coverage: SideCoverage

    @property
    def focus_name(self) -> str:
        return self.theme.theme.name if self.theme else self.code.name

    @property
    def client_state(self) -> SideState:
        return self.client_coverage.state(len(self.client))

    @property
    def therapist_state(self) -> SideState:
        return self.therapist_coverage.state(len(self.therapist))

    @property
    def a_side_not_coded(self) -> bool:
        return SideState.NOT_CODED in (self.client_state, self.therapist_state)


def dual_perspective(
    *,
    user,
    study: Study,
    dyad_id: int,
    theme_id: int | None = None,
    code_id: int | None = None,
    source: CodingSource = CodingSource.CONSENSUS,
) -> DualView:
    """The dyad's excerpts of a constituent (or of one code), the client's and the therapist's
    apart, each in interview and text order, and the coverage of each side (10 queries with
    all coders' codings).

    Without a theme or a code, the first constituent is shown.
    """
    dyad = dyad_get(study=study, dyad_id=dyad_id)
    constituents = theme_tree(study=study).constituents()
    codes = {code.pk: code for code in Code.objects.filter(study=study).order_by("name")}
    node, code = None, None
    if code_id is not None:
        code = codes.get(code_id)
        if code is None:
            raise NotFound("No such code in this study.")
        code_ids = {code.pk}
    else:
        node = next((n for n in constituents if theme_id in (None, n.theme.pk)), None)
        if node is None:
            raise NotFound("No such constituent theme in this study.")
        code_ids = set(node.code_ids)
    interviews = interviews_info(study=study)
    sides = DyadSides([dyad])
    passages = coded_passages(
        user=user,
        study=study,
        source=source,
        interviews=sides.interviews_of(dyad, interviews),
        codes=code_ids,
    )
    coverage = sides.coverage(interviews, coded_interviews(user=user, study=study, source=source))
    texts = dict(
        TranscriptRevision.objects.filter(pk__in={p.revision for p in passages}).values_list(
            "pk", "text"
        )
    )
    quoted, mark = set(), None
    if node is not None:
        quoted = set(
            ExemplaryQuote.objects.filter(theme=node.theme, removed_at__isnull=True).values_list(
                "coding_id", flat=True
            )
        )
        mark = ConvergenceMark.objects.filter(
            dyad=dyad, theme=node.theme, cleared_at__isnull=True
        ).first()
    excerpts = {ParticipantRole.CLIENT: [], ParticipantRole.THERAPIST: []}
    for passage in passages:
        interview = interviews[passage.interview]
        excerpts[interview.role].append(
            DualExcerpt(
                code=codes[passage.code],
                interview=interview.pk,
                interview_number=interview.number,
                date=interview.date,
                start=passage.start,
                end=passage.end,
                text=texts[passage.revision][passage.start : passage.end],
                coding=passage.coding,
                coder=passage.coder,
                state=passage.state,
                quoted=passage.coding in quoted,
            )
        )
    for side in excerpts.values():
        side.sort(key=lambda excerpt: (excerpt.interview_number, excerpt.start, excerpt.end))
    return DualView(
        dyad=dyad,
        theme=node,
        code=code,
        source=source,
        client=excerpts[ParticipantRole.CLIENT],
        therapist=excerpts[ParticipantRole.THERAPIST],
        mark=mark,
        constituents=constituents,
        codes=[code for code in codes.values() if code.retired_at is None],
        client_coverage=coverage.get((dyad.pk, ParticipantRole.CLIENT), SideCoverage()),
        therapist_coverage=coverage.get((dyad.pk, ParticipantRole.THERAPIST), SideCoverage()),
    )
