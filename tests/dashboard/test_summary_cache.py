import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanlian.dashboard import selectors
from tests import factories
from tests.dashboard.conftest import approved_report


@pytest.mark.django_db
def test_the_stored_summary_is_read_back_without_recomputing(pujiang_officer):
    town = factories.region("pujiang")
    enterprise = factories.enterprise()
    approved_report(enterprise, 2023, "1000000", officer=pujiang_officer)
    first = selectors.cockpit_summary(town, 2023)
    with CaptureQueriesContext(connection) as queries:
        again = selectors.cockpit_summary(town, 2023)
    assert again == first and len(queries) == 1  # only the registry version is read


@pytest.mark.django_db
def test_a_write_through_a_service_refreshes_the_summary(pujiang_officer):
    town = factories.region("pujiang")
    enterprise = factories.enterprise()
    approved_report(enterprise, 2023, "1000000", officer=pujiang_officer)
    assert selectors.cockpit_summary(town, 2023)["biomedical_revenue_yuan"] == 1_000_000
    approved_report(factories.enterprise(), 2023, "250000.50", officer=pujiang_officer)
    figures = selectors.cockpit_summary(town, 2023)
    assert figures["biomedical_revenue_yuan"] == selectors.cockpit(town, 2023)["biomedical_revenue_yuan"]
    assert str(figures["biomedical_revenue_yuan"]) == "1250000.50"
