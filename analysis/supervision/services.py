"""Audit rounds: an auditor samples coded passages, records a finding on each, signs off.

The sample is stratified (by coder, code, dyad and/or interview number) and
drawn with a recorded seed from the codings that existed at a recorded moment,
so `audit_sample` with the round's settings draws the same sample again (as
long as no coding has since been moved to another code by a merge or split).
Drawing, every finding, every coder's reply and the sign-off are audit events.
"""

import random
import secrets
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from analysis.coding.models import Coding
from analysis.supervision.models import AuditFinding, AuditRound, AuditStratum, AuditVerdict
from dyads.audit import audit_record
from dyads.changes import validate
from dyads.exceptions import DomainError, Forbidden
from dyads.models import Study
from dyads.permissions import Action, study_access

MAX_PER_STRATUM = 50
_INTERVIEW = "revision__transcript__interview"
STRATUM_FIELDS = {
    AuditStratum.CODER: "coder_id",
    AuditStratum.CODE: "code_id",
    AuditStratum.DYAD: f"{_INTERVIEW}__dyad_id",
    AuditStratum.INTERVIEW_NUMBER: f"{_INTERVIEW}__sequence_number",
}


@dataclass(frozen=True)
class Sample:
    population_size: int
    drawn: list[tuple[int, dict]]  # (coding id, its stratum)


def _sort_key(key: tuple) -> tuple:
    return tuple((value is None, value or 0) for value in key)


def audit_sample(*, study: Study, strata: list[str], per_stratum: int, seed: int, at) -> Sample:
    """Draw up to `per_stratum` live codings from each stratum, as they were at `at`."""
    fields = [STRATUM_FIELDS[AuditStratum(name)] for name in strata]
    population = (
        Coding.objects.filter(study=study, created_at__lte=at)
        .filter(Q(deleted_at__isnull=True) | Q(deleted_at__gt=at))
        .order_by("pk")
        .values_list("pk", *fields)
    )
    groups: dict[tuple, list[int]] = defaultdict(list)
    size = 0
    for pk, *key in population:
        groups[tuple(key)].append(pk)
        size += 1
    rng = random.Random(seed)
    drawn = []
    for key in sorted(groups, key=_sort_key):
        members = groups[key]
        for pk in rng.sample(members, min(per_stratum, len(members))):
            drawn.append((pk, dict(zip(strata, key, strict=True))))
    return Sample(population_size=size, drawn=drawn)


def _check_strata(strata: list[str], per_stratum: int) -> None:
    errors = {}
    unknown = [name for name in strata if name not in AuditStratum.values]
    if unknown:
        known = ", ".join(AuditStratum.values)
        errors["strata"] = f"Unknown stratum '{unknown[0]}' (choose from {known})."
    elif len(set(strata)) != len(strata):
        errors["strata"] = "Name each stratum once."
    if not 1 <= per_stratum <= MAX_PER_STRATUM:
        errors["per_stratum"] = f"Sample between 1 and {MAX_PER_STRATUM} passages per stratum."
    if errors:
        raise DomainError(errors)


@transaction.atomic
def audit_round_draw(
    *,
    actor,
    study: Study,
    title: str,
    strata: list[str],
    per_stratum: int,
    seed: int | None = None,
) -> AuditRound:
    """Start an audit round: draw its stratified sample of coded passages."""
    study_access(actor, study, Action.AUDIT_COMMENT)
    _check_strata(strata, per_stratum)
    if seed is not None and not 0 <= seed < 2**63:
        raise DomainError({"seed": "The seed is a whole number from 0 to 2^63 - 1."})
    if AuditRound.objects.filter(study=study, title=title.strip()).exists():
        raise DomainError({"title": f"There is already an audit round called '{title.strip()}'."})
    seed = secrets.randbits(48) if seed is None else seed
    at = timezone.now()
    sample = audit_sample(study=study, strata=strata, per_stratum=per_stratum, seed=seed, at=at)
    if not sample.drawn:
        raise DomainError({"strata": "There are no coded passages to sample yet."})
    audit_round = AuditRound(
        study=study,
        title=title.strip(),
        seed=seed,
        strata=list(strata),
        per_stratum=per_stratum,
        population_at=at,
        population_size=sample.population_size,
        created_by=actor,
    )
    validate(audit_round)
    audit_round.save()
    AuditFinding.objects.bulk_create(
        AuditFinding(round=audit_round, coding_id=pk, position=position, stratum=stratum)
        for position, (pk, stratum) in enumerate(sample.drawn, start=1)
    )
    audit_record(
        study=study,
        actor=actor,
        action="audit_round.draw",
        target=audit_round,
        new={
            "title": audit_round.title,
            "seed": seed,
            "strata": list(strata),
            "per_stratum": per_stratum,
            "population_at": at,
            "population_size": sample.population_size,
            "codings": [pk for pk, _ in sample.drawn],
        },
    )
    return audit_round


