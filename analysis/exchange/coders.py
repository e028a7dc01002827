"""Who each user of a file becomes in the study: the plan's users, before anything is written.

Each file user whose codings or notes are imported goes to one Duet account:
the one the user chose (a study member, themselves, or `new`), else a match
(Duet's own user GUID from an export of this Duet, or a study member of the same
user name or full name), else a new imported coder: a placeholder account
named after the file's user that cannot log in, an analyst of the study marked
as imported (`dyads.services.imported_coder_create`). Two file users never go
to one account: their codings would collapse into one coder's, and the
duplicates among them would be dropped. A user with nothing to import gets no
account.
"""

from collections import Counter
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from analysis.exchange.parsed import ParsedProject
from analysis.exchange.refi import normal_guid, user_guid
from dyads.exceptions import DomainError
from dyads.models import Study, StudyMembership

NEW = "new"
UNNAMED = "(no user named)"
PLACEHOLDER_PREFIX = "imported-"


@dataclass
class UserStep:
    """One user of the file: `username` gets their codings and notes (a new account if
    `target` is NEW); `target` is '' when nothing of theirs is imported."""

    guid: str
    name: str
    codings: int
    notes: int
    target: str
    username: str
    reason: str


def file_users(project: ParsedProject) -> dict[str, str]:
    """GUID -> name of every user the file lists or its codings and notes name."""
    users = dict(project.users)
    named = [note.user_guid for note in project.notes.values()]
    for source in project.sources:
        named += [c.user_guid for s in source.selections for c in s.codings]
    for guid in named:
        users.setdefault(guid, guid or UNNAMED)
    return users


def study_members(study: Study) -> list:
    memberships = StudyMembership.objects.filter(study=study, removed_at__isnull=True)
    return [m.user for m in memberships.select_related("user").order_by("user__username")]


def member_lookup(study: Study) -> dict[str, object]:
    """Lower-case user name and full name -> the member."""
    found: dict[str, object] = {}
    for user in study_members(study):
        found[user.username.lower()] = user
        if user.get_full_name():
            found.setdefault(user.get_full_name().lower(), user)
    return found


def _chosen(users: dict[str, str], wanted: dict[str, str]) -> dict[str, str]:
    """The user's choices keyed by file user GUID (they may name a user by GUID or name)."""
    by_name: dict[str, list[str]] = {}
    for guid, name in users.items():
        by_name.setdefault(name.strip().lower(), []).append(guid)
    chosen = {}
    for key, target in wanted.items():
        guids = [normal_guid(key)] if normal_guid(key) in users else by_name.get(key.lower(), [])
        if len(guids) != 1:
            listed = ", ".join(sorted(users.values())) or "none"
            problem = "two users of the file are called" if guids else "the file has no user"
            raise DomainError(
                {"users": f"{problem} '{key}' (name one by its GUID); its users: {listed}."}
            )
        chosen[guids[0]] = str(target).strip()
    return chosen


def placeholder_username(name: str, taken: set[str]) -> str:
    base = (PLACEHOLDER_PREFIX + (slugify(name) or "coder"))[:140]
    username, number = base, 2
    while username.lower() in taken:
        username, number = f"{base}-{number}", number + 1
    taken.add(username.lower())
    return username


def plan_users(
    study: Study, project: ParsedProject, imported: set[str], wanted: dict[str, str] | None = None
) -> list[UserStep]:
    """A step per file user; `imported` holds the GUIDs of the sources that are imported and
    `wanted` the user's choices (file user GUID or name -> a member's username or NEW)."""
    users = file_users(project)
    codings: Counter = Counter()
    for source in project.sources:
        if source.guid in imported:
            codings.update(c.user_guid for s in source.selections for c in s.codings)
    notes = Counter(n.user_guid for n in project.notes.values() if (n.text or n.name).strip())
    chosen = _chosen(users, wanted or {})
    members = member_lookup(study)
    members_by_username = {user.username for user in members.values()}
    from_this_duet = {
        user_guid(user.username): user
        for user in get_user_model().objects.filter(is_active=True).only("username")
    }
    given: dict[str, str] = {}  # account -> the file user who has it
    steps: dict[str, UserStep] = {}
    for guid in sorted(users, key=lambda g: g not in chosen):  # choices first
        step = UserStep(guid, users[guid], codings[guid], notes[guid], "", "", "")
        steps[guid] = step
        match = from_this_duet.get(guid) or members.get(users[guid].strip().lower())
        if guid in chosen and chosen[guid] not in (
            NEW,
            getattr(match, "username", NEW),
            *members_by_username,
        ):
            raise DomainError(
                {
                    "users": f"'{chosen[guid]}' is not a member of this study: map file user "
                    f"'{step.name}' to a member's username or to '{NEW}'."
                }
            )
        if not (step.codings or step.notes):
            step.reason = "nothing of theirs is imported"
            continue
        if guid in chosen:
            step.target, step.reason = chosen[guid], "chosen"
        elif match is not None and match.username not in given:
            step.target = match.username
            step.reason = "the same user" if guid in from_this_duet else "a member of that name"
        else:
            step.target, step.reason = NEW, "no member of that name: a coder of their own"
        if step.target == NEW:
            continue
        if step.target in given:
            raise DomainError(
                {
                    "users": f"File users '{users[given[step.target]]}' and '{step.name}' both go "
                    f"to '{step.target}'; each keeps a coder of their own."
                }
            )
        given[step.target] = guid
        step.username = step.target
    placeholders = get_user_model().objects.filter(username__istartswith=PLACEHOLDER_PREFIX)
    taken = {name.lower() for name in placeholders.values_list("username", flat=True)}
    for step in steps.values():
        if step.target == NEW:
            step.username = placeholder_username(step.name, taken)
    return [steps[guid] for guid in users]
