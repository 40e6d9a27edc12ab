"""The cockpit's figures are sums over a few grouped queries: alone or together, for any year, they agree."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanlian.dashboard import selectors
from sanlian.enterprises.models import Region
from tests import factories


@pytest.mark.django_db
class TestTownTotals:
    def test_each_figure_asked_alone_equals_the_cockpits(self, cluster):
        town, years = factories.region("pujiang"), [2019, 2020, 2021, 2022, 2023]
        figures = selectors.cockpit(town, 2023)
        assert selectors.headline(town, 2023).items() <= figures.items()
        assert selectors.revenue_by_year(town, years) == figures["revenue_by_year"]
        assert selectors.enterprises_by_year(town, years) == figures["enterprises_by_year"]
        assert selectors.by_cluster(town, 2023) == figures["by_cluster"]
        assert selectors.by_park(town, 2023) == figures["by_park"]

    def test_a_year_before_the_series_still_has_its_headline_and_breakdowns(self, cluster):
        figures = selectors.cockpit(factories.region("pujiang"), 2018)
        assert figures["revenue_by_year"] == figures["enterprises_by_year"] == []
        assert (figures["biomedical_enterprises"], figures["district_biomedical_enterprises"]) == (2, 3)
        assert (figures["gene_related"], figures["biomedical_revenue_yuan"]) == (1, Decimal("0.00"))
        assert {row["name"]: row["enterprises"] for row in figures["by_park"]} == {
            "漕河泾开发区浦江高科技园": 0,
            "临港浦江国际科技城": 1,
            "园区外": 1,
        }

    def test_the_cockpit_takes_as_many_queries_for_five_years_as_for_one(self, cluster):
        town = Region.objects.select_related("parent").get(code="pujiang")  # as the views fetch it
        with CaptureQueriesContext(connection) as five_years:
            selectors.cockpit(town, 2023)
        with CaptureQueriesContext(connection) as one_year:
            selectors.cockpit(town, 2019)
        # Revenue, town counts, district count, key-enterprise type and counts, clusters, parks, top 10;
        # talents by level, by industry (with the cluster names) and by year.
        assert len(five_years) == len(one_year) == 12
