"""Reads for supervisors: why a passage is coded as it is, a code's life, the
study's audit timeline and each coder's output and agreement.

Each read runs a fixed number of queries whatever the size of the study. The
caller has looked the study up through `dyads.permissions.study_access`;
everything here is scoped to that study, so another study's object is NotFound.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek

from analysis.agreement.selectors.disagreements import PassageView, session_passages
from analysis.agreement.selectors.reports import agreement_report
from analysis.agreement.selectors.scope import agreement_scope
from analysis.coding.models import Code, Coding, SessionMode, SessionState
from analysis.coding.selectors.codings import codings_visible_to
from analysis.coding.selectors.excerpts import Excerpt, codings_as_excerpts
from analysis.deliberation.models import (
    Decision,
    DecisionKind,
    DecisionState,
    MeetingPassage,
    MeetingRecord,
)
from analysis.supervision.models import AuditFinding, AuditRound
from analysis.themes.models import ExemplaryQuote
from dyads.audit.words import audit_action_name, audit_noun
from dyads.exceptions import DomainError, NotFound
from dyads.models import AuditComment, AuditEvent, Role, Study
from dyads.selectors import display_name

_INTERVIEW = "revision__transcript__interview"


# "Why is this passage coded X?" -------------------------------------------------------


def _code_lineage(code: Code) -> list[int]:
    """The codes whose decisions shaped `code`: itself, every code merged into it and
    every code split to make it, transitively (2 queries)."""
    merged_into = dict(
        Code.objects.filter(study_id=code.study_id, merged_into__isnull=False).values_list(
            "pk", "merged_into"
        )
    )
    splits = Decision.objects.filter(
        study_id=code.study_id, kind=DecisionKind.CODE_SPLIT, state=DecisionState.ACCEPTED
    ).values_list("code_id", "after")
    split_from = {
        part["code"]: source for source, after in splits for part in (after or {}).get("parts", [])
    }
    family, todo = [], [code.pk]
    while todo:
        pk = todo.pop()
        if pk in family:
            continue
        family.append(pk)
        todo.extend(source for source, into in merged_into.items() if into == pk)
        if pk in split_from:
            todo.append(split_from[pk])
    return family


def code_decisions(code: Code) -> QuerySet[Decision]:
    """The accepted decisions that shaped the code, oldest first (3 queries)."""
    return (
        Decision.objects.filter(
            code__in=_code_lineage(code), study_id=code.study_id, state=DecisionState.ACCEPTED
        )
        .select_related("meeting", "author", "decided_by", "code")
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class CodeStep:
    """A merge or split that carried a coding from one code to another."""

    kind: str  # DecisionKind.CODE_MERGE or CODE_SPLIT
    before: Code
    after: Code
    decision: Decision | None


def coding_code_steps(coding: Coding) -> list[CodeStep]:
    """How the coding came from the code its coder chose (`coded_as`) to its code now:
    each merge (the code's `merged_into`) and split (the part listing the coding),
    with the decision behind it (2 queries; none when the code is the one chosen)."""
    if coding.coded_as_id == coding.code_id:
        return []
    codes = {code.pk: code for code in Code.objects.filter(study_id=coding.study_id)}
    decisions = {}
    for decision in (
        Decision.objects.filter(
            study_id=coding.study_id,
            kind__in=[DecisionKind.CODE_MERGE, DecisionKind.CODE_SPLIT],
            state=DecisionState.ACCEPTED,
        )
        .select_related("meeting")
        .order_by("created_at", "pk")
    ):
        decisions[decision.kind, decision.code_id] = decision
    steps, code = [], codes[coding.coded_as_id]
    while code.pk != coding.code_id and len(steps) < len(codes):
        split = decisions.get((DecisionKind.CODE_SPLIT, code.pk))
        part = next(
            (
                part["code"]
                for part in ((split.after or {}).get("parts", []) if split else [])
                if coding.pk in part.get("codings", [])
            ),
            None,
        )
        if part is not None:
            steps.append(CodeStep(DecisionKind.CODE_SPLIT, code, codes[part], split))
        elif code.merged_into_id is not None:
            merge = decisions.get((DecisionKind.CODE_MERGE, code.pk))
            steps.append(CodeStep(DecisionKind.CODE_MERGE, code, codes[code.merged_into_id], merge))
        else:
            break  # a re-coding: the audit trail tells it
        code = steps[-1].after
    return steps


@dataclass(frozen=True)
class Provenance:
    coding: Coding
    steps: list[CodeStep]
    text: str
    others: list[Coding]
    passage: PassageView | None
    passage_note: str
    decisions: list[Decision]
    quotes: list[ExemplaryQuote]
    comments: list[AuditComment]
    findings: list[AuditFinding]
    events: list[AuditEvent] | None

    @property
    def decisions_since(self) -> list[Decision]:
        return [d for d in self.decisions if d.created_at > self.coding.created_at]


def _overlapping(user, coding: Coding) -> QuerySet[Coding]:
    """The live codings the user may see that overlap the coding's passage (itself included)."""
    return codings_visible_to(
        user,
        Coding.objects.filter(
            revision=coding.revision_id,
            start__lt=coding.end,
            end__gt=coding.start,
            deleted_at__isnull=True,
        ),
    ).select_related("code", "coder", "session")


def _agreement_status(user, role: Role, coding: Coding) -> tuple[PassageView | None, str]:
    session = coding.session
    if session is None:
        return None, "Coded outside a coding session: there is no independent coding to compare."
    if (
        session.mode == SessionMode.BLIND
        and session.state == SessionState.OPEN
        and role not in (Role.OWNER, Role.AUDITOR)
    ):
        return None, "The blind session is still open: agreement is shown once it is closed."
    passages = session_passages(session=session, transcript=coding.revision.transcript_id)
    view = next((view for view in passages.passages if coding.pk in view.codings), None)
    if view is None:
        return None, "This coding is not on the transcript's current revision."
    return view, ""


def coding_provenance(*, user, role: Role, study: Study, coding_id: int) -> Provenance:
    """Who coded the passage, in which session, how it stands against the other
    coders, the decisions that shaped its code, its quotes and audit comments."""
    coding = (
        codings_visible_to(user, Coding.objects.filter(study=study, pk=coding_id))
        .select_related(
            "code",
            "coded_as",
            "coder",
            "session",
            "revision__transcript",
            f"{_INTERVIEW}__participant",
            f"{_INTERVIEW}__dyad",
        )
        .first()
    )
    if coding is None:
        raise NotFound("No such coding in this study.")
    others = list(
        _overlapping(user, coding).exclude(pk=coding.pk).order_by("start", "coder__username")
    )
    passage, note = _agreement_status(user, role, coding)
    events = None
    if role in (Role.OWNER, Role.AUDITOR):
        events = list(
            AuditEvent.objects.filter(
                study=study, object_type="analysis.coding", object_id=str(coding.pk)
            )
            .select_related("actor")
            .order_by("sequence")
        )
    return Provenance(
        coding=coding,
        steps=coding_code_steps(coding),
        text=coding.revision.text[coding.start : coding.end],
        others=others,
        passage=passage,
        passage_note=note,
        decisions=list(code_decisions(coding.code)),
        quotes=list(
            ExemplaryQuote.objects.filter(coding=coding, removed_at__isnull=True).select_related(
                "theme"
            )
        ),
        comments=list(
            AuditComment.objects.filter(
                study=study, object_type="analysis.coding", object_id=str(coding.pk)
            ).select_related("author")
        ),
        findings=list(
            AuditFinding.objects.filter(coding=coding)
            .exclude(verdict="")
            .select_related("round", "recorded_by")
            .order_by("recorded_at")
        ),
        events=events,
    )


@dataclass(frozen=True)
class QuoteTrace:
    quote: ExemplaryQuote
    text: str
    codings: list[Coding]


def quote_trace(*, user, study: Study, quote_id: int) -> QuoteTrace:
    """From an exemplary quote to the independent codings of its passage (3 queries)."""
    quote = (
        ExemplaryQuote.objects.filter(study=study, pk=quote_id)
        .select_related("theme", "coding__revision")
        .first()
    )
    if quote is None:
        raise NotFound("No such quote in this study.")
    coding = quote.coding
    codings = _overlapping(user, coding).order_by("session", "coder__username", "start")
    return QuoteTrace(
        quote=quote,
        text=coding.revision.text[coding.start : coding.end],
        codings=list(codings),
    )


# An audit round's sample -------------------------------------------------------------


@dataclass(frozen=True)
class SampledPassage:
    """A finding with its passage in context and the codes its coder gave that passage."""

    finding: AuditFinding
    excerpt: Excerpt
    coder_codes: list[Code]


def audit_round_passages(*, audit_round: AuditRound) -> list[SampledPassage]:
    """The round's findings in order, each passage with its context inside the speaker
    turn and every live code its coder put on text overlapping it (4 queries)."""
    findings = list(
        audit_round.findings.select_related("coding__code", "coding__coder").order_by("position")
    )
    codings = [finding.coding for finding in findings]
    excerpts = {
        e.coding: e
        for e in codings_as_excerpts(Coding.objects.filter(pk__in=[c.pk for c in codings]))
    }
    nearby = defaultdict(list)
    for other in (
        Coding.objects.filter(
            revision__in={c.revision_id for c in codings},
            coder__in={c.coder_id for c in codings},
            deleted_at__isnull=True,
        )
        .select_related("code")
        .order_by("start", "code__name")
    ):
        nearby[other.revision_id, other.coder_id].append(other)
    return [
        SampledPassage(
            finding,
            excerpts[finding.coding_id],
            _codes_on(finding.coding, nearby[finding.coding.revision_id, finding.coding.coder_id]),
        )
        for finding in findings
    ]


def _codes_on(coding: Coding, candidates: list[Coding]) -> list[Code]:
    codes = {}
    for other in candidates:
        if other.start < coding.end and other.end > coding.start:
            codes.setdefault(other.code_id, other.code)
    return list(codes.values())


# A code's whole life ------------------------------------------------------------------


@dataclass(frozen=True)
class DefinitionState:
    """The code's wording from a decision on, until the next one changed it."""

    decision: Decision
    texts: dict[str, str]


@dataclass(frozen=True)
class WeekCount:
    week: dt.date
    added: int
    removed: int
    total: int


@dataclass(frozen=True)
class CodeHistory:
    code: Code
    decisions: list[Decision]
    definitions: list[DefinitionState]
    weeks: list[WeekCount]
    merged_codes: list[Code] = field(default_factory=list)


DEFINITION_KEYS = ("name", "definition", "inclusion_criteria", "exclusion_criteria", "example")


def code_history(*, study: Study, code_id: int) -> CodeHistory:
    """Every decision about the code (and those merged into it), its wording over
    time, and its live codings week by week (6 queries)."""
    code = Code.objects.filter(study=study, pk=code_id).select_related("parent").first()
    if code is None:
        raise NotFound("No such code in this study.")
    decisions = list(code_decisions(code))
    definitions, current = [], {}
    for decision in decisions:
        after = decision.after if isinstance(decision.after, dict) else {}
        changed = {key: after[key] for key in DEFINITION_KEYS if key in after}
        if decision.code_id == code.pk and changed:
            current = {**current, **changed}
            definitions.append(DefinitionState(decision, dict(current)))
    return CodeHistory(
        code=code,
        decisions=decisions,
        definitions=definitions,
        weeks=_weekly_counts(Coding.objects.filter(code=code)),
        merged_codes=list(Code.objects.filter(merged_into=code).order_by("name")),
    )


def _weekly_counts(codings: QuerySet[Coding]) -> list[WeekCount]:
    added = dict(
        codings.annotate(week=TruncWeek("created_at"))
        .values_list("week")
        .annotate(n=Count("pk"))
        .values_list("week", "n")
    )
    removed = dict(
        codings.filter(deleted_at__isnull=False)
        .annotate(week=TruncWeek("deleted_at"))
        .values_list("week")
        .annotate(n=Count("pk"))
        .values_list("week", "n")
    )
    total, weeks = 0, []
    for week in sorted(set(added) | set(removed)):
        total += added.get(week, 0) - removed.get(week, 0)
        weeks.append(WeekCount(week.date(), added.get(week, 0), removed.get(week, 0), total))
    return weeks


# The audit timeline --------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineFilter:
    actor: str = ""
    object_type: str = ""
    action: str = ""
    code: int | None = None
    meeting: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @classmethod
    def from_query(cls, params) -> TimelineFilter:
        """Parse ?actor=&object_type=&action=&code=&meeting=&from=&to=, naming each bad field."""
        values, problems = {}, {}
        for name in ("code", "meeting"):
            raw = params.get(name, "").strip()
            if raw and not raw.isdigit():
                problems[name] = f"'{raw}' is not a {name} of this study."
            values[name] = int(raw) if raw.isdigit() else None
        for name, key in (("date_from", "from"), ("date_to", "to")):
            raw = params.get(key, "").strip()
            try:
                values[name] = dt.date.fromisoformat(raw) if raw else None
            except ValueError:
                problems[key] = f"'{raw}' is not a date (YYYY-MM-DD)."
        start, end = values.get("date_from"), values.get("date_to")
        if not problems and start and end and start > end:
            problems["from"] = "The period starts after it ends."
        if problems:
            raise DomainError(problems)
        return cls(
            actor=params.get("actor", "").strip(),
            object_type=params.get("object_type", "").strip(),
            action=params.get("action", "").strip(),
            **values,
        )

    def check(self, choices: TimelineChoices) -> None:
        """Name each filter value the study's trail does not know (a person, a kind of
        object, an action, a code, a meeting)."""
        known = {
            "actor": (self.actor, dict(choices.actors), "No one by the username '{}' acted here."),
            "object_type": (
                self.object_type,
                dict(choices.object_types),
                "'{}' is no kind of object in this trail.",
            ),
            "action": (self.action, dict(choices.actions), "'{}' is no action in this trail."),
            "code": (self.code, dict(choices.codes), "There is no code {} in this study."),
            "meeting": (
                self.meeting,
                dict(choices.meetings),
                "There is no meeting {} in this study.",
            ),
        }
        problems = {
            name: message.format(value)
            for name, (value, allowed, message) in known.items()
            if value not in ("", None) and value not in allowed
        }
        if problems:
            raise DomainError(problems)


def audit_timeline(*, study: Study, where: TimelineFilter) -> QuerySet[AuditEvent]:
    """The study's audit events, newest first, narrowed by actor, object type, action,
    code, meeting and date (the code and meeting filters take one query each)."""
    events = AuditEvent.objects.filter(study=study).select_related("actor")
    if where.actor:
        events = events.filter(actor__username=where.actor)
    if where.object_type:
        events = events.filter(object_type=where.object_type)
    if where.action:
        events = events.filter(action=where.action)
    if where.date_from:
        events = events.filter(created_at__date__gte=where.date_from)
    if where.date_to:
        events = events.filter(created_at__date__lte=where.date_to)
    if where.code is not None:
        decisions = Decision.objects.filter(study=study, code=where.code).values_list("pk")
        events = events.filter(
            Q(object_type="analysis.code", object_id=str(where.code))
            | Q(new_value__code=where.code)
            | Q(old_value__code=where.code)
            | Q(
                object_type="analysis.decision",
                object_id__in=[str(pk) for (pk,) in decisions],
            )
        )
    if where.meeting is not None:
        passages = MeetingPassage.objects.filter(meeting=where.meeting).values_list("pk")
        events = events.filter(
            Q(object_type="analysis.meetingrecord", object_id=str(where.meeting))
            | Q(new_value__meeting=where.meeting)
            | Q(object_type="analysis.meetingpassage", object_id__in=[str(p) for (p,) in passages])
        )
    return events.order_by("-sequence")


@dataclass(frozen=True)
class TimelineChoices:
    """What the trail's filters offer: (value, what the page shows) pairs."""

    actors: list[tuple[str, str]]
    object_types: list[tuple[str, str]]
    actions: list[tuple[str, str]]
    codes: list[tuple[int, str]]
    meetings: list[tuple[int, str]]


def timeline_choices(*, study: Study) -> TimelineChoices:
    """The people, kinds of object and actions in the study's trail, and its codes and
    meetings, each by the name pages use (5 queries)."""
    events = AuditEvent.objects.filter(study=study).order_by()
    actors = (
        events.filter(actor__isnull=False)
        .values_list("actor__username", display_name("actor"))
        .distinct()
    )
    object_types = events.values_list("object_type", flat=True).distinct()
    actions = events.values_list("action", flat=True).distinct()
    return TimelineChoices(
        actors=sorted(actors, key=lambda pair: pair[1]),
        object_types=sorted((label, audit_noun(label)) for label in object_types),
        actions=sorted(
            ((action, audit_action_name(action)) for action in actions), key=lambda p: p[1]
        ),
        codes=list(Code.objects.filter(study=study).order_by("name").values_list("pk", "name")),
        meetings=list(
            MeetingRecord.objects.filter(study=study).order_by("date").values_list("pk", "title")
        ),
    )


# Per coder ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CoderSummary:
    username: str
    total: int
    weeks: dict[dt.date, int]
    agreement: list[tuple[str, float, float]]  # (other coder, percent agreement, Cohen's kappa)


@dataclass(frozen=True)
class CoderReport:
    weeks: list[dt.date]
    coders: list[CoderSummary]
    agreement_note: str


def coder_summary(*, user, role: Role, study: Study) -> CoderReport:
    """Each coder's live codings per week, and their agreement with each other coder
    over every transcript both coded (character units; issue 5's agreement report)."""
    rows = (
        codings_visible_to(user, Coding.objects.filter(study=study, deleted_at__isnull=True))
        .annotate(week=TruncWeek("created_at"))
        .values_list("coder__username", "week")
        .annotate(n=Count("pk"))
        .order_by()
    )
    weeks: dict[str, dict[dt.date, int]] = defaultdict(dict)
    for username, week, n in rows:
        weeks[username][week.date()] = n
    pairs: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    note = ""
    try:
        report = agreement_report(
            user=user, scope=agreement_scope(user=user, role=role, study=study)
        )
    except DomainError as error:
        note = str(error)
    else:
        for pair in report.pairs:
            figures = (pair.coefficients.percent_agreement, pair.coefficients.cohen_kappa)
            pairs[pair.first].append((pair.second, *figures))
            pairs[pair.second].append((pair.first, *figures))
    all_weeks = sorted({week for counts in weeks.values() for week in counts})
    return CoderReport(
        weeks=all_weeks,
        coders=[
            CoderSummary(name, sum(weeks[name].values()), weeks[name], sorted(pairs[name]))
            for name in sorted(weeks)
        ],
        agreement_note=note,
    )
