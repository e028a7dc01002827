"""Lossless backup and restore of one study, driven by the models themselves.

`study_models()` finds every model of dyads, interviews and analysis that
reaches the Study through foreign keys (auto-created many-to-many tables
included), so a model another issue adds is backed up without a change here;
`EXCLUDED` names the few that are deliberately left out. The users the study's
rows refer to travel with it.

The archive is a zip of `manifest.json`, one `data/<app>.<model>.jsonl` per
model (one JSON object per row, keys sorted, rows by primary key) and the
media files (audio) under `media/`, each with its SHA-256 in the manifest.
Zip entries carry a fixed date, so backing up the same data twice gives the
same bytes.

`restore_study` writes the rows back with their original primary keys, which
is what keeps the audit chain verifiable (its hashes cover ids), and so needs
a database without the study's tables' rows: it refuses any other. Users
already present with the same id and user name are kept; any other clash is
refused. Sequences are reset afterwards, and the restored chain is verified
before the transaction commits.
"""

import hashlib
import json
import zipfile
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Q

from dyads.archives import ArchiveRefused, checked_zip, unsafe_name
from dyads.audit import audit_verify
from dyads.exceptions import DomainError
from dyads.models import Study
from interviews.services.search_documents import search_documents_fill_later

FORMAT = "duet-study-backup"
VERSION = 1
APPS = ("dyads", "interviews", "analysis")
# Job rows and the files they hold are working state, not the study's data.
EXCLUDED = {"analysis.exchangejob"}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
MAX_DEPTH = 6

Progress = Callable[[int], None]


class BackupError(DomainError):
    """An archive that cannot be restored here; the message says why."""


def _relations(model: type[models.Model]) -> list[models.Field]:
    """Forward foreign keys (one-to-one included), non-null ones first."""
    fields = [
        field for field in model._meta.concrete_fields if field.many_to_one or field.one_to_one
    ]
    return sorted(fields, key=lambda field: (field.null, field.name))


def study_paths(model: type[models.Model]) -> list[str]:
    """Lookups from `model` to the Study (e.g. 'revision__transcript__interview__study').

    The shortest path of non-null keys alone if there is one (it decides which
    study a row belongs to); otherwise every path, for a row may reach the
    study through any of its nullable keys.
    """
    if model is Study:
        return ["pk"]
    paths: list[tuple[str, bool]] = []
    queue = deque([(model, "", False, frozenset({model}))])
    while queue:
        current, prefix, nullable, seen = queue.popleft()
        if prefix.count("__") >= MAX_DEPTH:
            continue
        for field in _relations(current):
            target = field.related_model
            lookup = f"{prefix}__{field.name}" if prefix else field.name
            if target is Study:
                paths.append((lookup, nullable or field.null))
            elif target._meta.app_label in APPS and target not in seen:
                queue.append((target, lookup, nullable or field.null, seen | {target}))
    strict = [path for path, nullable in paths if not nullable]
    return strict[:1] if strict else [path for path, _ in paths]


def study_models() -> list[tuple[type[models.Model], list[str]]]:
    """(model, paths to the study) for every backed-up model, by label."""
    found = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.label_lower in EXCLUDED or model._meta.proxy:
                continue
            paths = study_paths(model)
            if paths:
                found.append((model, paths))
    return sorted(found, key=lambda item: item[0]._meta.label_lower)


def _rows(model: type[models.Model], paths: list[str], study: Study) -> models.QuerySet:
    condition = Q()
    for path in paths:
        condition |= Q(**{path: study.pk})
    return model._default_manager.filter(condition).distinct().order_by("pk")


def _json_value(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)  # UUID, Decimal, a file's name


def _attnames(model: type[models.Model]) -> list[str]:
    return sorted(field.attname for field in model._meta.concrete_fields)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _user_ids(model: type[models.Model], rows: models.QuerySet) -> set[int]:
    user_model = get_user_model()
    columns = [f.attname for f in _relations(model) if f.related_model is user_model]
    ids: set[int] = set()
    for values in rows.values_list(*columns) if columns else []:
        ids.update(value for value in values if value is not None)
    return ids


@dataclass
class BackupSummary:
    rows: dict[str, int]
    media: int


