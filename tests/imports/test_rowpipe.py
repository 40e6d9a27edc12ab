"""The Django-free row pipeline: money in 元/万元 exactly, integers, booleans, header aliases and units."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanlian.core.rowpipe import MONEY, CellError, Column, locate_header, parse_bool, parse_int, parse_money
from sanlian.core.sheets import column_index, column_letters, fill_merged


@given(fen=st.integers(min_value=0, max_value=10**16 - 1))
def test_an_amount_in_wan_yuan_typed_as_text_becomes_the_exact_yuan_amount(fen):
    yuan = Decimal(fen) / 100
    wan = yuan / 10000

    assert parse_money(f"{wan:f}", "万元") == yuan


@given(yuan=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_a_yuan_amount_read_from_a_float_cell_keeps_its_typed_digits(yuan):
    assert parse_money(float(yuan), "元") == yuan


def test_finer_than_a_fen_negative_and_non_numbers_are_refused_with_their_reason():
    codes = []
    for value, unit in (("1.2345678", "万元"), ("-5", "元"), ("abc", "元"), ("0.001", "元")):
        with pytest.raises(CellError) as exc:
            parse_money(value, unit)
        codes.append(exc.value.code)

    assert codes == ["money_fen", "money_negative", "decimal", "money_fen"]
    assert parse_money("1,234.5", "元") == Decimal("1234.50") and parse_money("", "元") is None


def test_integers_and_booleans_read_the_ways_people_type_them():
    assert [parse_int(v) for v in ("１２", 12.0, "1,200", "")] == [12, 12, 1200, None]
    assert [parse_bool(v) for v in ("是", "否", "Y", "√", "")] == [True, False, True, True, None]
    with pytest.raises(CellError):
        parse_int("12.5")


def test_a_header_is_found_below_a_title_by_alias_and_declares_its_money_unit():
    columns = (Column("uscc", "统一社会信用代码", required=True, aliases=("信用代码",)),
               Column("capital", "注册资本", kind=MONEY))  # fmt: skip
    rows = [["名录"], ["信用 代码", "注册资本(万元)"]]

    mapping = locate_header(rows, columns)

    assert (mapping.header_row, mapping.positions, mapping.units) == (1, {"uscc": 0, "capital": 1}, {"capital": "万元"})


def test_a_merged_region_is_filled_with_its_top_left_value_and_columns_are_named_like_excel():
    rows = fill_merged([["a", ""], ["", ""]], [((0, 0), (1, 1))])

    assert rows == [["a", "a"], ["a", "a"]]
    assert (column_letters(0), column_letters(27), column_index("AB")) == ("A", "AB", 27)
