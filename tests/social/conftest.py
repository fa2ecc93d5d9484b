"""Fixtures of the social network; the practice's fixtures (verified nutritionist, open care)
are reused from the clinical tests."""

from tests.clinical.conftest import make_care, make_nutritionist, nutritionist  # noqa: F401
