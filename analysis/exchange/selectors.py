"""The reads every export shares: which interviews, codes and codings leave Duet.

An export carries each transcript's current revision and the live codings on
it that the exporting user may see (blind sessions stay blind). Each function
runs a fixed number of queries.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from analysis.coding.models import Code, Coding, Memo
from analysis.coding.selectors.codings import codings_visible_to
from dyads.models import Study
from interviews.models import Interview, SpeakerTurn, TranscriptRevision
from interviews.selectors import current_revisions

CHUNK = 40


def export_interviews(*, study: Study) -> list[Interview]:
    """The study's live interviews that have a transcript, by participant and number."""
    return list(
        Interview.objects.filter(
            study=study,
            deleted_at__isnull=True,
            participant__deleted_at__isnull=True,
            transcript__current_revision__isnull=False,
        )
        .select_related("participant", "participant__site", "dyad", "interviewer", "transcript")
        .order_by("participant__pseudonym", "sequence_number", "pk")
    )


def export_codings(*, actor, study: Study) -> QuerySet[Coding]:
    """Live codings on current revisions that `actor` may see, in text order."""
    current = current_revisions(study=study, interview__deleted_at__isnull=True)
    codings = Coding.objects.filter(study=study, deleted_at__isnull=True, revision__in=current)
    return codings_visible_to(actor, codings).order_by("revision_id", "start", "end", "pk")


def export_codes(*, study: Study, used: set[int] | None = None) -> list[Code]:
    """Active codes, plus retired ones that exported codings still use, with their ancestors."""
    codes = {code.pk: code for code in Code.objects.filter(study=study).order_by("pk")}
    keep = {pk for pk, code in codes.items() if code.retired_at is None} | (used or set())
    for pk in list(keep):
        parent = codes[pk].parent_id if pk in codes else None
        while parent is not None and parent not in keep:
            keep.add(parent)
            parent = codes[parent].parent_id
    return [codes[pk] for pk in sorted(keep) if pk in codes]


def code_tree(codes: list[Code]) -> dict[int | None, list[Code]]:
    """Children by parent id (None: top level), each list in the codebook's order."""
    kept = {code.pk for code in codes}
    tree: dict[int | None, list[Code]] = {}
    for code in codes:
        parent = code.parent_id if code.parent_id in kept else None
        tree.setdefault(parent, []).append(code)
    for children in tree.values():
        children.sort(key=lambda code: (code.position, code.name, code.pk))
    return tree


def code_paths(codes: list[Code], separator: str = " / ") -> dict[int, str]:
    """Each code's path from the top of the tree, e.g. 'Alliance / Rupture'."""
    by_id = {code.pk: code for code in codes}
    paths: dict[int, str] = {}

    def path(code: Code) -> str:
        if code.pk not in paths:
            parent = by_id.get(code.parent_id)
            paths[code.pk] = f"{path(parent)}{separator}{code.name}" if parent else code.name
        return paths[code.pk]

    for code in codes:
        path(code)
    return paths


def export_memos(*, study: Study) -> list[Memo]:
    return list(
        Memo.objects.filter(study=study, deleted_at__isnull=True)
        .select_related("author")
        .order_by("pk")
    )


@dataclass(frozen=True)
class RevisionText:
    revision_id: int
    text: str
    turns: list[tuple[int, int]]


def revision_texts(revision_ids: list[int], *, with_turns: bool = False) -> Iterator[RevisionText]:
    """The texts (and speaker turns) of many revisions, a few dozen per query."""
    for first in range(0, len(revision_ids), CHUNK):
        chunk = revision_ids[first : first + CHUNK]
        texts = dict(TranscriptRevision.objects.filter(pk__in=chunk).values_list("pk", "text"))
        turns: dict[int, list[tuple[int, int]]] = {}
        if with_turns:
            rows = (
                SpeakerTurn.objects.filter(revision_id__in=chunk)
                .order_by("revision_id", "start")
                .values_list("revision_id", "start", "end")
            )
            for revision_id, start, end in rows:
                turns.setdefault(revision_id, []).append((start, end))
        for revision_id in chunk:
            yield RevisionText(revision_id, texts[revision_id], turns.get(revision_id, []))
