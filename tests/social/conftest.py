"""Fixtures of the social network; the practice's fixtures (verified nutritionist, open care)
are reused from the clinical tests."""

import pytest

from tests.clinical.conftest import make_care, make_nutritionist, nutritionist  # noqa: F401

# Transactional tests here restore the post-migration data after their flush, as the realtime ones do.
from tests.realtime.conftest import pytest_runtest_teardown  # noqa: F401


@pytest.fixture(autouse=True)
def _on_commit_runs_now(monkeypatch):
    """Tests run inside one transaction that never commits, so after-commit work (fan-out to
    Redis timelines, live pushes, notifications) would never happen. Run it at once, as a
    commit right after the service returns would."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
