"""The codebook as its pages show it: the code tree, and one code with its memos, decisions
and excerpts."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from analysis.coding.models import Code, Coding, Memo, SessionState
from analysis.coding.selectors.codings import codings_visible_to
from analysis.coding.selectors.excerpts import Excerpt, code_excerpts
from analysis.deliberation.models import Decision
from dyads.exceptions import NotFound
from dyads.models import Study

# Okabe and Ito's eight colours, which colour-blind readers tell apart, then the
# rest of Tableau's twenty: a new code takes the first one no active code wears.
CODE_PALETTE = (
    "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#000000",
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#a0cbe8", "#ffbe7d",
)  # fmt: skip


def next_code_colour(study: Study) -> str:
    """The first palette colour no active code of the study wears; when every one is
    taken, the one fewest codes wear (1 query)."""
    worn = Counter(
        colour.lower()
        for colour in Code.objects.filter(study=study, retired_at__isnull=True).values_list(
            "colour", flat=True
        )
    )
    return min(CODE_PALETTE, key=lambda colour: (worn[colour], CODE_PALETTE.index(colour)))


# The codebook page ---------------------------------------------------------


@dataclass
class CodeNode:
    """A code in the tree, with its visible codings counted and its live memos."""

    code: Code
    depth: int
    codings: int
    memos: list[Memo] = field(default_factory=list)
    children: list["CodeNode"] = field(default_factory=list)


@dataclass(frozen=True)
class Codebook:
    roots: list[CodeNode]
    retired: list[Code]

    def nodes(self) -> list[CodeNode]:
        """Every active code, parents before children, in the tree's order."""
        found, todo = [], list(reversed(self.roots))
        while todo:
            node = todo.pop()
            found.append(node)
            todo.extend(reversed(node.children))
        return found


def codebook(*, user, study: Study) -> Codebook:
    """The study's code tree with counts and memos, and its retired codes (3 queries)."""
    codes = list(
        Code.objects.filter(study=study).select_related("merged_into").order_by("position", "name")
    )
    counts = dict(
        codings_visible_to(user, Coding.objects.filter(study=study, deleted_at__isnull=True))
        .values_list("code")
        .annotate(n=Count("pk"))
        .values_list("code", "n")
    )
    memos = defaultdict(list)
    for memo in Memo.objects.filter(
        study=study, code__isnull=False, deleted_at__isnull=True
    ).select_related("author"):
        memos[memo.code_id].append(memo)
    nodes = {
        code.pk: CodeNode(code=code, depth=0, codings=counts.get(code.pk, 0), memos=memos[code.pk])
        for code in codes
        if code.retired_at is None
    }
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.code.parent_id)
        (parent.children if parent else roots).append(node)
    tree = Codebook(roots=roots, retired=[code for code in codes if code.retired_at is not None])
    for node in tree.nodes():
        for child in node.children:
            child.depth = node.depth + 1
    return tree


@dataclass(frozen=True)
class CodeDetail:
    """One code with where it stands, its memos, the decisions behind it and its excerpts."""

    code: Code
    ancestors: list[Code]
    children: list[Code]
    memos: list[Memo]
    decisions: list[Decision]
    excerpts: list[Excerpt]


def code_detail(*, user, study: Study, code_id: int) -> CodeDetail:
    """A code of the study, active or retired (4 queries); another study's is NotFound."""
    codes = {
        code.pk: code for code in Code.objects.filter(study=study).select_related("merged_into")
    }
    code = codes.get(code_id)
    if code is None:
        raise NotFound("No such code in this study.")
    ancestors, parent = [], codes.get(code.parent_id)
    while parent is not None:
        ancestors.insert(0, parent)
        parent = codes.get(parent.parent_id)
    return CodeDetail(
        code=code,
        ancestors=ancestors,
        children=[c for c in codes.values() if c.parent_id == code.pk and c.retired_at is None],
        memos=list(code.memos.filter(deleted_at__isnull=True).select_related("author")),
        decisions=list(code.decisions.select_related("meeting", "author")),
        excerpts=list(code_excerpts(user=user, code=code)),
    )


# What a merge would do ------------------------------------------------------------------


def merge_duplicates(survivor: Code, codings: list[int]) -> list[int]:
    """Those of `codings` that the same coder already made with `survivor` (same span
    and session): a merge removes them (soft) instead of moving them (2 queries)."""
    spans = set(
        Coding.objects.filter(code=survivor, deleted_at__isnull=True).values_list(
            "revision_id", "start", "end", "coder_id", "session_id"
        )
    )
    rows = Coding.objects.filter(pk__in=codings).values_list(
        "pk", "revision_id", "start", "end", "coder_id", "session_id"
    )
    return sorted(pk for pk, *span in rows if tuple(span) in spans)


@dataclass(frozen=True)
class MergePreview:
    """What merging `code` into `into` would change, shown before it is confirmed."""

    code: Code
    into: Code
    moving: int  # live codings that would get `into`
    duplicates: int  # live codings removed instead: their coder already made them with `into`
    coders: int
    closed_sessions: list[str]  # whose recorded figures stay as they were at the close
    themes: list[str]  # themes whose linked codes change
    sub_codes: list[str]


def code_merge_preview(*, code: Code, into: Code) -> MergePreview:
    """The codings that would move, the themes affected, the closed rounds whose recorded
    figures stay (6 queries)."""
    live = Coding.objects.filter(code=code, deleted_at__isnull=True)
    rows = list(live.values_list("pk", "coder", "session__name", "session__state"))
    duplicates = merge_duplicates(into, [row[0] for row in rows])
    return MergePreview(
        code=code,
        into=into,
        moving=len(rows) - len(duplicates),
        duplicates=len(duplicates),
        coders=len({row[1] for row in rows}),
        closed_sessions=sorted({row[2] for row in rows if row[3] == SessionState.CLOSED}),
        themes=list(code.themes.order_by("name").values_list("name", flat=True)),
        sub_codes=list(
            code.children.filter(retired_at__isnull=True)
            .order_by("name")
            .values_list("name", flat=True)
        ),
    )
