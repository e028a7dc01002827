"""Reads of interviews and transcripts: the study overview, a dyad's interviews,
one interview with its guide and transcript.

Each selector runs a fixed number of queries, whatever the size of the study.
They do not check permissions: the caller has already looked the study up
through `dyads.permissions.study_access`, and every selector here is scoped
to that study, so another study's object is NotFound.
"""

import re
from dataclasses import dataclass
from itertools import zip_longest

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from dyads.exceptions import DomainError, NotFound
from dyads.models import Dyad, Participant, ParticipantRole, Site, Study
from dyads.selectors import StudySummary, dyad_get, study_summary

from .matching import Match, dyad_number, match_files
from .models import (
    GuideQuestion,
    ImportBatch,
    ImportJob,
    ImportUpload,
    Interview,
    ProposalState,
    PseudonymProposal,
    PseudonymReplacement,
    SpeakerRole,
    SpeakerTurn,
    Transcript,
    TranscriptRevision,
)
from .names import Kind, NameFinding, find_names
from .pipeline import Prepared, prepare
from .pseudonymise import Pseudonymiser, Replacement
from .revision_followers import revision_preview
from .turns import LABEL_LINE, TIMESTAMP, ParsedTurn


def _interviews(*, study: Study) -> QuerySet[Interview]:
    return (
        Interview.objects.filter(
            study=study, deleted_at__isnull=True, participant__deleted_at__isnull=True
        )
        .select_related("participant", "dyad", "interviewer", "transcript")
        .order_by("participant__pseudonym", "sequence_number")
    )


def current_revisions(*, study: Study, **transcripts) -> QuerySet[Transcript]:
    """The ids of the current revisions of the study's transcripts (those matching the
    `transcripts` filters), as a subquery: `revision__in=` it reads no joined table, and
    PostgreSQL estimates its rows, where a join on `current_revision=F("revision")` it
    did not (a million codings sorted on disk to be counted)."""
    return Transcript.objects.filter(
        interview__study=study, current_revision__isnull=False, **transcripts
    ).values("current_revision")


def study_interviews(*, study: Study) -> QuerySet[Interview]:
    """The study's interviews, by participant and number, with whether they have a transcript."""
    return _interviews(study=study)


@dataclass(frozen=True)
class StudyOverview:
    summary: StudySummary
    interviews: list[Interview]


def study_overview(*, study: Study) -> StudyOverview:
    """The study root's summary plus its interviews (6 queries)."""
    return StudyOverview(
        summary=study_summary(study=study),
        interviews=list(study_interviews(study=study)),
    )


@dataclass(frozen=True)
class DyadDetail:
    dyad: Dyad
    therapist_interviews: list[Interview]
    client_interviews: list[Interview]

    @property
    def rows(self) -> list[tuple[Interview | None, Interview | None]]:
        """The therapist's and the client's interviews paired up in sequence order."""
        return list(zip_longest(self.therapist_interviews, self.client_interviews))


def dyad_detail(*, study: Study, dyad_id: int) -> DyadDetail:
    """The dyad with its therapist's and client's interviews in sequence order (2 queries).

    A therapist may belong to several dyads: their interviews held for another
    dyad are left out, those tied to no dyad (their personal background) are kept.
    """
    dyad = dyad_get(study=study, dyad_id=dyad_id)
    interviews = list(
        _interviews(study=study)
        .filter(participant__in=[dyad.therapist_id, dyad.client_id])
        .filter(Q(dyad=dyad) | Q(dyad__isnull=True))
        .order_by("sequence_number", "pk")
    )
    return DyadDetail(
        dyad=dyad,
        therapist_interviews=[i for i in interviews if i.participant_id == dyad.therapist_id],
        client_interviews=[i for i in interviews if i.participant_id == dyad.client_id],
    )


@dataclass(frozen=True)
class TurnView:
    """A speaker turn as a page shows it: who spoke, when, and what they said."""

    index: int
    speaker: str
    role: SpeakerRole
    start: int
    end: int
    timestamp: str
    text: str
    t_start: int | None = None

    @property
    def is_interviewer(self) -> bool:
        return self.role == SpeakerRole.INTERVIEWER

    @property
    def role_label(self) -> str:
        return self.role.label


