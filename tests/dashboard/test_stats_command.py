"""`sanlian stats`: the cockpit figures as one JSON object (or a readable table) on the command line."""

import json
import subprocess
import sys
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sanlian.dashboard.management.commands.stats import exact_json

REQUIRED = {
    "biomedical_enterprises",
    "biomedical_revenue_yuan",
    "district_biomedical_enterprises",
    "district_share",
    "clusters",
    "key_enterprises",
    "key_enterprises_biomedical",
}


def _stats(*args) -> str:
    out = StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class TestStatsCommand:
    def test_json_output_has_the_required_keys_and_values(self, cluster):
        data = json.loads(_stats("--town", "浦江镇", "--year", "2023", "--json"), parse_float=Decimal)
        assert set(data) >= REQUIRED
        assert data["biomedical_enterprises"] == 4
        assert data["biomedical_revenue_yuan"] == Decimal("188000000.75")
        assert data["district_biomedical_enterprises"] == 5
        assert data["district_share"] == Decimal("0.8")
        assert data["clusters"] == {"医疗器械与设备": 2, "健康医疗服务": 1, "化学药物与生物制品": 1}
        assert (data["key_enterprises"], data["key_enterprises_biomedical"]) == (2, 1)

    def test_money_is_written_as_its_exact_decimal_literal(self, cluster):
        text = _stats("--town", "pujiang", "--year", "2023", "--json")
        assert '"biomedical_revenue_yuan": 188000000.75' in text

    def test_the_year_defaults_to_the_latest_with_approved_reports(self, cluster):
        assert json.loads(_stats("--town", "pujiang", "--json"))["year"] == 2023

    def test_without_json_it_prints_a_readable_chinese_table(self, cluster):
        text = _stats("--town", "浦江镇", "--year", "2023")
        assert "生物医药企业数" in text and "188,000,000.75" in text and "80.00%" in text

    def test_an_unknown_town_is_a_clear_error(self, cluster):
        with pytest.raises(CommandError, match="未知的镇/街道:青浦"):
            _stats("--town", "青浦", "--json")

    def test_a_year_out_of_range_is_a_clear_error(self, cluster):
        with pytest.raises(CommandError, match="年度"):
            _stats("--town", "pujiang", "--year", "1999")


def test_exact_json_writes_decimals_as_number_literals_without_exponents():
    text = exact_json({"a": Decimal("1E+3"), "b": [Decimal("0.10"), None, 0.25, "浦江"]})
    assert text == '{"a": 1000, "b": [0.10, null, 0.25, "浦江"]}'
    assert json.loads(text, parse_float=Decimal)["b"][0] == Decimal("0.10")


def test_an_unknown_town_exits_with_a_non_zero_code(tmp_path):
    env = {"SANLIAN_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    migrate = subprocess.run(
        [sys.executable, "-m", "sanlian", "migrate", "-v", "0"], env=env, capture_output=True, text=True
    )
    assert migrate.returncode == 0, migrate.stderr
    result = subprocess.run(
        [sys.executable, "-m", "sanlian", "stats", "--town", "青浦", "--json"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "未知的镇/街道" in result.stderr
