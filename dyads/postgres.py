"""What only PostgreSQL does: migrations of triggers and indexes, and COPY."""

from collections.abc import Iterable, Sequence

from django.db import connection, migrations


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
