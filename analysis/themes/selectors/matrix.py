"""The dyad × constituent matrix: which side of which dyad supports each constituent.

The counts come per interview and constituent from the coding source: for all
coders one GROUP BY revision and theme over the codings joined to the theme–code
links, each constituent with its own codes and its sub-constituents' (see
`source.theme_counts`), so a coding counts once per constituent even where its
code is linked at several levels. Each count is then added to the side of the
dyad its interview belongs to.

Each side of a cell also has its state (`source.SideState`): present, absent, not
coded or not interviewed. Which interviews are coded in the layer is one query
(`source.coded_interviews`) for the whole matrix; each side's coverage then comes
from the interviews the matrix already reads.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from analysis.themes.models import ConvergenceMark, Theme
from analysis.themes.selectors.source import (
    CodingSource,
    DyadSides,
    SideCoverage,
    SideState,
    coded_interviews,
    interviews_info,
    theme_counts,
)
from analysis.themes.selectors.tree import ThemeNode, theme_tree
from dyads.exceptions import DomainError
from dyads.models import Dyad, ParticipantRole, Study
from dyads.selectors import study_dyads


class InterviewWave(StrEnum):
    ALL = "all"
    FIRST = "first"
    LATER = "later"


WAVE_LABELS = {
    InterviewWave.ALL: "All interviews",
    InterviewWave.FIRST: "First interviews",
    InterviewWave.LATER: "Later interviews",
}

SORTS = {
    "dyad": ("Dyad", lambda dyad: ""),
    "site": ("Site", lambda dyad: dyad.site.name if dyad.site else "~"),
    "orientation": (
        "Therapist's orientation",
        lambda d: d.therapist.theoretical_orientation or "~",
    ),
    "therapist_gender": ("Therapist's gender", lambda dyad: dyad.therapist.gender or "~"),
    "client_gender": ("Client's gender", lambda dyad: dyad.client.gender or "~"),
}


@dataclass(frozen=True)
class MatrixFilters:
    """Which dyads and interviews the matrix counts, and how its rows are sorted."""

    site: int | None = None
    therapist_gender: str = ""
    client_gender: str = ""
    orientation: str = ""
    interviews: InterviewWave = InterviewWave.ALL
    sort: str = "dyad"
    source: CodingSource = CodingSource.CONSENSUS

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> "MatrixFilters":
        """Read the filters from query parameters; a bad value names its parameter."""
        site = (params.get("site") or "").strip()
        if site and not site.isdigit():
            raise DomainError({"site": f"'{site}' is not a site id."})
        interviews = params.get("interviews") or InterviewWave.ALL
        if interviews not in InterviewWave.__members__.values():
            choices = ", ".join(InterviewWave)
            raise DomainError({"interviews": f"Use one of {choices}, not '{interviews}'."})
        sort = params.get("sort") or "dyad"
        if sort not in SORTS:
            raise DomainError({"sort": f"Sort by one of {', '.join(SORTS)}, not '{sort}'."})
        return cls(
            site=int(site) if site else None,
            therapist_gender=(params.get("therapist_gender") or "").strip(),
            client_gender=(params.get("client_gender") or "").strip(),
            orientation=(params.get("orientation") or "").strip(),
            interviews=InterviewWave(interviews),
            sort=sort,
            source=CodingSource.from_query(params),
        )

    def wave_admits(self, number: int) -> bool:
        if self.interviews == InterviewWave.FIRST:
            return number == 1
        if self.interviews == InterviewWave.LATER:
            return number > 1
        return True

    def admits(self, dyad: Dyad) -> bool:
        return (
            (self.site is None or dyad.site_id == self.site)
            and (not self.therapist_gender or dyad.therapist.gender == self.therapist_gender)
            and (not self.client_gender or dyad.client.gender == self.client_gender)
            and (not self.orientation or dyad.therapist.theoretical_orientation == self.orientation)
        )


@dataclass(frozen=True)
class MatrixCell:
    dyad: Dyad
    theme: ThemeNode
    client: int
    therapist: int
    mark: ConvergenceMark | None
    client_coverage: SideCoverage
    therapist_coverage: SideCoverage

    @property
    def client_state(self) -> SideState:
        return self.client_coverage.state(self.client)

    @property
    def therapist_state(self) -> SideState:
        return self.therapist_coverage.state(self.therapist)

    @property
    def presence(self) -> str:
        """both, client, therapist or neither: whose interviews support the constituent."""
        if self.client and self.therapist:
            return "both"
        if self.client:
            return ParticipantRole.CLIENT.value
        if self.therapist:
            return ParticipantRole.THERAPIST.value
        return "neither"

    @property
    def total(self) -> int:
        return self.client + self.therapist


@dataclass(frozen=True)
class MatrixRow:
    dyad: Dyad
    cells: list[MatrixCell]


@dataclass(frozen=True)
class FilterOptions:
    sites: list[tuple[int, str]]
    therapist_genders: list[str]
    client_genders: list[str]
    orientations: list[str]


@dataclass(frozen=True)
class Matrix:
    constituents: list[ThemeNode]
    overarching: list[tuple[ThemeNode, int]]  # each root with its number of constituents
    rows: list[MatrixRow]
    filters: MatrixFilters
    options: FilterOptions
    dyads_in_study: int


def _options(dyads: list[Dyad]) -> FilterOptions:
    def distinct(values) -> list[str]:
        return sorted({value for value in values if value})

    return FilterOptions(
        sites=sorted({(d.site_id, d.site.name) for d in dyads if d.site}, key=lambda s: s[1]),
        therapist_genders=distinct(d.therapist.gender for d in dyads),
        client_genders=distinct(d.client.gender for d in dyads),
        orientations=distinct(d.therapist.theoretical_orientation for d in dyads),
    )


@dataclass(frozen=True)
class _Tally:
    counts: dict[tuple[int, int], list[int]]  # (dyad id, theme id) -> [client, therapist]
    coverage: dict[tuple[int, ParticipantRole], SideCoverage]  # (dyad id, role) -> coverage

    def cell(self, dyad: Dyad, node: ThemeNode, mark: ConvergenceMark | None) -> MatrixCell:
        client, therapist = self.counts.get((dyad.pk, node.theme.pk), (0, 0))
        return MatrixCell(
            dyad=dyad,
            theme=node,
            client=client,
            therapist=therapist,
            mark=mark,
            client_coverage=self.coverage.get((dyad.pk, ParticipantRole.CLIENT), SideCoverage()),
            therapist_coverage=self.coverage.get(
                (dyad.pk, ParticipantRole.THERAPIST), SideCoverage()
            ),
        )


def _tally(
    *,
    user,
    study: Study,
    dyads: list[Dyad],
    constituents: list[ThemeNode],
    filters: MatrixFilters,
) -> _Tally:
    """The counts of each dyad × constituent and the coverage of each dyad's sides."""
    side_index = {ParticipantRole.CLIENT: 0, ParticipantRole.THERAPIST: 1}
    sides = DyadSides(dyads)
    interviews = interviews_info(study=study)
    targets = {  # interview id -> the (dyad id, side) pairs it counts for
        interview.pk: [(dyad.pk, side_index[role]) for dyad, role in sides.of(interview)]
        for interview in interviews.values()
        if filters.wave_admits(interview.number)
    }
    counts: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    links = {node.theme.pk: node.code_ids for node in constituents}
    coded = theme_counts(user=user, study=study, source=filters.source, links=links)
    for (interview_id, theme_id), n in coded.items():
        for dyad_id, side in targets.get(interview_id, ()):
            counts[(dyad_id, theme_id)][side] += n
    coverage = sides.coverage(
        interviews,
        coded_interviews(user=user, study=study, source=filters.source),
        admits=lambda interview: filters.wave_admits(interview.number),
    )
    return _Tally(counts=counts, coverage=coverage)


