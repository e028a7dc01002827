"""Writes to the study root. Each is one transaction with its audit event."""

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q

from .audit import audit_record
from .changes import apply_changes, check_version, mark_removed, snapshot, validate
from .exceptions import DomainError, NotFound
from .models import (
    Dyad,
    Participant,
    ParticipantRole,
    RecruitmentEvent,
    RecruitmentStep,
    Role,
    Site,
    Study,
    StudyMembership,
)
from .permissions import Action, study_access

STUDY_FIELDS = {
    "title",
    "ethics_approval_reference",
    "description",
    "store_original_text",
    "include_interviewer_turns_in_agreement",
    "language",
    "require_name_review",
}
PARTICIPANT_FIELDS = {
    "site",
    "pseudonym",
    "gender",
    "age",
    "profession",
    "theoretical_orientation",
    "presenting_problems",
    "attributes",
}

# A participant's personal attributes. The audit log is append-only, so it must
# never hold them: erasure (withdrawn consent) could not remove them from it.
# Events record that such a field was set or changed, not its value.
PERSONAL_FIELDS = PARTICIPANT_FIELDS - {"site", "pseudonym"}
REDACTED = "[personal data, not logged]"


def without_personal_values(values: dict[str, Any]) -> dict[str, Any]:
    return {
        field: REDACTED if field in PERSONAL_FIELDS and value not in ("", None, {}) else value
        for field, value in values.items()
    }


@transaction.atomic
def study_create(*, actor, title: str, slug: str, **fields: Any) -> Study:
    """Create a study; its creator becomes its first owner."""
    unknown = set(fields) - STUDY_FIELDS
    if unknown:
        raise DomainError(dict.fromkeys(sorted(unknown), "Unknown study field."))
    study = Study(title=title, slug=slug, **fields)
    validate(study)
    study.save()
    membership = StudyMembership.objects.create(study=study, user=actor, role=Role.OWNER)
    audit_record(study=study, actor=actor, action="study.create", target=study, new=snapshot(study))
    audit_record(
        study=study,
        actor=actor,
        action="membership.add",
        target=membership,
        new={"user": actor.pk, "role": Role.OWNER},
    )
    return study


@transaction.atomic
def study_update(*, actor, study: Study, version: int | None = None, **changes: Any) -> Study:
    study_access(actor, study, Action.MANAGE_STUDY)
    study = Study.objects.select_for_update().get(pk=study.pk)
    old, new = apply_changes(study, changes, allowed=STUDY_FIELDS, version=version)
    if new:
        audit_record(
            study=study, actor=actor, action="study.update", target=study, old=old, new=new
        )
    return study


@transaction.atomic
def membership_set(*, actor, study: Study, username: str, role: Role | str) -> StudyMembership:
    """Add a member or change an existing member's role."""
    study_access(actor, study, Action.MANAGE_STUDY)
    if role not in Role.values:
        raise DomainError({"role": f"'{role}' is not a role; use one of {', '.join(Role.values)}."})
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise DomainError({"username": f"No active user is called '{username}'."})
    membership = (
        StudyMembership.objects.select_for_update()
        .filter(study=study, user=user, removed_at__isnull=True)
        .first()
    )
    if membership is None:
        membership = StudyMembership.objects.create(study=study, user=user, role=role)
        audit_record(
            study=study,
            actor=actor,
            action="membership.add",
            target=membership,
            new={"user": user.pk, "role": role},
        )
        return membership
    if membership.role != role:
        _refuse_removing_last_owner(study, membership)
        old_role, membership.role = membership.role, role
        membership.save(update_fields=["role"])
        audit_record(
            study=study,
            actor=actor,
            action="membership.change_role",
            target=membership,
            old={"role": old_role},
            new={"role": role},
        )
    return membership


@transaction.atomic
def imported_coder_create(
    *, actor, study: Study, name: str, username: str, file_name: str
) -> StudyMembership:
    """A placeholder account for a coder of an imported file: named after the file's user,
    without a usable password and inactive (it cannot log in), an analyst of the study whose
    membership names the file, so that its codings count as a coder's of their own."""
    study_access(actor, study, Action.MANAGE_STUDY)
    users = get_user_model()
    if users.objects.filter(username__iexact=username).exists():
        raise DomainError({"username": f"An account called '{username}' already exists."})
    user = users(username=username, first_name=name[:150], is_active=False)
    user.set_unusable_password()
    validate(user, exclude=["password"])
    user.save()
    membership = StudyMembership.objects.create(
        study=study, user=user, role=Role.ANALYST, imported_from=file_name[:255]
    )
    audit_record(
        study=study,
        actor=actor,
        action="membership.add",
        target=membership,
        new={"user": user.pk, "role": Role.ANALYST, "imported_from": membership.imported_from},
    )
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: StudyMembership) -> None:
    study_access(actor, membership.study, Action.MANAGE_STUDY)
    membership = StudyMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.removed_at is not None:
        raise NotFound("This membership has already ended.")
    _refuse_removing_last_owner(membership.study, membership)
    mark_removed(membership, "removed_at")
    audit_record(
        study=membership.study,
        actor=actor,
        action="membership.remove",
        target=membership,
        old={"user": membership.user_id, "role": membership.role},
    )


