"""The audit trail in words: each event as a sentence a supervisor can read.

`dyads` knows nothing of the apps built on it, so each app registers (beside its
audit actions, in its registrations) how its events read:

- `register_audit_objects`: for a model label, the noun that names it ("dyad"),
  how to name a batch of its rows in one query and the page that shows one;
- `register_audit_sentences`: for an action, a sentence such as
  "{actor} renamed {object}". `{actor}` is the person's display name, `{object}` the
  linked object ("the code “Persistence”"), any other `{field}` a value from the
  event's payload in words;
- `register_audit_references`: payload fields that hold ids of other objects
  ("dyad" -> "dyads.dyad"), so that their values read as names.

An action nobody described reads "… recorded a code merge on …"; an object type
nobody described is named by its model's verbose name. No sentence shows a
dictionary, a model label or a bare id.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import string
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Expression
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from dyads.models import AuditEvent, Study

Namer = Callable[[Iterable[str]], dict[str, str]]


@dataclass(frozen=True)
class ObjectWords:
    noun: str
    names: Namer | None = None
    link: str = ""  # URL name taking (study slug, object id)
    anchor: str = (
        ""  # if set, `link` takes the slug alone and the page's #{anchor}{id} is the object
    )


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None  # None: the field had no value before (a creation)
    after: str


@dataclass(frozen=True)
class EventInWords:
    event: AuditEvent
    sentence: SafeString
    changes: list[Change]


_objects: dict[str, ObjectWords] = {}
_sentences: dict[str, str] = {}
_references: dict[tuple[str, str], str] = {}

# Bookkeeping columns a reader does not need.
HIDDEN_FIELDS = {
    "start",
    "end",
    "id",
    "study",
    "version",
    "deleted_at",
    "erased_at",
    "checksum",
    "position",
    "object_type",
    "object_id",
}
LONG_TEXT = 160
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}.*")
LISTED_NAMES = 5  # a longer list of objects reads "A, B, C, D, E and 7 more"
IDENTIFIER = re.compile(r"[a-z]+(_[a-z]+)+")


def names_by(model: str, expression: str | Expression) -> Namer:
    """A namer for `register_audit_objects`: the rows of `model` ('app.model') by pk,
    each named by a field or query expression (1 query)."""

    def names(ids: Iterable[str]) -> dict[str, str]:
        pks = [pk for pk in ids if str(pk).isdigit()]
        rows = apps.get_model(model).objects.filter(pk__in=pks)
        return {str(pk): str(name) for pk, name in rows.values_list("pk", expression)}

    return names


def register_audit_objects(objects: Mapping[str, ObjectWords]) -> None:
    _objects.update(objects)


def register_audit_sentences(sentences: Mapping[str, str]) -> None:
    _sentences.update(sentences)


def register_audit_references(fields: Mapping[str, str], *, on: str = "") -> None:
    """Payload fields holding ids of `fields[field]` objects: in every event, or only in
    events about objects of type `on` ("parent" of a code is a code, of a theme a theme)."""
    _references.update({(on, field): label for field, label in fields.items()})


def _reference(object_type: str, field: str) -> str:
    return _references.get((object_type, field)) or _references.get(("", field), "")


def audit_sentence(action: str) -> str:
    """The registered sentence for `action`, or a readable generic one."""
    if action in _sentences:
        return _sentences[action]
    words = action.replace(".", " ").replace("_", " ")
    return f"{{actor}} recorded a {words} on {{object}}"


def audit_action_name(action: str) -> str:
    """An action as a filter names it: 'code merge'."""
    return humanise(action.replace(".", " "))


def audit_noun(label: str) -> str:
    """What the trail calls an object of model `label` ('dyads.dyad' -> 'dyad')."""
    return _noun(label)


def _noun(label: str) -> str:
    if label in _objects:
        return _objects[label].noun
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return "record"


def humanise(field: str) -> str:
    return field.replace("_", " ")


class _Names:
    """The names of every object the events mention, one query per model."""

    def __init__(self, events: list[AuditEvent]):
        wanted: dict[str, set[str]] = defaultdict(set)
        for event in events:
            for label, pk in ((event.object_type, event.object_id), _target(event)):
                if pk:
                    wanted[label].add(pk)
            for payload in (event.old_value, event.new_value):
                if isinstance(payload, dict):
                    for key, value in payload.items():
                        if label := _reference(event.object_type, key):
                            wanted[label].update(map(str, _ids(value)))
        self.names: dict[str, dict[str, str]] = {}
        for label, ids in wanted.items():
            words = _objects.get(label)
            self.names[label] = words.names(ids) if words and words.names else {}

    def name(self, label: str, pk) -> str | None:
        return self.names.get(label, {}).get(str(pk))


def _ids(value) -> list:
    if isinstance(value, list):
        return [item for item in value if isinstance(item, int | str)]
    return [value] if isinstance(value, int | str) and value != "" else []


def _text(value) -> str:
    if value is None or value == "":
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{humanise(str(k))}: {_text(v)}" for k, v in value.items()) or "none"
    if isinstance(value, str) and IDENTIFIER.fullmatch(value):
        return humanise(value)
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return date_format(dt.date.fromisoformat(value), "j M Y")
    if isinstance(value, str) and ISO_MOMENT.fullmatch(value):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return Truncator(value).chars(LONG_TEXT)
        return date_format(timezone.localtime(moment), "j M Y H:i")
    return Truncator(strip_tags(str(value))).chars(LONG_TEXT)


def _value(names: _Names, object_type: str, field: str, value) -> str:
    label = _reference(object_type, field)
    if label and value not in (None, "", []):
        named = [names.name(label, pk) or f"a {_noun(label)} since removed" for pk in _ids(value)]
        if len(named) > LISTED_NAMES:
            return f"{', '.join(named[:LISTED_NAMES])} and {len(named) - LISTED_NAMES} more"
        return ", ".join(named) if named else _text(value)
    return _text(value)


def _changes(names: _Names, event: AuditEvent) -> list[Change]:
    old = event.old_value if isinstance(event.old_value, dict) else {}
    new = event.new_value if isinstance(event.new_value, dict) else {}
    changes = []
    for field in [*new, *(key for key in old if key not in new)]:
        if field in HIDDEN_FIELDS:
            continue
        after = new.get(field)
        if not old and after in (None, "", [], {}):
            continue
        before = _value(names, event.object_type, field, old[field]) if field in old else None
        after_text = _value(names, event.object_type, field, after) if field in new else "removed"
        if before != after_text:
            changes.append(Change(humanise(field), before, after_text))
    if not old and not new and event.new_value not in (None, "", {}):
        changes.append(Change("value", None, _text(event.new_value)))
    return changes


def _target(event: AuditEvent) -> tuple[str, str]:
    """The object an event is about besides its own (what an audit comment comments on)."""
    payload = event.new_value if isinstance(event.new_value, dict) else {}
    return str(payload.get("object_type", "")), str(payload.get("object_id", ""))


def _object(
    names: _Names, study: Study, label: str, pk: str, fallback: str = ""
) -> SafeString | str:
    noun = _noun(label)
    words = _objects.get(label)
    if not pk or (words and not words.names):
        return f"the {noun}"
    name = names.name(label, pk) or fallback
    if not name:
        return f"a {noun}"
    if words and words.link and names.name(label, pk):
        try:
            if words.anchor:
                url = reverse(words.link, args=[study.slug]) + f"#{words.anchor}{pk}"
            else:
                url = reverse(words.link, args=[study.slug, pk])
        except NoReverseMatch:
            url = ""
        if url:
            return format_html('the {} <a href="{}">“{}”</a>', noun, url, name)
    return f"the {noun} “{name}”"


def _payload_name(event: AuditEvent) -> str:
    for payload in (event.new_value, event.old_value):
        if isinstance(payload, dict):
            for key in ("name", "title", "label", "pseudonym"):
                if isinstance(payload.get(key), str) and payload[key]:
                    return payload[key]
    return ""


def _actor(event: AuditEvent) -> str:
    if event.actor is None:
        return "Duet"
    return event.actor.get_full_name() or event.actor.get_username()


def audit_in_words(*, study: Study, events: Iterable[AuditEvent]) -> list[EventInWords]:
    """The events as sentences with their changes, before -> after (one query per kind
    of object the events mention). `events` should carry their actor (select_related)."""
    events = list(events)
    names = _Names(events)
    told = []
    for event in events:
        template = audit_sentence(event.action)
        values = {
            "actor": _actor(event),
            "object": _object(
                names, study, event.object_type, event.object_id, _payload_name(event)
            ),
            "target": _object(names, study, *_target(event)),
        }
        payload = {
            **(event.old_value if isinstance(event.old_value, dict) else {}),
            **(event.new_value if isinstance(event.new_value, dict) else {}),
        }
        for _, field, _, _ in string.Formatter().parse(template):
            if field and field not in values:
                values[field] = _value(names, event.object_type, field, payload.get(field))
        told.append(EventInWords(event, format_html(template, **values), _changes(names, event)))
    return told


def payloads_in_words(payloads: Iterable[tuple[str, object]]) -> list[list[tuple[str, str]]]:
    """Each (model label, payload) as (field, value) pairs in words, ids of other objects
    by name, as the trail shows them (one query per kind of object mentioned): how the
    audit report shows a decision's before and after."""
    payloads = list(payloads)
    names = _Names(
        [AuditEvent(object_type=label, new_value=payload) for label, payload in payloads]
    )
    return [
        [
            (humanise(field), _value(names, label, field, value))
            for field, value in payload.items()
            if field not in HIDDEN_FIELDS
        ]
        if isinstance(payload, dict)
        else []
        for label, payload in payloads
    ]


def plain(sentence: SafeString | str) -> str:
    """A sentence of the trail without its links, for documents that are not pages."""
    return html.unescape(strip_tags(sentence))