def format_milliseconds(ms: int | None) -> str:
    """12_345 -> '00:12', 3_723_000 -> '1:02:03'; '' for None."""
    if ms is None:
        return ""
    seconds = ms // 1000
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


def turn_body(text: str, speaker: str) -> str:
    """The turn's words without the speaker label (and timestamp) that open it.

    The label may be a pseudonym ("[client]:") that the label pattern does not
    take for a name, so the turn's own speaker is looked for too.
    """
    match = LABEL_LINE.match(text)
    if match and speaker and match.group("label").strip() == speaker:
        return text[match.end() :].strip()
    label = rf"{re.escape(speaker)}\s*:\s" if speaker else ""
    opening = re.match(rf"(?:{TIMESTAMP}\s+)?{label}", text)
    return text[opening.end() :].strip() if opening else text.strip()


def turn_view(text: str, index: int, turn: SpeakerTurn | ParsedTurn) -> TurnView:
    """A turn of `text` as a page shows it."""
    return TurnView(
        index=index,
        speaker=turn.speaker,
        role=SpeakerRole(turn.role or SpeakerRole.OTHER),
        start=turn.start,
        end=turn.end,
        timestamp=format_milliseconds(turn.t_start),
        # Offsets are code points, and so is Python's string indexing.
        text=turn_body(text[turn.start : turn.end], turn.speaker),
        t_start=turn.t_start,
    )


def turn_views(revision: TranscriptRevision, turns: list[SpeakerTurn]) -> list[TurnView]:
    """The revision's turns with their text; a revision without turns is one block."""
    text = revision.text
    if not turns:
        return [
            TurnView(
                index=0,
                speaker="",
                role=SpeakerRole.OTHER,
                start=0,
                end=len(text),
                timestamp="",
                text=text.strip(),
            )
        ]
    return [turn_view(text, turn.index, turn) for turn in turns]


@dataclass(frozen=True)
class QuestionView:
    position: int
    text: str
    tailored: bool


@dataclass(frozen=True)
class InterviewDetail:
    interview: Interview
    questions: list[QuestionView]
    revision: TranscriptRevision | None
    turns: list[TurnView]

    @property
    def participant(self) -> Participant:
        return self.interview.participant


def interview_detail(*, study: Study, interview_id: int) -> InterviewDetail:
    """The interview, its guide's questions for this participant and its current transcript.

    The guide's questions are the study-wide ones and those tailored to this
    participant; questions tailored to someone else are left out. Four queries
    at most: the interview, the questions, the revision, its turns.
    """
    interview = (
        Interview.objects.filter(
            study=study,
            pk=interview_id,
            deleted_at__isnull=True,
            participant__deleted_at__isnull=True,
        )
        .select_related(
            "participant__site",
            "dyad",
            "interviewer",
            "guide",
            "audio",
            "transcript__current_revision__created_by",
        )
        .first()
    )
    if interview is None:
        raise NotFound("No such interview in this study.")
    questions = []
    if interview.guide is not None:
        questions = [
            QuestionView(position=q.position, text=q.text, tailored=q.participant_id is not None)
            for q in GuideQuestion.objects.filter(guide=interview.guide)
            .filter(Q(participant__isnull=True) | Q(participant=interview.participant_id))
            .order_by("position")
        ]
    revision = _current_revision(interview)
    turns = []
    if revision is not None:
        turns = turn_views(revision, list(revision.turns.order_by("index")))
    return InterviewDetail(interview=interview, questions=questions, revision=revision, turns=turns)


def _current_revision(interview: Interview) -> TranscriptRevision | None:
    try:
        transcript = interview.transcript
    except Transcript.DoesNotExist:
        return None
    return transcript.current_revision


# Imports ---------------------------------------------------------------------------------


def study_pseudonymiser(*, study: Study) -> Pseudonymiser:
    """The study's replacement list, compiled (1 query)."""
    entries = PseudonymReplacement.objects.filter(study=study, deleted_at__isnull=True).values_list(
        "original", "replacement", "case_sensitive"
    )
    return Pseudonymiser(Replacement(*entry) for entry in entries)


def study_replacements(*, study: Study) -> QuerySet[PseudonymReplacement]:
    return PseudonymReplacement.objects.filter(study=study, deleted_at__isnull=True).order_by(
        Lower("original")
    )


