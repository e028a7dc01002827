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


def option_pairs(items: list[str], option: str, shape: str) -> dict[str, str]:
    """`KEY=VALUE` options as a dict, or CommandError naming the malformed one."""
    pairs = {}
    for item in items:
        key, equals, value = item.partition("=")
        if not (equals and key.strip() and value.strip()):
            raise CommandError(f"{option} '{item}': give it as {shape}.")
        pairs[key.strip()] = value.strip()
    return pairs


def not_imported_lines(entries: list[dict[str, Any]]) -> list[str]:
    lines = []
    for entry in entries:
        examples = f" (e.g. {', '.join(entry['examples'])})" if entry["examples"] else ""
        lines.append(f"Not imported: {entry['count']} × {entry['kind']}: {entry['why']}{examples}")
    return lines


def _user_line(user: dict[str, Any]) -> str:
    work = f"{user['codings']} codings, {user['notes']} notes"
    if not user["target"]:
        return f"User '{user['name']}' ({work}) -> nobody ({user['reason']})"
    account = "new imported coder " if user["target"] == "new" else ""
    return f"User '{user['name']}' ({work}) -> {account}{user['username']} ({user['reason']})"


def preview_lines(preview: dict[str, Any]) -> list[str]:
    """The import preview as the command prints it."""
    summary = preview["summary"]
    lines = [
        f"File: {preview['file_name']} (from {preview['origin'] or 'unknown software'})",
        f"Positions read as: {preview['convention'] or 'n/a'}",
        f"Codes: {summary['new_codes']} new, {summary['existing_codes']} already in the study",
        f"Codings: {summary['codings']}; notes: {summary['notes']}",
        f"New participants: {', '.join(preview['new_participants']) or 'none'}",
        f"New dyads: {', '.join(dyad['label'] for dyad in preview['new_dyads']) or 'none'}",
        f"New interviews: {summary['new_interviews']}",
    ]
    lines += [_user_line(user) for user in preview["users"]]
    for source in preview["sources"]:
        lines.append(
            f"Source '{source['name']}' [{source['guid']}] -> {source['label']} ({source['reason']})"
        )
    lines += not_imported_lines(preview["not_imported"])
    lines += [f"Warning: {warning}" for warning in preview["warnings"]]
    return lines


def result_lines(result: dict[str, Any]) -> list[str]:
    """What an import did, as the command prints it."""
    return [
        f"Imported: {result['codes']} codes, {result['participants']} participants, "
        f"{result['dyads']} dyads, {result['coders']} imported coders, "
        f"{result['interviews']} interviews, {result['revisions']} transcript revisions, "
        f"{result['codings']} codings ({result['codings_already_present']} already there), "
        f"{result['memos']} memos.",
        *not_imported_lines(result["not_imported"]),
    ]