def _lock_finding(finding: AuditFinding) -> AuditFinding:
    return (
        AuditFinding.objects.select_for_update(of=("self",))
        .select_related("round__study", "coding")
        .get(pk=finding.pk)
    )


@transaction.atomic
def audit_finding_record(
    *, actor, finding: AuditFinding, verdict: str, comment: str = ""
) -> AuditFinding:
    """Agree with, query or disagree with a sampled coding; a query or disagreement says why."""
    study_access(actor, finding.round.study, Action.AUDIT_COMMENT)
    finding = _lock_finding(finding)
    if finding.round.signed_off_at is not None:
        raise DomainError(f"Audit round '{finding.round}' is signed off; its findings are final.")
    if verdict not in AuditVerdict.values:
        raise DomainError({"verdict": "Choose agree, query or disagree."})
    if verdict != AuditVerdict.AGREE and not comment.strip():
        raise DomainError({"comment": "Say what you query or disagree with."})
    old = {"verdict": finding.verdict, "comment": finding.comment}
    finding.verdict, finding.comment = verdict, comment.strip()
    finding.recorded_by, finding.recorded_at = actor, timezone.now()
    validate(finding)
    finding.save(update_fields=["verdict", "comment", "recorded_by", "recorded_at"])
    audit_record(
        study=finding.round.study,
        actor=actor,
        action="audit_finding.record",
        target=finding,
        old=old,
        new={"verdict": verdict, "comment": finding.comment, "coding": finding.coding_id},
    )
    return finding


@transaction.atomic
def audit_finding_reply(*, actor, finding: AuditFinding, reply: str) -> AuditFinding:
    """The coder of the sampled passage answers the auditor's finding."""
    study_access(actor, finding.round.study, Action.CODE)
    finding = _lock_finding(finding)
    if finding.coding.coder_id != actor.pk:
        raise Forbidden("Only the coder of the passage may answer the finding.")
    if not finding.verdict:
        raise DomainError("The auditor has not recorded a finding on this passage yet.")
    if not reply.strip():
        raise DomainError({"reply": "Write your answer to the finding."})
    old = {"coder_reply": finding.coder_reply}
    finding.coder_reply, finding.replied_at = reply.strip(), timezone.now()
    finding.save(update_fields=["coder_reply", "replied_at"])
    audit_record(
        study=finding.round.study,
        actor=actor,
        action="audit_finding.reply",
        target=finding,
        old=old,
        new={"coder_reply": finding.coder_reply},
    )
    return finding


@transaction.atomic
def audit_round_sign_off(*, actor, audit_round: AuditRound, note: str = "") -> AuditRound:
    """Sign the round off once every sampled passage has a finding; it is final then."""
    study_access(actor, audit_round.study, Action.AUDIT_COMMENT)
    audit_round = AuditRound.objects.select_for_update().get(pk=audit_round.pk)
    if audit_round.signed_off_at is not None:
        raise DomainError(f"Audit round '{audit_round}' is already signed off.")
    verdicts = dict(
        audit_round.findings.values_list("verdict")
        .annotate(n=Count("pk"))
        .values_list("verdict", "n")
    )
    if verdicts.get(""):
        raise DomainError(
            f"{verdicts['']} sampled passage(s) have no finding yet; record them first."
        )
    audit_round.signed_off_by, audit_round.signed_off_at = actor, timezone.now()
    audit_round.sign_off_note = note.strip()
    audit_round.save(update_fields=["signed_off_by", "signed_off_at", "sign_off_note"])
    audit_record(
        study=audit_round.study,
        actor=actor,
        action="audit_round.sign_off",
        target=audit_round,
        new={
            "signed_off_at": audit_round.signed_off_at,
            "note": audit_round.sign_off_note,
            "verdicts": {verdict: verdicts.get(verdict, 0) for verdict in AuditVerdict.values},
        },
    )
    return audit_round
