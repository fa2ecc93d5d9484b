"""Re-encrypt clinical data with the current key (the first of CLINICAL_ENCRYPTION_KEYS).

    manage.py rotate_clinical_keys [--batch-size N] [--dry-run]

Reads raw stored values with SQL (the ORM would decrypt them), and rewrites each value whose
key version is not the current one (or legacy plaintext) in batches, each batch in its own
transaction. Readers accept every listed key, so the site keeps serving while this runs.
Prints counts per model and the rows still on old keys (0 at the end: the old key can go).
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from clinical import crypto


def _stale(value, current: str) -> bool:
    return bool(value) and crypto.version_of(value) != current


def _encrypted_columns(model) -> list[str]:
    names = set(crypto.encrypted_fields(model))
    return [f.column for f in model._meta.concrete_fields if f.attname in names]


def stale_rows(model, current: str) -> int:
    """Rows of ``model`` with at least one encrypted value not under ``current``."""
    columns = _encrypted_columns(model)
    if not columns:
        return 0
    qn = connection.ops.quote_name
    count = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(qn(c) for c in columns)} FROM {qn(model._meta.db_table)}")  # noqa: S608 (quoted model identifiers)
        for row in cursor.fetchall():
            if any(_stale(v, current) for v in row):
                count += 1
    return count


def rotate_model(model, current: str, *, batch_size: int, dry_run: bool) -> int:
    """Re-encrypt the stale rows of one model; returns how many rows changed (or would)."""
    columns = _encrypted_columns(model)
    table = model._meta.db_table
    qn = connection.ops.quote_name
    pk = model._meta.pk.column
    changed = 0
    last_id = None
    while True:
        with transaction.atomic():
            with connection.cursor() as cursor:
                where = f"WHERE {qn(pk)} > %s " if last_id is not None else ""
                params = [last_id] if last_id is not None else []
                select = f"SELECT {qn(pk)}, {', '.join(qn(c) for c in columns)} FROM {qn(table)} "  # noqa: S608
                cursor.execute(f"{select}{where}ORDER BY {qn(pk)} LIMIT %s", [*params, batch_size])
                rows = cursor.fetchall()
                if not rows:
                    break
                for row_id, *values in rows:
                    updates = {c: v for c, v in zip(columns, values, strict=True) if _stale(v, current)}
                    if not updates:
                        continue
                    changed += 1
                    if dry_run:
                        continue
                    sets = ", ".join(f"{qn(c)} = %s" for c in updates)
                    cursor.execute(
                        f"UPDATE {qn(table)} SET {sets} WHERE {qn(pk)} = %s",  # noqa: S608 (quoted model identifiers)
                        [*(crypto.encrypt(crypto.decrypt(v)) for v in updates.values()), row_id],
                    )
                last_id = rows[-1][0]
        if len(rows) < batch_size:
            break
    return changed


class Command(BaseCommand):
    help = "Re-encrypt clinical data with the current key of CLINICAL_ENCRYPTION_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction (default 500).")
        parser.add_argument("--dry-run", action="store_true", help="Count what would change; write nothing.")

    def handle(self, *args, batch_size, dry_run, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        current = crypto.current_version()
        verb = "would re-encrypt" if dry_run else "re-encrypted"
        left = 0
        for model in apps.get_app_config("clinical").get_models():
            if not _encrypted_columns(model):
                continue
            changed = rotate_model(model, current, batch_size=batch_size, dry_run=dry_run)
            self.stdout.write(f"{model._meta.label}: {verb} {changed} rows")
            left += stale_rows(model, current)
        self.stdout.write(f"Rows left on old keys: {left} (current key {current})")
