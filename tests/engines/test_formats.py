"""The format engine: money, numbers, percentages and dates per language (pure Python, no Django)."""

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanlian.engines.formats import (
    BLANK,
    UNITS,
    day,
    language,
    money,
    money_unit,
    money_value,
    number,
    parse_day,
    parse_money,
    parse_number,
    parse_when,
    percent,
    when,
)

LANGS = ("zh", "en")
# Amounts in fen up to a trillion yuan, positive and negative.
AMOUNTS = st.integers(min_value=-(10**14), max_value=10**14).map(lambda fen: Decimal(fen) / 100)
COLUMN_DIVISORS = {"zh": {"yuan": 1, "wan": 10**4, "yi": 10**8}, "en": {"yuan": 1, "wan": 10**3, "yi": 10**6}}
DIVISORS = {"元": 1, "万元": 10**4, "亿元": 10**8, "": 1, "million": 10**6, "billion": 10**9}


def shown_divisor(text: str) -> int:
    """The unit ``money`` picked, read back from its label."""
    if text.startswith("CNY "):
        words = text.split(" ")
        return DIVISORS[words[2] if len(words) > 2 else ""]
    return DIVISORS[re.sub(r"^[-0-9,.]+", "", text)]


class TestExamples:
    @pytest.mark.parametrize(
        ("amount", "zh", "en"),
        [
            (0, "0元", "CNY 0"),
            (800, "800元", "CNY 800"),
            (Decimal("800.5"), "800.50元", "CNY 800.50"),
            (12_500, "1.25万元", "CNY 12,500"),
            (1_250_000, "125.00万元", "CNY 1.25 million"),
            (Decimal("188000000.75"), "1.88亿元", "CNY 188.00 million"),
            (5_400_000_000, "54.00亿元", "CNY 5.40 billion"),
            (-12_500, "-1.25万元", "CNY -12,500"),
        ],
    )
    def test_money_picks_the_unit_by_magnitude(self, amount, zh, en):
        assert money(amount, "zh") == zh
        assert money(amount, "en") == en

    def test_rounding_that_reaches_the_next_unit_moves_to_it(self):
        assert money(Decimal("99999999.99"), "zh") == "1.00亿元"  # not 10,000.00万元
        assert money(Decimal("9999.995"), "zh") == "1.00万元"
        assert money(Decimal("999999.999"), "en") == "CNY 1.00 million"

    def test_a_column_keeps_one_unit(self):
        assert money_value(Decimal("12345678"), "zh", "wan") == "1,234.57"
        assert money_value(Decimal("12345678"), "en", "wan") == "12,345.68"  # CNY thousand
        assert money_value(Decimal("540000000"), "en", "yi") == "540.00"  # CNY million
        assert money(Decimal("5000000"), "zh", "wan") == "500.00万元"
        assert money(Decimal("5000000"), "en", "wan") == "CNY 5,000.00 thousand"
        assert money(20_000, "en", "yuan") == "CNY 20,000.00"
        assert [money_unit(lang, unit) for lang in LANGS for unit in UNITS] == [
            "元", "万元", "亿元", "CNY", "CNY thousand", "CNY million",
        ]  # fmt: skip

    def test_an_unknown_column_unit_is_refused(self):
        with pytest.raises(ValueError, match="unknown money unit"):
            money(1, "zh", "qian")

    def test_numbers_percentages_and_dates(self):
        assert number(1234567) == number(1234567, "en") == "1,234,567"
        assert number(Decimal("1234.5")) == "1,234.5"
        assert number(Decimal("2.345"), places=2) == "2.35"
        assert number(Decimal("1E+3")) == "1,000"
        assert percent(Decimal("0.125")) == "12.5%"
        assert percent(Decimal("0.03"), signed=True) == "+3.0%" and percent(Decimal("-0.03"), signed=True) == "-3.0%"
        assert percent(Decimal("0.8"), "en", digits=2) == "80.00%"
        assert day(dt.date(2026, 12, 6)) == "2026年12月6日"
        assert day(dt.date(2026, 12, 6), "en") == "6 Dec 2026"
        assert when(dt.datetime(2026, 12, 6, 14, 5)) == "2026年12月6日 14:05"
        assert when(dt.datetime(2026, 12, 6, 14, 5), "en") == "6 Dec 2026, 14:05"
        assert when(dt.date(2026, 1, 9), "en") == "9 Jan 2026"  # a plain date has no time
        assert day("2026-03-01", "zh") == "2026年3月1日"  # ISO text, as JSON carries it

    def test_language_codes(self):
        assert [language(c) for c in ("en", "en-gb", "EN_us", "zh-hans", "zh", None, "", "fr")] == [
            "en", "en", "en", "zh", "zh", "zh", "zh", "zh",
        ]  # fmt: skip

    @pytest.mark.parametrize("blank", [None, "", "   "])
    @pytest.mark.parametrize("lang", LANGS)
    def test_a_missing_value_is_a_dash(self, blank, lang):
        assert BLANK == "—"
        written = [
            money(blank, lang), money(blank, lang, "wan"), money_value(blank, lang, "yi"),
            number(blank, lang), percent(blank, lang), day(blank, lang), when(blank, lang),
        ]  # fmt: skip
        assert written == [BLANK] * 7

    def test_not_a_number_is_refused_not_guessed(self):
        for bad in ("abc", "1.2.3", "NaN", "Infinity", True, object()):
            with pytest.raises((ValueError, TypeError)):
                money(bad, "zh")