def write_backup(
    *, study: Study, out: IO[bytes], progress: Progress = lambda p: None
) -> BackupSummary:
    """Write everything of the study (rows, the users they name, media) to `out`."""
    user_model = get_user_model()
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "study": {"id": study.pk, "slug": study.slug, "title": study.title},
        "migrations": _migrations(),
        "models": {},
        "media": [],
    }
    covered = study_models()
    user_ids: set[int] = set()
    files: set[str] = set()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for index, (model, paths) in enumerate(covered):
            rows = _rows(model, paths, study)
            count = _write_rows(archive, model, rows)
            manifest["models"][model._meta.label_lower] = {
                "rows": count,
                "fields": _attnames(model),
            }
            user_ids |= _user_ids(model, rows)
            for field in model._meta.concrete_fields:
                if isinstance(field, models.FileField):
                    files |= {name for name in rows.values_list(field.attname, flat=True) if name}
            progress(90 * (index + 1) // len(covered))
        users = user_model._default_manager.filter(pk__in=user_ids).order_by("pk")
        count = _write_rows(archive, user_model, users)
        manifest["models"][user_model._meta.label_lower] = {
            "rows": count,
            "fields": _attnames(user_model),
        }
        for name in sorted(files):
            manifest["media"].append(_write_media(archive, name))
        archive.writestr(
            _entry("manifest.json"),
            json.dumps(manifest, sort_keys=True, indent=1, ensure_ascii=False) + "\n",
        )
    progress(100)
    return BackupSummary(
        rows={label: entry["rows"] for label, entry in manifest["models"].items()},
        media=len(manifest["media"]),
    )


def _write_rows(archive: zipfile.ZipFile, model: type[models.Model], rows: models.QuerySet) -> int:
    names = _attnames(model)
    count = 0
    with archive.open(
        _entry(f"data/{model._meta.label_lower}.jsonl"), "w", force_zip64=True
    ) as entry:
        for values in rows.values_list(*names).iterator(chunk_size=5000):
            row = {name: _json_value(value) for name, value in zip(names, values, strict=True)}
            entry.write(
                json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
            )
            entry.write(b"\n")
            count += 1
    return count


def _write_media(archive: zipfile.ZipFile, name: str) -> dict[str, Any]:
    if not default_storage.exists(name):
        return {"name": name, "missing": True}
    digest = hashlib.sha256()
    with (
        default_storage.open(name, "rb") as source,
        archive.open(_entry(f"media/{name}"), "w", force_zip64=True) as entry,
    ):
        for chunk in iter(lambda: source.read(1 << 20), b""):
            digest.update(chunk)
            entry.write(chunk)
    return {"name": name, "sha256": digest.hexdigest()}


def _migrations() -> dict[str, str]:
    """The latest applied migration of each app whose tables the archive holds."""
    applied = MigrationRecorder(connection).applied_migrations()
    latest: dict[str, str] = {}
    for app, name in sorted(applied):
        if app in (*APPS, get_user_model()._meta.app_label):
            latest[app] = name
    return latest


# --- restore -------------------------------------------------------------------------------


def restore_study(*, archive_file: IO[bytes], progress: Progress = lambda p: None) -> Study:
    """Restore an archive into a database that has no rows of the study's tables."""
    name = getattr(archive_file, "name", "") or "the backup"
    try:
        archive = checked_zip(archive_file, name=name)
        manifest = json.loads(archive.read("manifest.json"))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise BackupError(f"Not a Duet study backup: {error}.") from error
    except ArchiveRefused as error:
        raise BackupError(error.detail["file"]) from error
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError("Not a Duet study backup of a version this Duet can read.")
    _check_media_names(manifest["media"])
    _check_schema(manifest)
    user_model = get_user_model()
    covered = {model._meta.label_lower: model for model, _ in study_models()}
    _check_empty(covered.values())
    with transaction.atomic():
        labels = list(manifest["models"])
        for index, label in enumerate(labels):
            model = user_model if label == user_model._meta.label_lower else covered[label]
            rows = _read_rows(archive, label)
            if model is user_model:
                rows = _new_users(rows)
            _insert(model, rows)
            progress(90 * (index + 1) // len(labels))
        _reset_sequences([*covered.values(), user_model])
        study = Study.objects.get(pk=manifest["study"]["id"])
        report = audit_verify(study=study)
        if not report.intact:
            raise BackupError(
                f"The restored audit chain does not verify: {report.problem or report.first_broken}."
            )
        _restore_media(archive, manifest["media"])
        search_documents_fill_later()  # the revisions came in without their search documents
    progress(100)
    return study


def _check_schema(manifest: dict[str, Any]) -> None:
    if manifest["migrations"] != _migrations():
        raise BackupError(
            "The backup was made at another database schema (migrations "
            f"{manifest['migrations']}; this database is at {_migrations()}). Restore it with the "
            "Duet version that made it."
        )


def _check_empty(covered) -> None:
    occupied = sorted(
        model._meta.label_lower for model in covered if model._default_manager.exists()
    )
    if occupied:
        raise BackupError(
            "import_study restores into an empty database (migrated, with no studies); this one "
            f"already has rows in {', '.join(occupied[:5])}{' …' if len(occupied) > 5 else ''}."
        )


def _read_rows(archive: zipfile.ZipFile, label: str) -> list[dict[str, Any]]:
    with archive.open(f"data/{label}.jsonl") as entry:
        return [json.loads(line) for line in entry if line.strip()]


def _new_users(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The archived users not already here; a clash of id or user name is refused."""
    user_model = get_user_model()
    username = user_model.USERNAME_FIELD
    present = dict(
        user_model._default_manager.filter(
            Q(pk__in=[row["id"] for row in rows])
            | Q(**{f"{username}__in": [row[username] for row in rows]})
        ).values_list("pk", username)
    )
    new = []
    for row in rows:
        if present.get(row["id"]) == row[username]:
            continue
        if row["id"] in present or row[username] in present.values():
            raise BackupError(
                f"User '{row[username]}' (id {row['id']}) clashes with a user of this database."
            )
        new.append(row)
    return new


def _insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """INSERT the rows as they are: no save(), so auto_now and defaults change nothing."""
    if not rows:
        return
    fields = sorted(model._meta.concrete_fields, key=lambda field: field.attname)
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    values = [
        [
            field.get_db_prep_save(_python_value(field, row[field.attname]), connection)
            for field in fields
        ]
        for row in rows
    ]
    with connection.cursor() as cursor:
        for first in range(0, len(values), 5000):
            cursor.executemany(sql, values[first : first + 5000])


def _python_value(field: models.Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        return value
    if isinstance(field, models.BinaryField):
        return bytes.fromhex(value)
    if field.is_relation:
        return field.target_field.to_python(value)
    return field.to_python(value)


def _reset_sequences(model_list) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _check_media_names(media: list[dict[str, Any]]) -> None:
    """Refuse, before anything is written, a media name that would land outside the media folder."""
    for item in media:
        name = str(item.get("name", ""))
        if not name or unsafe_name(name):
            raise BackupError(
                f"The backup names a media file '{name}' outside the media folder; "
                "nothing was restored."
            )


def _restore_media(archive: zipfile.ZipFile, media: list[dict[str, Any]]) -> None:
    """Write the media files; if one cannot be written, those already written are removed."""
    written: list[str] = []
    try:
        for item in media:
            if not item.get("missing") and _restore_medium(archive, item):
                written.append(item["name"])
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise


def _restore_medium(archive: zipfile.ZipFile, item: dict[str, Any]) -> bool:
    """Write one media file; False if the same file is already there."""
    data = archive.read(f"media/{item['name']}")
    if hashlib.sha256(data).hexdigest() != item["sha256"]:
        raise BackupError(f"media/{item['name']} in the archive does not match its checksum.")
    if default_storage.exists(item["name"]):
        with default_storage.open(item["name"], "rb") as present:
            if hashlib.sha256(present.read()).hexdigest() == item["sha256"]:
                return False
        raise BackupError(f"{item['name']} already exists in the media folder with other content.")
    try:
        default_storage.save(item["name"], ContentFile(data))
    except SuspiciousFileOperation as error:
        raise BackupError(f"media/{item['name']}: cannot be written: {error}") from error
    return True