def _refuse_removing_last_owner(study: Study, membership: StudyMembership) -> None:
    if membership.role != Role.OWNER:
        return
    owners = StudyMembership.objects.filter(
        study=study, role=Role.OWNER, removed_at__isnull=True
    ).count()
    if owners <= 1:
        raise DomainError("A study must keep at least one owner.")


@transaction.atomic
def site_create(*, actor, study: Study, name: str, city: str = "") -> Site:
    study_access(actor, study, Action.MANAGE_PEOPLE)
    site = Site(study=study, name=name, city=city)
    validate(site)
    site.save()
    audit_record(study=study, actor=actor, action="site.create", target=site, new=snapshot(site))
    return site


def _site_of_study(study: Study, site: Site | None) -> None:
    if site is not None and site.study_id != study.pk:
        raise DomainError({"site": "The site belongs to another study."})


def _plausible_age(age: Any) -> None:
    # The database's participant_age_plausible check, said with the field's name.
    if isinstance(age, int) and not 16 <= age <= 110:
        raise DomainError({"age": "A participant's age must be between 16 and 110."})


@transaction.atomic
def participant_create(
    *, actor, study: Study, role: ParticipantRole | str, pseudonym: str, **fields: Any
) -> Participant:
    study_access(actor, study, Action.MANAGE_PEOPLE)
    unknown = set(fields) - PARTICIPANT_FIELDS
    if unknown:
        raise DomainError(dict.fromkeys(sorted(unknown), "Unknown participant field."))
    _site_of_study(study, fields.get("site"))
    _plausible_age(fields.get("age"))
    participant = Participant(study=study, role=role, pseudonym=pseudonym, **fields)
    validate(participant)
    participant.save()
    audit_record(
        study=study,
        actor=actor,
        action="participant.create",
        target=participant,
        new=without_personal_values(snapshot(participant)),
    )
    return participant


@transaction.atomic
def participant_update(
    *, actor, participant: Participant, version: int | None = None, **changes: Any
) -> Participant:
    study_access(actor, participant.study, Action.MANAGE_PEOPLE)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    _site_of_study(participant.study, changes.get("site"))
    _plausible_age(changes.get("age"))
    old, new = apply_changes(participant, changes, allowed=PARTICIPANT_FIELDS, version=version)
    if new:
        audit_record(
            study=participant.study,
            actor=actor,
            action="participant.update",
            target=participant,
            old=without_personal_values(old),
            new=without_personal_values(new),
        )
    return participant


@transaction.atomic
def dyad_create(
    *,
    actor,
    study: Study,
    label: str,
    therapist: Participant,
    client: Participant,
    site: Site | None = None,
    therapy_sessions: int | None = None,
) -> Dyad:
    """Pair one therapist with one client of the same study."""
    study_access(actor, study, Action.MANAGE_PEOPLE)
    errors = {}
    if therapist.study_id != study.pk or therapist.role != ParticipantRole.THERAPIST:
        errors["therapist"] = f"{therapist.pseudonym} is not a therapist of this study."
    if client.study_id != study.pk or client.role != ParticipantRole.CLIENT:
        errors["client"] = f"{client.pseudonym} is not a client of this study."
    if errors:
        raise DomainError(errors)
    _site_of_study(study, site)
    dyad = Dyad(
        study=study,
        label=label,
        therapist=therapist,
        client=client,
        site=site,
        therapy_sessions=therapy_sessions,
    )
    validate(dyad)
    try:
        with transaction.atomic():
            dyad.save()
    except IntegrityError as error:
        raise DomainError(f"The database refused the dyad: {error}") from error
    audit_record(study=study, actor=actor, action="dyad.create", target=dyad, new=snapshot(dyad))
    return dyad