def upload_get(*, study: Study, user, upload_id: int, reviewer: bool = False) -> ImportUpload:
    """An upload of the study that is not imported yet; else NotFound.

    Only its uploader sees an upload (it holds the file as delivered), and a
    `reviewer` (an owner, who reviews the names of every upload) sees all.
    """
    uploads = ImportUpload.objects.filter(
        study=study, pk=upload_id, job__isnull=True, batch__isnull=True
    )
    if not reviewer:
        uploads = uploads.filter(created_by=user)
    upload = uploads.select_related("interview__participant").first()
    if upload is None:
        raise NotFound("No such upload.")
    return upload


def job_get(*, study: Study, job_id: int) -> ImportJob:
    job = (
        ImportJob.objects.filter(study=study, pk=job_id)
        .select_related("interview__participant", "revision", "created_by")
        .first()
    )
    if job is None:
        raise NotFound("No such import.")
    return job


def interview_imports(*, interview: Interview, limit: int = 5) -> list[ImportJob]:
    """The interview's latest import jobs."""
    return list(interview.import_jobs.select_related("created_by").order_by("-created_at")[:limit])


def batch_candidates(*, study: Study) -> tuple[list[Interview], dict[int, set[int]]]:
    """The study's interviews to match files against, and each participant's dyad numbers."""
    dyad_numbers: dict[int, set[int]] = {}
    for dyad in Dyad.objects.filter(study=study, deleted_at__isnull=True):
        for participant in (dyad.therapist_id, dyad.client_id):
            dyad_numbers.setdefault(participant, set()).add(dyad_number(dyad.label))
    return list(_interviews(study=study)), dyad_numbers


def batch_matches(*, batch: ImportBatch, pattern: str) -> list[Match]:
    """Each file of the batch with the interview `pattern` points it at, or why none."""
    names = list(batch.uploads.order_by("pk").values_list("file_name", flat=True))
    return match_files(names, pattern, *batch_candidates(study=batch.study))


def batch_impacts(*, batch: ImportBatch, matches: list[Match]) -> list[tuple[Match, list[str]]]:
    """Each match with what importing its file would do to a coded transcript (file_impact);
    only the files matched to an interview that has a transcript are read."""
    with_transcript = set(
        Transcript.objects.filter(
            interview__in=[match.interview for match in matches if match.interview]
        ).values_list("interview_id", flat=True)
    )
    contents = dict(batch.uploads.values_list("file_name", "content"))
    return [
        (
            match,
            file_impact(
                interview=match.interview,
                file_name=match.file_name,
                content=bytes(contents[match.file_name]),
            )
            if match.interview and match.interview.pk in with_transcript
            else [],
        )
        for match in matches
    ]


def batch_get(*, study: Study, user, batch_id: int) -> ImportBatch:
    """A batch of the study that `user` uploaded; else NotFound."""
    batch = ImportBatch.objects.filter(study=study, pk=batch_id, created_by=user).first()
    if batch is None:
        raise NotFound("No such batch of files.")
    return batch


def batch_jobs(*, batch: ImportBatch) -> list[ImportJob]:
    return list(
        batch.jobs.select_related("interview__participant", "revision").order_by("file_name")
    )


def interview_get(*, study: Study, interview_id: int) -> Interview:
    interview = (
        _interviews(study=study).filter(pk=interview_id).select_related("dyad", "audio").first()
    )
    if interview is None:
        raise NotFound("No such interview in this study.")
    return interview


PREVIEW_TURNS = 8


@dataclass(frozen=True)
class FilePreview:
    """What importing a file would store, and the words to check before it is stored."""

    prepared: Prepared
    # Forms of listed names the list leaves alone ("Ingrids", "Ingri").
    near_misses: list[NameFinding]
    # Participants' attributes and capitalised words that may be names not on the list.
    candidates: list[NameFinding]

    @property
    def names_to_review(self) -> list[NameFinding]:
        return [*self.near_misses, *self.candidates]


