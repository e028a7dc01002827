"""Helpers that every app's services share for versioned, audited updates."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms.models import model_to_dict
from django.utils import timezone

from .exceptions import Conflict, DomainError


def snapshot(instance: Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The instance's field values, as the audit log stores them."""
    data = model_to_dict(instance, fields=fields)
    return {key: (value.pk if isinstance(value, Model) else value) for key, value in data.items()}


def validate(instance: Model, **kwargs) -> None:
    """full_clean() with Django's errors turned into Duet's DomainError."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        if hasattr(error, "message_dict"):
            raise DomainError(
                {field: " ".join(messages) for field, messages in error.message_dict.items()}
            ) from error
        raise DomainError(" ".join(error.messages)) from error


def check_version(instance: Model, version: int | None, serialise=snapshot) -> None:
    """Refuse a write made against an older version of the object."""
    if version is not None and int(version) != instance.version:
        raise Conflict(
            f"{instance._meta.verbose_name.capitalize()} was changed by someone else "
            f"(you edited version {version}, it is now version {instance.version}).",
            current=serialise(instance),
        )


def apply_changes(
    instance: Model, changes: dict[str, Any], *, allowed: set[str], version: int | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Set allowed fields, validate and save; return (old, new) of what changed."""
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(dict.fromkeys(sorted(unknown), "This field cannot be changed."))
    if hasattr(instance, "version"):
        check_version(instance, version)
    before = snapshot(instance, fields=list(changes))
    for field, value in changes.items():
        setattr(instance, field, value)
    validate(instance)
    after = snapshot(instance, fields=list(changes))
    changed = [field for field in changes if before[field] != after[field]]
    if not changed:
        return {}, {}
    update_fields = list(changed)
    if hasattr(instance, "version"):
        instance.version += 1
        update_fields.append("version")
    instance.save(update_fields=update_fields)
    return {f: before[f] for f in changed}, {f: after[f] for f in changed}


def mark_removed(instance: Model, field: str) -> None:
    """Soft-remove a locked row: set its `field` (deleted_at, retired_at, revoked_at, ...)
    to now, move its version on where the model keeps one, and save both."""
    setattr(instance, field, timezone.now())
    update_fields = [field]
    if hasattr(instance, "version"):
        instance.version += 1
        update_fields.append("version")
    instance.save(update_fields=update_fields)
