"""Write the demo study through the services, so that every row has its audit event.

It lives in `analysis`, the app at the end of the dependency chain, because it
writes through the services of all three apps; only seed_demo imports it.
"""

import datetime as dt
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from analysis.coding.models import Code, Coding, SessionMode
from analysis.coding.services.codebook import code_create, code_update
from analysis.coding.services.codings import coding_create
from analysis.coding.services.memos import memo_create
from analysis.coding.services.sessions import coding_session_close, coding_session_create
from analysis.deliberation.services.meetings import meeting_create
from analysis.demo import study as content
from analysis.demo.codebook import CODEBOOK, CodeSpec
from analysis.demo.codings import LUMPER, SPLITTER, plan_codings
from analysis.demo.transcripts import compose, sample_transcript
from analysis.themes.models import Theme
from analysis.themes.services.convergence import convergence_mark_set
from analysis.themes.services.coverage import coverage_detect
from analysis.themes.services.report_settings import report_settings_update
from analysis.themes.services.themes import theme_create, theme_quote_add
from dyads.audit import audit_clock
from dyads.models import AuditEvent, Dyad, Participant, ParticipantRole, RecruitmentStep, Study
from dyads.services import (
    dyad_create,
    membership_set,
    participant_create,
    recruitment_event_record,
    site_create,
    study_create,
)
from interviews.models import Interview, InterviewGuide, SpeakerRole, TranscriptRevision
from interviews.services import (
    guide_create,
    guide_question_add,
    interview_create,
    transcript_revision_create,
)
from interviews.turns import detect_turns

ROLES = {
    "owner": "owner of the study; also a Django admin superuser",
    "analyst1": "analyst, coder in the blind session",
    "analyst2": "analyst, second coder in the blind session",
    "auditor": "auditor, reads everything and the audit trail",
    "interviewer": "interviewer, holds the interviews and imports transcripts",
}


@dataclass
class Seeded:
    """What the seed made, by the names the content uses."""

    study: Study
    users: dict = field(default_factory=dict)
    participants: dict[str, Participant] = field(default_factory=dict)
    interviews: dict[tuple[str, int], Interview] = field(default_factory=dict)
    revisions: dict[tuple[str, int], TranscriptRevision] = field(default_factory=dict)
    codes: dict[str, Code] = field(default_factory=dict)
    meetings: list = field(default_factory=list)