def study_name_attributes(*, study: Study) -> list[tuple[str, str]]:
    """What the study knows of its participants that a transcript could name: clients'
    professions, every participant's free attributes, the sites' names and cities
    (2 queries). Pairs of (term, what it is)."""
    terms = []
    for role, profession, attributes in Participant.objects.filter(
        study=study, deleted_at__isnull=True
    ).values_list("role", "profession", "attributes"):
        if role == ParticipantRole.CLIENT:
            terms.append((profession, "a client's profession"))
        terms += [
            (value, f"a participant's {key}")
            for key, value in (attributes or {}).items()
            if isinstance(value, str)
        ]
    for name, city in Site.objects.filter(study=study, deleted_at__isnull=True).values_list(
        "name", "city"
    ):
        terms += [(name, "a site's name"), (city, "a site's city")]
    return [(term, what) for term, what in terms if term.strip()]


def file_preview(*, study: Study, file_name: str, content: bytes) -> FilePreview:
    """Parse and pseudonymise a file as an import would, storing nothing; UnreadableFile
    (naming the file) if it cannot be read."""
    pseudonymiser = study_pseudonymiser(study=study)
    prepared = prepare(name=file_name, content=content, pseudonymiser=pseudonymiser)
    findings = find_names(
        prepared.original_text,
        pseudonymiser=pseudonymiser,
        language=study.language,
        attributes=study_name_attributes(study=study),
    )
    return FilePreview(
        prepared=prepared,
        near_misses=[finding for finding in findings if finding.kind == Kind.NEAR_MISS],
        candidates=[finding for finding in findings if finding.kind != Kind.NEAR_MISS],
    )


@dataclass(frozen=True)
class ImportPreview:
    upload: ImportUpload
    file: FilePreview
    turns: list[TurnView]
    # What the new revision would do to what is anchored in the current one (codings).
    impact: list[str]

    @property
    def prepared(self) -> Prepared:
        return self.file.prepared

    @property
    def held_for_review(self) -> bool:
        """The study holds the import until an owner has reviewed the possible names."""
        return (
            self.upload.study.require_name_review
            and bool(self.file.names_to_review)
            and self.upload.names_reviewed_at is None
        )


def import_preview(*, upload: ImportUpload) -> ImportPreview:
    """What importing the upload would store, with its first turns; UnreadableFile if it cannot."""
    preview = file_preview(
        study=upload.study, file_name=upload.file_name, content=bytes(upload.content)
    )
    turns = [
        turn_view(preview.prepared.text, index, turn)
        for index, turn in enumerate(preview.prepared.turns[:PREVIEW_TURNS])
    ]
    return ImportPreview(
        upload=upload,
        file=preview,
        turns=turns,
        impact=revision_impact(interview=upload.interview, new_text=preview.prepared.text),
    )


def file_impact(*, interview: Interview, file_name: str, content: bytes) -> list[str]:
    """What importing the file as the interview's next revision would do (see
    revision_impact); nothing if the file cannot be read, which the import reports."""
    try:
        prepared = prepare(
            name=file_name,
            content=content,
            pseudonymiser=study_pseudonymiser(study=interview.study),
        )
    except DomainError:
        return []
    return revision_impact(interview=interview, new_text=prepared.text)


def revision_impact(*, interview: Interview, new_text: str) -> list[str]:
    """What storing `new_text` over the interview's current revision would do, one sentence
    per app whose records point into it (interviews.revision_followers)."""
    transcript = (
        Transcript.objects.filter(interview=interview).select_related("current_revision").first()
    )
    current = transcript.current_revision if transcript else None
    if current is None or current.text == new_text:
        return []
    return revision_preview(old=current, new_text=new_text)


def pseudonym_proposals(*, study: Study, user=None) -> QuerySet[PseudonymProposal]:
    """The study's open proposals for the list (only `user`'s, if given), oldest first."""
    proposals = PseudonymProposal.objects.filter(
        study=study, state=ProposalState.PROPOSED
    ).select_related("proposed_by")
    return proposals.filter(proposed_by=user) if user is not None else proposals


def uploads_awaiting_review(*, study: Study) -> QuerySet[ImportUpload]:
    """Uploads not imported yet whose possible names no owner has reviewed."""
    return ImportUpload.objects.filter(
        study=study,
        job__isnull=True,
        batch__isnull=True,
        interview__isnull=False,
        names_reviewed_at__isnull=True,
    ).select_related("interview__participant", "created_by")