def cell_states(*, study: Study, dyad: Dyad, theme: Theme) -> dict[ParticipantRole, SideState]:
    """The state of each side of one dyad × constituent in the consensus layer, over all
    its interviews (what a convergence mark is checked against)."""
    node = next(node for node in theme_tree(study=study).constituents() if node.theme == theme)
    tally = _tally(
        user=None, study=study, dyads=[dyad], constituents=[node], filters=MatrixFilters()
    )
    cell = tally.cell(dyad, node, None)
    return {
        ParticipantRole.CLIENT: cell.client_state,
        ParticipantRole.THERAPIST: cell.therapist_state,
    }


def dyad_matrix(*, user, study: Study, filters: MatrixFilters | None = None) -> Matrix:
    """The matrix of the study's dyads (filtered and sorted) by its constituents (7 queries
    with all coders' codings; the consensus layer adds its own)."""
    filters = filters or MatrixFilters()
    tree = theme_tree(study=study)
    constituents = tree.constituents()
    all_dyads = list(study_dyads(study=study))
    dyads = sorted(
        (dyad for dyad in all_dyads if filters.admits(dyad)),
        key=lambda dyad: (SORTS[filters.sort][1](dyad), dyad.label),
    )
    tally = _tally(user=user, study=study, dyads=dyads, constituents=constituents, filters=filters)
    marks = {
        (mark.dyad_id, mark.theme_id): mark
        for mark in ConvergenceMark.objects.filter(study=study, cleared_at__isnull=True)
    }

    return Matrix(
        constituents=constituents,
        overarching=[(root, len(root.descendants())) for root in tree.roots if root.descendants()],
        rows=[
            MatrixRow(
                dyad,
                [
                    tally.cell(dyad, node, marks.get((dyad.pk, node.theme.pk)))
                    for node in constituents
                ],
            )
            for dyad in dyads
        ],
        filters=filters,
        options=_options(all_dyads),
        dyads_in_study=len(all_dyads),
    )
