"""What only PostgreSQL does: migrations of triggers and indexes, COPY, and updates of
many rows at once."""

from collections.abc import Iterable, Sequence

import orjson
from django.db import connection, migrations
from django.db.models import Model


def run_sql_on_postgresql(sql: str, reverse_sql: str) -> migrations.RunPython:
    """A migration operation that runs `sql` on PostgreSQL and nothing on SQLite."""

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(reverse_sql, params=None)

    return migrations.RunPython(forward, backward)


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """Insert `rows` (tuples in the order of `columns`) into `table` with COPY.

    For many rows at once: COPY skips the per-row work of INSERT, and of the
    ORM's model instances. It runs in the current transaction; PostgreSQL only.
    """
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def update_rows(model: type[Model], fields: Sequence[str], rows: Sequence[tuple]) -> None:
    """Set `fields` of many rows of `model` in one UPDATE; each row is (pk, *values).

    The values travel as one array per column (unnest), so the statement's size and
    planning do not grow with the rows, as Django's bulk_update (one CASE WHEN per
    row and field) does: 2,100 rows take milliseconds instead of seconds.
    PostgreSQL only.
    """
    if not rows:
        return
    meta = model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    quote = connection.ops.quote_name
    names = [quote(column.column) for column in columns]
    arrays = ", ".join(f"%s::{column.db_type(connection)}[]" for column in columns)
    assignments = ", ".join(f"{name} = v.{name}" for name in names[1:])
    table = quote(meta.db_table)
    values = [
        [_db_value(column, row[index]) for row in rows] for index, column in enumerate(columns)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM unnest({arrays}) AS v({', '.join(names)}) "
            f"WHERE {table}.{names[0]} = v.{names[0]}",
            values,
        )


def _db_value(field, value):
    """JSON columns go as text cast to jsonb; the rest as Python values."""
    return orjson.dumps(value).decode() if field.get_internal_type() == "JSONField" else value
