"""The cockpit figures, computed from records made through the services, are exactly the expected ones."""

from decimal import Decimal

import pytest

from sanlian.dashboard import selectors
from tests import factories


@pytest.fixture
def pujiang_2023(cluster):
    return selectors.cockpit(factories.region("pujiang"), 2023)


@pytest.mark.django_db
class TestCockpitFigures:
    def test_counts_only_biomedical_enterprises_that_exist_by_the_end_of_the_year(self, pujiang_2023):
        assert pujiang_2023["biomedical_enterprises"] == 4
        assert [row["enterprises"] for row in pujiang_2023["enterprises_by_year"]] == [2, 3, 3, 3, 4]

    def test_revenue_is_the_exact_sum_of_approved_biomedical_reports(self, pujiang_2023):
        assert pujiang_2023["biomedical_revenue_yuan"] == Decimal("188000000.75")
        assert pujiang_2023["revenue_reports"] == 3
        by_year = {row["year"]: row["revenue_yuan"] for row in pujiang_2023["revenue_by_year"]}
        assert by_year == {
            2019: Decimal("0.00"),
            2020: Decimal("0.00"),
            2021: Decimal("0.00"),
            2022: Decimal("120000000.00"),
            2023: Decimal("188000000.75"),
        }

    def test_growth_compares_with_the_previous_year_and_is_empty_without_one(self, pujiang_2023):
        revenue_growth = [row["growth"] for row in pujiang_2023["revenue_by_year"]]
        assert revenue_growth == [None, None, None, None, 0.5667]
        assert [row["growth"] for row in pujiang_2023["enterprises_by_year"]] == [None, 0.5, 0.0, 0.0, 0.3333]

    def test_the_district_share_counts_every_town_of_the_district(self, pujiang_2023):
        assert pujiang_2023["district"] == "闵行区"
        assert pujiang_2023["district_biomedical_enterprises"] == 5
        assert pujiang_2023["district_share"] == 0.8

    def test_gene_related_share_is_over_the_towns_biomedical_enterprises(self, pujiang_2023):
        assert pujiang_2023["gene_related"] == 2
        assert pujiang_2023["gene_related_share"] == 0.5

    def test_clusters_give_counts_and_revenue(self, pujiang_2023):
        rows = {row["name"]: (row["enterprises"], row["revenue_yuan"]) for row in pujiang_2023["by_cluster"]}
        assert rows == {
            "医疗器械与设备": (2, Decimal("158000000.50")),
            "健康医疗服务": (1, Decimal("0.00")),
            "化学药物与生物制品": (1, Decimal("30000000.25")),
        }

    def test_parks_include_the_enterprises_outside_any_park(self, pujiang_2023):
        rows = {row["name"]: (row["enterprises"], row["revenue_yuan"]) for row in pujiang_2023["by_park"]}
        assert rows == {
            "临港浦江国际科技城": (1, Decimal("150000000.50")),
            "漕河泾开发区浦江高科技园": (1, Decimal("30000000.25")),
            "园区外": (2, Decimal("8000000.00")),
        }

    def test_key_enterprises_are_counted_per_year_across_industries(self, pujiang_2023):
        assert (pujiang_2023["key_enterprises"], pujiang_2023["key_enterprises_biomedical"]) == (2, 1)
        by_year = {
            row["year"]: (row["total"], row["biomedical"], row["other"])
            for row in pujiang_2023["key_enterprises_by_year"]
        }
        assert by_year[2022] == (1, 1, 0)
        assert by_year[2023] == (2, 1, 1)
        assert by_year[2019] == (0, 0, 0)

    def test_top_enterprises_are_ordered_by_revenue(self, pujiang_2023, cluster):
        top = pujiang_2023["top_enterprises"]
        assert [row["enterprise_id"] for row in top] == [cluster["A"].pk, cluster["B"].pk, cluster["D"].pk]
        assert top[0]["revenue_yuan"] == Decimal("150000000.50")

    def test_the_default_year_is_the_latest_with_approved_reports(self, cluster):
        assert selectors.available_years() == [2019, 2020, 2021, 2022, 2023]

    def test_stats_gives_clusters_as_name_to_count(self, cluster):
        stats = selectors.stats(factories.region("pujiang"), 2023)
        assert stats["clusters"] == {"医疗器械与设备": 2, "健康医疗服务": 1, "化学药物与生物制品": 1}


@pytest.mark.django_db
class TestTownChoice:
    def test_a_district_officer_lands_on_the_town_with_most_biomedical_enterprises(self, cluster, district_officer):
        assert selectors.cockpit_town(user=district_officer).code == "pujiang"

    def test_a_town_officer_lands_on_his_own_town(self, cluster, xinzhuang_officer):
        assert [t.code for t in selectors.cockpit_towns(user=xinzhuang_officer)] == ["xinzhuang"]
        assert selectors.cockpit_town(user=xinzhuang_officer).code == "xinzhuang"

    def test_the_command_line_finds_a_town_by_code_or_name(self, db):
        assert selectors.town_lookup("浦江镇").code == "pujiang"
        assert selectors.town_lookup("pujiang").name == "浦江镇"
        assert selectors.town_lookup("闵行区") is None  # a district is not a town
        assert selectors.town_lookup("nowhere") is None
