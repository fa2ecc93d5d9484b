"""Load the shipped exercise catalogue (``data/exercises.csv``) into :class:`fitness.models.Exercise`.

Called by the data migration (so ``migrate`` alone fills it) and by ``manage.py
load_exercises`` after the file changes. Idempotent: rows are created or updated by code.
MET values come from the Compendium of Physical Activities (Ainsworth et al., 2011; the
activity code is in ``compendium_code``)."""

from __future__ import annotations

from fitness.generator import DATA_FILE, catalogue_rows


def exercises_load(Exercise=None, path=DATA_FILE) -> int:
    """Create or update every exercise of the catalogue; returns how many rows were read."""
    if Exercise is None:
        from fitness.models import Exercise
    rows = catalogue_rows(path)
    for row in rows:
        code = row.pop("code")
        Exercise.objects.update_or_create(code=code, defaults=row)
    return len(rows)