class TestNoFloatDrift:
    def test_floats_are_read_as_they_print(self):
        assert money(0.1 + 0.2, "zh") == "0.30元"
        assert money(1.005, "zh") == "1.01元"  # f"{1.005:.2f}" is "1.00": binary float drift
        assert money(2.675, "en") == "CNY 2.68"  # round(2.675, 2) is 2.67
        assert percent(0.145, digits=1) == "14.5%" and percent(0.0285, digits=2) == "2.85%"

    @settings(max_examples=300, deadline=None)
    @given(AMOUNTS, st.sampled_from(LANGS))
    def test_a_float_with_two_decimals_writes_like_its_decimal(self, amount, lang):
        assert money(float(amount), lang) == money(amount, lang)
        assert money_value(float(amount), lang, "wan") == money_value(amount, lang, "wan")

    @settings(max_examples=200, deadline=None)
    @given(st.integers(min_value=0, max_value=10**12))
    def test_large_whole_amounts_are_exact(self, fen_free):
        # No float ever holds the amount: a 16-digit value keeps its last digit.
        amount = Decimal(10**15 + fen_free)
        assert parse_money(money(amount, "zh", "yuan"), "zh") == amount
        assert parse_money(money(amount, "en", "yuan"), "en") == amount


class TestRoundTrips:
    @settings(max_examples=500, deadline=None)
    @given(AMOUNTS, st.sampled_from(LANGS))
    def test_money_reads_back_within_half_a_shown_step(self, amount, lang):
        text = money(amount, lang)
        back = parse_money(text, lang)
        step = Decimal("0.01") * shown_divisor(text)
        assert abs(back - amount) <= step / 2, (amount, text)

    @settings(max_examples=300, deadline=None)
    @given(AMOUNTS, st.sampled_from(LANGS))
    def test_yuan_amounts_below_the_first_step_read_back_exactly(self, amount, lang):
        small = amount % 10_000
        assert parse_money(money(small, lang), lang) == small

    @settings(max_examples=300, deadline=None)
    @given(AMOUNTS, st.sampled_from(LANGS), st.sampled_from(UNITS))
    def test_a_column_value_reads_back_exactly_rounded(self, amount, lang, unit):
        divisor = COLUMN_DIVISORS[lang][unit]
        expected = (amount / divisor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert parse_number(money_value(amount, lang, unit)) == expected
        assert parse_money(money(amount, lang, unit), lang) == expected * divisor

    @settings(max_examples=300, deadline=None)
    @given(st.integers(min_value=-(10**12), max_value=10**12), st.integers(min_value=0, max_value=4))
    def test_numbers_read_back(self, scaled, places):
        value = Decimal(scaled).scaleb(-places)
        text = number(value, places=places)
        assert parse_number(text) == value
        assert re.fullmatch(r"-?\d{1,3}(,\d{3})*(\.\d+)?", text), text

    @settings(max_examples=300, deadline=None)
    @given(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(9999, 12, 31)), st.sampled_from(LANGS))
    def test_dates_read_back(self, moment, lang):
        assert parse_day(day(moment.date(), lang), lang) == moment.date()
        assert parse_when(when(moment, lang), lang) == moment.replace(second=0, microsecond=0)


class TestMonotonicity:
    @settings(max_examples=500, deadline=None)
    @given(AMOUNTS, AMOUNTS, st.sampled_from(LANGS), st.sampled_from((None, *UNITS)))
    def test_a_larger_amount_never_reads_smaller(self, a, b, lang, unit):
        low, high = sorted((a, b))
        assert parse_money(money(low, lang, unit), lang) <= parse_money(money(high, lang, unit), lang)

    @settings(max_examples=300, deadline=None)
    @given(st.dates(min_value=dt.date(1000, 1, 1)), st.dates(min_value=dt.date(1000, 1, 1)), st.sampled_from(LANGS))
    def test_dates_keep_their_order(self, a, b, lang):
        low, high = sorted((a, b))
        assert parse_day(day(low, lang), lang) <= parse_day(day(high, lang), lang)