@contextmanager
def _on(day: dt.date, *, step: dt.timedelta = dt.timedelta(minutes=2)) -> Iterator[None]:
    """Date the audit events written in the block on `day`, from 9:00 on, `step` apart:
    the demo's trail then spans its months of recruitment, interviews and meetings."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    ticks = iter(range(1_000_000))
    with audit_clock(lambda: start + step * next(ticks)):
        yield


def seed_demo(write: Callable[[str], None] = print, url: str = "") -> bool:
    """Create the demo study unless it exists; True if it was created.

    `url` is where the demo will be served, for the sign-in line it prints.
    """
    if Study.objects.filter(slug=content.STUDY["slug"]).exists():
        write(f"The demo study (slug '{content.STUDY['slug']}') already exists; nothing to do.")
        _print_logins(write, url)
        return False
    # One transaction for the whole study: a failure leaves no half-made demo behind,
    # and each service's own transaction becomes a savepoint inside it.
    with transaction.atomic():
        users = _users(write)
        with _on(content.CALENDAR["study"]):
            seeded = Seeded(study=_study(users), users=users)
        with _on(content.CALENDAR["recruitment"], step=dt.timedelta(days=1)):
            _people(seeded)
        with _on(content.CALENDAR["guides"]):
            guides = _guides(seeded)
        with _on(content.CALENDAR["interviews"], step=dt.timedelta(days=1)):
            _interviews(seeded, guides)
        first, *later = content.MEETINGS
        with _on(first["date"]):
            _meetings(seeded, [first])
        with _on(first["date"] + dt.timedelta(days=1)):
            _codebook(seeded)
        with _on(content.CALENDAR["coding"], step=dt.timedelta(hours=5)):
            _sessions(seeded)
        with _on(content.CALENDAR["memos"]):
            _memos(seeded)
        with _on(later[-1]["date"]):
            _meetings(seeded, later)
            _revise_codebook(seeded)
        with _on(later[-1]["date"] + dt.timedelta(days=2)):
            _themes(seeded)
            _quotes_coverage_and_report(seeded)
    _print_summary(seeded, write)
    _print_logins(write, url)
    return True


def _users(write: Callable[[str], None]) -> dict:
    users = {}
    User = get_user_model()
    for username, first_name, last_name, _ in content.USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@duet.example",
            },
        )
        if created:
            user.set_password(content.PASSWORD)
            if username == "owner":
                user.is_staff = user.is_superuser = True
            user.save()
        else:
            write(f"User '{username}' already exists; kept as it is (its password unchanged).")
        users[username] = user
    return users


def _study(users: dict) -> Study:
    owner = users["owner"]
    study = study_create(actor=owner, **content.STUDY)
    for username, _, _, role in content.USERS:
        if role != "owner":
            membership_set(actor=owner, study=study, username=username, role=role)
    return study


def _people(seeded: Seeded) -> None:
    owner, study = seeded.users["owner"], seeded.study
    sites = []
    for number, (name, city) in enumerate(content.SITES):
        sites.append(site_create(actor=owner, study=study, name=name, city=city))
        _recruit(
            seeded, RecruitmentStep.SITE_ASKED, dt.date(2025, 11, 3 + 7 * number), site=sites[-1]
        )

    def create(person: content.Person, role: ParticipantRole) -> Participant:
        participant = participant_create(
            actor=owner,
            study=study,
            role=role,
            pseudonym=person.pseudonym,
            site=sites[person.site],
            gender=person.gender,
            age=person.age,
            profession=person.profession,
            theoretical_orientation=person.orientation,
            presenting_problems=person.problems,
            attributes=person.attributes,
        )
        seeded.participants[person.pseudonym] = participant
        return participant

    for number, (therapist, client) in enumerate(
        zip(content.THERAPISTS, content.CLIENTS, strict=True)
    ):
        sessions, first_interview = content.DYADS[number]
        site = sites[therapist.site]
        nominated = dt.date(2025, 12, 1) + dt.timedelta(days=3 * number)
        t = create(therapist, ParticipantRole.THERAPIST)
        _recruit(seeded, RecruitmentStep.THERAPIST_NOMINATED, nominated, site=site, participant=t)
        _recruit(
            seeded, RecruitmentStep.RECRUITED, nominated + dt.timedelta(days=10), participant=t
        )
        c = create(client, ParticipantRole.CLIENT)
        _recruit(seeded, RecruitmentStep.INVITED, nominated + dt.timedelta(days=20), participant=c)
        _recruit(
            seeded, RecruitmentStep.RECRUITED, nominated + dt.timedelta(days=30), participant=c
        )
        dyad_create(
            actor=owner,
            study=study,
            label=f"Dyad {number + 1}",
            therapist=t,
            client=c,
            site=site,
            therapy_sessions=sessions,
        )
        _recruit(
            seeded,
            RecruitmentStep.COMPLETED,
            first_interview + dt.timedelta(weeks=36),
            participant=c,
        )
    _recruit(
        seeded,
        RecruitmentStep.THERAPIST_NOMINATED,
        dt.date(2025, 12, 4),
        site=sites[1],
        role=ParticipantRole.THERAPIST,
    )
    _recruit(
        seeded,
        RecruitmentStep.DECLINED,
        dt.date(2025, 12, 12),
        site=sites[1],
        role=ParticipantRole.THERAPIST,
        reason=content.RECRUITMENT_DECLINED_THERAPIST,
    )
    for step, day, reason in (
        (RecruitmentStep.INVITED, dt.date(2025, 12, 22), ""),
        (RecruitmentStep.DECLINED, dt.date(2026, 1, 5), content.RECRUITMENT_DECLINED_CLIENT),
        (RecruitmentStep.INVITED, dt.date(2025, 12, 29), ""),
        (RecruitmentStep.RECRUITED, dt.date(2026, 1, 8), ""),
        (RecruitmentStep.DROPPED_OUT, dt.date(2026, 2, 20), content.RECRUITMENT_DROPOUT),
    ):
        _recruit(seeded, step, day, site=sites[2], role=ParticipantRole.CLIENT, reason=reason)


def _recruit(seeded: Seeded, step: RecruitmentStep, day: dt.date, **fields) -> None:
    recruitment_event_record(
        actor=seeded.users["owner"], study=seeded.study, step=step, occurred_on=day, **fields
    )


def _guides(seeded: Seeded) -> dict[str, InterviewGuide]:
    owner, study = seeded.users["owner"], seeded.study
    guides = {
        ParticipantRole.THERAPIST: guide_create(
            actor=owner,
            study=study,
            title="Therapist interview guide",
            role=ParticipantRole.THERAPIST,
            questions=content.THERAPIST_GUIDE,
        ),
        ParticipantRole.CLIENT: guide_create(
            actor=owner,
            study=study,
            title="Client interview guide",
            role=ParticipantRole.CLIENT,
            questions=content.CLIENT_GUIDE,
        ),
    }
    for pseudonym, text in content.TAILORED_QUESTIONS:
        participant = seeded.participants[pseudonym]
        guide_question_add(
            actor=owner, guide=guides[participant.role], text=text, participant=participant
        )
    return guides


def _interviews(seeded: Seeded, guides: dict[str, InterviewGuide]) -> None:
    owner = seeded.users["owner"]
    dyads = Dyad.objects.filter(study=seeded.study).select_related("therapist", "client")
    for number, dyad in enumerate(dyads.order_by("label")):
        _, first_day = content.DYADS[number]
        for participant, other, person in (
            (dyad.therapist, dyad.client, content.THERAPISTS[number]),
            (dyad.client, dyad.therapist, content.CLIENTS[number]),
        ):
            if participant.pseudonym in content.SINGLE_INTERVIEW_CLIENTS:
                plan = (content.COMBINED_INTERVIEW,)
            elif participant.role == ParticipantRole.THERAPIST:
                plan = content.THERAPIST_INTERVIEWS
            else:
                plan = content.CLIENT_INTERVIEWS
            told: set[str] = set()
            for sequence, focus, timing, weeks in plan:
                key = (participant.pseudonym, sequence)
                sample = content.SAMPLE_FILES.get(key)
                transcript = sample_transcript(*sample) if sample else None
                interview = interview_create(
                    actor=owner,
                    participant=participant,
                    dyad=dyad,
                    sequence_number=sequence,
                    focus=focus,
                    timing=timing,
                    interviewer=seeded.users["owner" if sequence == 4 else "interviewer"],
                    date=first_day + dt.timedelta(weeks=weeks),
                    duration_minutes=random.Random(str(key)).randrange(45, 95, 5),
                    guide=guides[participant.role],
                    notes=transcript.note if transcript else "",
                )
                seeded.interviews[key] = interview
                if transcript:
                    text, original = transcript.text, transcript.original_text
                    source_name, source_format = transcript.source_name, transcript.source_format
                else:
                    text = compose(
                        role=participant.role,
                        focus=focus,
                        timing=timing,
                        sequence_number=sequence,
                        pseudonym=participant.pseudonym,
                        other_gender=other.gender,
                        seed=f"{participant.pseudonym}-{sequence}",
                        used=told,
                        orientation=person.orientation or "integrative",
                        job=person.job or "a teacher",
                    )
                    original = ""
                    source_name = f"{participant.pseudonym}_interview{sequence}.txt"
                    source_format = "txt"
                seeded.revisions[key] = transcript_revision_create(
                    actor=owner,
                    interview=interview,
                    text=text,
                    turns=detect_turns(text),
                    source_name=source_name,
                    source_format=source_format,
                    original_text=original,
                    speaker_roles={participant.pseudonym: SpeakerRole.PARTICIPANT},
                )


def _meetings(seeded: Seeded, meetings: list[dict]) -> None:
    for meeting in meetings:
        seeded.meetings.append(
            meeting_create(
                actor=seeded.users["owner"],
                study=seeded.study,
                date=meeting["date"],
                title=meeting["title"],
                attendees=[seeded.users[name] for name in meeting["attendees"]],
                agenda=meeting["agenda"],
                notes=meeting["notes"],
            )
        )


def _codebook(seeded: Seeded) -> None:
    def create(spec: CodeSpec, parent: Code | None, position: int) -> Code:
        code = code_create(
            actor=seeded.users["owner"],
            study=seeded.study,
            name=spec.first_name or spec.name,
            parent=parent,
            meeting=None if spec.rationale else seeded.meetings[0],
            rationale=spec.rationale,
            colour=spec.colour,
            definition=spec.definition,
            inclusion_criteria=spec.inclusion,
            exclusion_criteria=spec.exclusion,
            example=spec.example,
            position=position,
        )
        seeded.codes[code.name] = code
        return code

    for position, area in enumerate(CODEBOOK):
        parent = create(area, None, position)
        for child_position, child in enumerate(area.children):
            create(child, parent, child_position)


def _sessions(seeded: Seeded) -> None:
    owner = seeded.users["owner"]
    coders = {"analyst1": SPLITTER, "analyst2": LUMPER}
    for spec in content.SESSIONS:
        session = coding_session_create(
            actor=owner,
            study=seeded.study,
            name=spec["name"],
            mode=SessionMode.BLIND,
            coders=[seeded.users[name] for name in coders],
            transcripts=[seeded.interviews[key].transcript for key in spec["transcripts"]],
        )
        if not spec["coded"]:
            continue
        for key in spec["transcripts"]:
            revision = (
                TranscriptRevision.objects.select_related("transcript__interview__study")
                .prefetch_related("turns")
                .get(pk=seeded.revisions[key].pk)
            )
            turns = [
                (turn.start, turn.end)
                for turn in revision.turns.all()
                if turn.role == SpeakerRole.PARTICIPANT
            ]
            for username, coder in coders.items():
                rng = random.Random(f"{key}-{username}")
                for span in plan_codings(revision.text, turns, coder, rng):
                    coding_create(
                        actor=seeded.users[username],
                        revision=revision,
                        start=span.start,
                        end=span.end,
                        code=_code(seeded, span.code),
                        session=session,
                    )
        coding_session_close(actor=owner, session=session)


def _code(seeded: Seeded, name: str) -> Code:
    """A code by its final name, also while it still carries its provisional one."""
    spec = next((child for area in CODEBOOK for child in area.children if child.name == name), None)
    return seeded.codes.get(name) or seeded.codes[spec.first_name]


def _memos(seeded: Seeded) -> None:
    for username, code_name, title, text in content.MEMOS:
        memo_create(
            actor=seeded.users[username],
            study=seeded.study,
            title=title,
            text=text,
            code=_code(seeded, code_name),
        )


def _revise_codebook(seeded: Seeded) -> None:
    for name, changes, meeting_number in content.CODE_UPDATES:
        code = seeded.codes.pop(name)
        code = code_update(
            actor=seeded.users["owner"],
            code=code,
            version=code.version,
            meeting=seeded.meetings[meeting_number - 1],
            **changes,
        )
        seeded.codes[code.name] = code


def _themes(seeded: Seeded) -> None:
    owner, study, meeting = seeded.users["owner"], seeded.study, seeded.meetings[-1]
    overarching = theme_create(
        actor=owner, study=study, meeting=meeting, **content.OVERARCHING_THEME
    )
    for theme in content.CONSTITUENT_THEMES:
        theme_create(
            actor=owner,
            study=study,
            parent=overarching,
            meeting=meeting,
            name=theme["name"],
            description=theme["description"],
            client_description=theme["client_description"],
            therapist_description=theme["therapist_description"],
            codes=[seeded.codes[name] for name in theme["codes"]],
        )


def _quotes_coverage_and_report(seeded: Seeded) -> None:
    """Exemplary quotes from round 1, convergence marks, guide coverage of round 1's
    transcripts, and the report's settings."""
    owner, study, meeting = seeded.users["owner"], seeded.study, seeded.meetings[-1]
    for theme_name, quotes in content.EXEMPLARY_QUOTES.items():
        theme = Theme.objects.get(study=study, name=theme_name, retired_at__isnull=True)
        for pseudonym, number, code_name, opening in quotes:
            revision = seeded.revisions[(pseudonym, number)]
            coding = next(
                coding
                for coding in Coding.objects.filter(
                    revision=revision, code=_code(seeded, code_name), coder__username="analyst1"
                ).order_by("start")
                if revision.text[coding.start : coding.end].startswith(opening)
            )
            theme_quote_add(actor=owner, theme=theme, coding=coding, meeting=meeting)
    for label, theme_name, verdict, note in content.CONVERGENCE_MARKS:
        convergence_mark_set(
            actor=seeded.users["analyst1"],
            dyad=Dyad.objects.get(study=study, label=label),
            theme=Theme.objects.get(study=study, name=theme_name, retired_at__isnull=True),
            verdict=verdict,
            note=note,
        )
    for key in content.SESSIONS[0]["transcripts"]:
        coverage_detect(actor=owner, interview=seeded.interviews[key])
    report_settings_update(actor=owner, study=study, **content.REPORT_SETTINGS)


def _print_summary(seeded: Seeded, write: Callable[[str], None]) -> None:
    study = seeded.study
    codings = Coding.objects.filter(study=study, deleted_at__isnull=True)
    write(
        f"Created the demo study '{study.title}' (slug '{study.slug}'): "
        f"{len(seeded.participants) // 2} dyads, {len(seeded.interviews)} interviews with "
        f"transcripts, {len(seeded.codes)} codes, {codings.count()} codings by "
        f"{codings.values('coder').distinct().count()} coders, {len(seeded.meetings)} meetings, "
        f"{AuditEvent.objects.filter(study=study).count()} audit events."
    )


def _print_logins(write: Callable[[str], None], url: str) -> None:
    where = f"Open {url} and sign in" if url else "Sign in on the served site"
    write(f"{where} with password '{content.PASSWORD}' as:")
    for username, description in ROLES.items():
        write(f"  {username:<12} {description}")
