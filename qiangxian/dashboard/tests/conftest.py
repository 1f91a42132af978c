import pytest

from qiangxian.statistics.tests.factories import seed_facts


@pytest.fixture
def facts(county):
    """The county fixture with two years of monthly figures and filled rollups."""
    return seed_facts(county)