@transaction.atomic
def recruitment_event_record(
    *,
    actor,
    study: Study,
    step: str,
    occurred_on: dt.date,
    role: str = "",
    site: Site | None = None,
    participant: Participant | None = None,
    reason: str = "",
) -> RecruitmentEvent:
    study_access(actor, study, Action.MANAGE_PEOPLE)
    _site_of_study(study, site)
    if participant is not None and participant.study_id != study.pk:
        raise DomainError({"participant": "The participant belongs to another study."})
    if step in (RecruitmentStep.DROPPED_OUT, RecruitmentStep.DECLINED) and not reason.strip():
        raise DomainError({"reason": "Say why the participant dropped out or declined."})
    event = RecruitmentEvent(
        study=study,
        step=step,
        occurred_on=occurred_on,
        role=role or (participant.role if participant else ""),
        site=site,
        participant=participant,
        reason=reason,
    )
    validate(event)
    event.save()
    audit_record(
        study=study, actor=actor, action="recruitment.record", target=event, new=snapshot(event)
    )
    return event


SITE_FIELDS = {"name", "city"}
DYAD_FIELDS = {"label", "site", "therapy_sessions"}


@transaction.atomic
def site_update(*, actor, site: Site, **changes: Any) -> Site:
    study_access(actor, site.study, Action.MANAGE_PEOPLE)
    site = Site.objects.select_for_update().get(pk=site.pk, deleted_at__isnull=True)
    old, new = apply_changes(site, changes, allowed=SITE_FIELDS)
    if new:
        audit_record(
            study=site.study, actor=actor, action="site.update", target=site, old=old, new=new
        )
    return site


@transaction.atomic
def site_delete(*, actor, site: Site) -> None:
    """Remove a site no live participant or dyad belongs to (soft: it stays in the audit)."""
    study_access(actor, site.study, Action.MANAGE_PEOPLE)
    site = Site.objects.select_for_update().get(pk=site.pk)
    if site.deleted_at is not None:
        raise NotFound("This site has already been removed.")
    in_use = (
        site.participants.filter(deleted_at__isnull=True).exists()
        or Dyad.objects.filter(site=site, deleted_at__isnull=True).exists()
    )
    if in_use:
        raise DomainError(f"Site '{site.name}' still has participants or dyads; move them first.")
    mark_removed(site, "deleted_at")
    audit_record(
        study=site.study,
        actor=actor,
        action="site.delete",
        target=site,
        old=snapshot(site, fields=["name", "city"]),
    )


@transaction.atomic
def participant_delete(*, actor, participant: Participant, version: int | None = None) -> None:
    """Remove a participant entered by mistake (soft). Withdrawn consent is erasure instead
    (`participant_erase`, beside the data it erases), which removes their data for good."""
    study_access(actor, participant.study, Action.MANAGE_PEOPLE)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.deleted_at is not None:
        raise NotFound("This participant has already been removed.")
    check_version(participant, version)
    dyad = Dyad.objects.filter(
        Q(therapist=participant) | Q(client=participant), deleted_at__isnull=True
    ).first()
    if dyad is not None:
        raise DomainError(
            f"{participant.pseudonym} belongs to dyad {dyad.label}; remove the dyad first."
        )
    mark_removed(participant, "deleted_at")
    audit_record(
        study=participant.study,
        actor=actor,
        action="participant.delete",
        target=participant,
        old={"pseudonym": participant.pseudonym, "role": participant.role},
    )


@transaction.atomic
def dyad_update(*, actor, dyad: Dyad, version: int | None = None, **changes: Any) -> Dyad:
    """Relabel a dyad or change its site or number of sessions; its partners stay."""
    study_access(actor, dyad.study, Action.MANAGE_PEOPLE)
    dyad = Dyad.objects.select_for_update().get(pk=dyad.pk)
    if dyad.deleted_at is not None:
        raise NotFound("This dyad has been removed.")
    _site_of_study(dyad.study, changes.get("site"))
    if "label" in changes:
        taken = Dyad.objects.filter(study=dyad.study, label=changes["label"]).exclude(pk=dyad.pk)
        if taken.exists():
            raise DomainError({"label": f"There is already a dyad called '{changes['label']}'."})
    old, new = apply_changes(dyad, changes, allowed=DYAD_FIELDS, version=version)
    if new:
        audit_record(
            study=dyad.study, actor=actor, action="dyad.update", target=dyad, old=old, new=new
        )
    return dyad


@transaction.atomic
def dyad_delete(*, actor, dyad: Dyad, version: int | None = None) -> None:
    """Remove a dyad (soft); its participants and interviews stay."""
    study_access(actor, dyad.study, Action.MANAGE_PEOPLE)
    dyad = Dyad.objects.select_for_update().get(pk=dyad.pk)
    if dyad.deleted_at is not None:
        raise NotFound("This dyad has already been removed.")
    check_version(dyad, version)
    mark_removed(dyad, "deleted_at")
    audit_record(
        study=dyad.study,
        actor=actor,
        action="dyad.delete",
        target=dyad,
        old=snapshot(dyad, fields=["label", "therapist", "client"]),
    )
