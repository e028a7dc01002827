"""What the exchange commands share: the study by slug, the user they act as, the preview text."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from dyads.models import Role, Study, StudyMembership


def study_by_slug(slug: str) -> Study:
    study = Study.objects.filter(slug=slug, deleted_at__isnull=True).first()
    if study is None:
        raise CommandError(f"No study has the slug '{slug}'.", returncode=2)
    return study


def acting_user(study: Study, username: str | None):
    """The named user, else the study's first owner: commands act as a member, with their rights."""
    if username:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user is called '{username}'.")
        return user
    owner = (
        StudyMembership.objects.filter(study=study, role=Role.OWNER, removed_at__isnull=True)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    if owner is None:
        raise CommandError(f"Study '{study.slug}' has no owner to act as; name one with --as.")
    return owner.user


def preview_lines(preview: dict[str, Any]) -> list[str]:
    """The import preview as the command prints it."""
    summary = preview["summary"]
    lines = [
        f"File: {preview['file_name']} (from {preview['origin'] or 'unknown software'})",
        f"Positions read as: {preview['convention'] or 'n/a'}",
        f"Codes: {summary['new_codes']} new, {summary['existing_codes']} already in the study",
        f"Codings: {summary['codings']}; notes: {summary['notes']}",
    ]
    if preview["new_participants"]:
        lines.append(f"New participants: {', '.join(preview['new_participants'])}")
    for user, username in sorted(preview["users"].items()):
        lines.append(f"User {user} -> {username}")
    for source in preview["sources"]:
        lines.append(
            f"Source '{source['name']}' [{source['guid']}] -> {source['label']} ({source['reason']})"
        )
    for element, count in sorted(preview["not_imported"].items()):
        lines.append(f"Not imported: {count} <{element}>")
    lines += [f"Warning: {warning}" for warning in preview["warnings"]]
    return lines
