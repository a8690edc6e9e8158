"""Report fixtures: the hand-rated small province of the indicator tests, and a media folder per test."""

import pytest

from evaluations.models import RatingYear, YearState
from tests.indicators.conftest import rated_2024

# The hand-counted workbook checks are shared by several test modules: show their failing values too.
pytest.register_assert_rewrite("tests.reports.workbook_checks")

__all__ = ["rated_2024"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Workbooks go to a folder of the test's own, never to var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def closed_2024(rated_2024):
    """The hand-rated 2024 and the years before it, closed: their verdicts are final (an open year's are
    provisional), as when a year's report is issued."""
    RatingYear.objects.filter(year__lte=2024).update(state=YearState.CLOSED)
    return rated_2024
