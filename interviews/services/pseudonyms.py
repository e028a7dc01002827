"""Writes to a study's pseudonym list (owners only: the list holds the real names), and
the proposals interviewers make for it."""

from typing import Any

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from dyads.audit import audit_record
from dyads.changes import apply_changes, validate
from dyads.exceptions import DomainError
from dyads.models import Study
from dyads.permissions import Action, study_access

from ..models import ProposalState, PseudonymProposal, PseudonymReplacement
from ..pseudonymise import nfc, read_replacements

FIELDS = {"original", "replacement", "case_sensitive"}


def _cleaned(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(fields)
    for name in ("original", "replacement"):
        if name in cleaned:
            cleaned[name] = nfc(str(cleaned[name]).strip())
    return cleaned


def _check_unique(study: Study, original: str, exclude: int | None = None) -> None:
    taken = PseudonymReplacement.objects.filter(
        study=study, deleted_at__isnull=True, original__iexact=original
    ).exclude(pk=exclude)
    if taken.exists():
        raise DomainError({"original": f"'{original}' is already on the study's list."})


# What the audit log keeps of an entry: the pseudonym, never the real name.
def _audited(entry: PseudonymReplacement) -> dict[str, Any]:
    return {"replacement": entry.replacement, "case_sensitive": entry.case_sensitive}


@transaction.atomic
def replacement_create(
    *, actor, study: Study, original: str, replacement: str, case_sensitive: bool = False
) -> PseudonymReplacement:
    study_access(actor, study, Action.MANAGE_PSEUDONYMS)
    fields = _cleaned({"original": original, "replacement": replacement})
    _check_unique(study, fields["original"])
    entry = PseudonymReplacement(
        study=study, created_by=actor, case_sensitive=case_sensitive, **fields
    )
    validate(entry)
    entry.save()
    audit_record(
        study=study, actor=actor, action="pseudonym.create", target=entry, new=_audited(entry)
    )
    return entry


@transaction.atomic
def replacement_update(
    *, actor, entry: PseudonymReplacement, version: int | None = None, **changes: Any
) -> PseudonymReplacement:
    study_access(actor, entry.study, Action.MANAGE_PSEUDONYMS)
    entry = PseudonymReplacement.objects.select_for_update().get(pk=entry.pk, deleted_at=None)
    changes = _cleaned(changes)
    if "original" in changes:
        _check_unique(entry.study, changes["original"], exclude=entry.pk)
    before = _audited(entry)
    _, new = apply_changes(entry, changes, allowed=FIELDS, version=version)
    if new:
        audit_record(
            study=entry.study,
            actor=actor,
            action="pseudonym.update",
            target=entry,
            old=before,
            new={**_audited(entry), "original_changed": "original" in new},
        )
    return entry


@transaction.atomic
def replacement_delete(*, actor, entry: PseudonymReplacement) -> None:
    """Take an entry off the list (a soft delete, visible in the audit log)."""
    study_access(actor, entry.study, Action.MANAGE_PSEUDONYMS)
    entry = PseudonymReplacement.objects.select_for_update().get(pk=entry.pk, deleted_at=None)
    entry.deleted_at = timezone.now()
    entry.save(update_fields=["deleted_at"])
    audit_record(
        study=entry.study, actor=actor, action="pseudonym.delete", target=entry, old=_audited(entry)
    )


@transaction.atomic
def replacements_import(*, actor, study: Study, csv_text: str) -> list[PseudonymReplacement]:
    """Add the entries of a CSV list (`original,replacement[,case_sensitive]`), all or none.

    An original already on the list has its replacement updated.
    """
    study_access(actor, study, Action.MANAGE_PSEUDONYMS)
    try:
        entries = read_replacements(csv_text)
    except ValueError as error:
        raise DomainError({"file": str(error)}) from error
    if not entries:
        raise DomainError({"file": "The list has no entries."})
    current = {
        entry.original.lower(): entry
        for entry in PseudonymReplacement.objects.filter(study=study, deleted_at__isnull=True)
        .select_for_update()
        .order_by(Lower("original"))
    }
    saved = []
    for item in entries:
        existing = current.get(item.original.lower())
        if existing is not None:
            saved.append(
                replacement_update(
                    actor=actor,
                    entry=existing,
                    replacement=item.replacement,
                    case_sensitive=item.case_sensitive,
                )
            )
        else:
            entry = replacement_create(
                actor=actor,
                study=study,
                original=item.original,
                replacement=item.replacement,
                case_sensitive=item.case_sensitive,
            )
            current[item.original.lower()] = entry
            saved.append(entry)
    return saved


# Proposals: an interviewer proposes a name for the list, an owner adds it or rejects it.
# The audit log keeps the proposal's suggested pseudonym, never the name itself.


def _open_proposal(proposal: PseudonymProposal) -> PseudonymProposal:
    proposal = PseudonymProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != ProposalState.PROPOSED:
        raise DomainError({"proposal": f"This proposal was already {proposal.state}."})
    return proposal


@transaction.atomic
def proposal_create(
    *, actor, study: Study, original: str, replacement: str = ""
) -> PseudonymProposal:
    """Propose a name (and perhaps its pseudonym) for the study's list."""
    study_access(actor, study, Action.PROPOSE_PSEUDONYM)
    fields = _cleaned({"original": original, "replacement": replacement})
    _check_unique(study, fields["original"])
    if PseudonymProposal.objects.filter(
        study=study, state=ProposalState.PROPOSED, original__iexact=fields["original"]
    ).exists():
        raise DomainError({"original": f"'{fields['original']}' is already proposed."})
    proposal = PseudonymProposal(study=study, proposed_by=actor, **fields)
    validate(proposal)
    proposal.save()
    audit_record(
        study=study,
        actor=actor,
        action="pseudonym.propose",
        target=proposal,
        new={"replacement": proposal.replacement},
    )
    return proposal


@transaction.atomic
def proposal_accept(
    *, actor, proposal: PseudonymProposal, replacement: str = "", case_sensitive: bool = False
) -> PseudonymReplacement:
    """Add a proposed name to the list, with the owner's pseudonym or the one proposed."""
    study_access(actor, proposal.study, Action.MANAGE_PSEUDONYMS)
    proposal = _open_proposal(proposal)
    entry = replacement_create(
        actor=actor,
        study=proposal.study,
        original=proposal.original,
        replacement=replacement.strip() or proposal.replacement,
        case_sensitive=case_sensitive,
    )
    _decide(actor, proposal, ProposalState.ACCEPTED, entry)
    return entry


@transaction.atomic
def proposal_reject(*, actor, proposal: PseudonymProposal) -> PseudonymProposal:
    study_access(actor, proposal.study, Action.MANAGE_PSEUDONYMS)
    proposal = _open_proposal(proposal)
    _decide(actor, proposal, ProposalState.REJECTED, None)
    return proposal


def _decide(actor, proposal: PseudonymProposal, state: str, entry) -> None:
    proposal.state = state
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.entry = entry
    proposal.save(update_fields=["state", "decided_by", "decided_at", "entry"])
    audit_record(
        study=proposal.study,
        actor=actor,
        action=f"pseudonym.proposal_{state}",
        target=proposal,
        old={"state": ProposalState.PROPOSED},
        new={"state": state, "entry": entry.pk if entry else None},
    )
