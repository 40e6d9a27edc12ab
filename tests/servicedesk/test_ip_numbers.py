"""Official IP numbers, default terms and the reusable sheet parsers (sanlian.core.sheets)."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from sanlian.core.sheets import EXCEL_EPOCH, compact, find_header, normalise, parse_date, trim_blank_rows
from sanlian.servicedesk.ip_numbers import check_character, default_expiry, filing_year, normalise_number

from .ip_helpers import patent_number


def test_the_check_character_matches_published_cnipa_examples():
    assert check_character("201710601862") == "3"  # application 201710601862.3
    assert check_character("95115608") == "X"  # the old eight-digit format, remainder 10 → X


@pytest.mark.parametrize(
    "typed",
    ["ZL202310123456.6", "202310123456.6", "zl 2023 1012 3456.6", "ＺＬ２０２３１０１２３４５６．６", "2023101234566"],
)
def test_a_patent_number_is_accepted_in_every_usual_spelling_and_stored_one_way(typed):
    assert normalise_number("invention", typed) == "202310123456.6"


def test_a_wrong_check_character_is_refused_with_the_expected_one():
    with pytest.raises(ValidationError) as exc:
        normalise_number("invention", "202310123456.5")
    assert "6" in exc.value.messages[0]


def test_a_number_whose_type_digit_contradicts_the_kind_is_refused():
    with pytest.raises(ValidationError) as exc:
        normalise_number("invention", patent_number("utility"))
    assert "实用新型" in exc.value.messages[0] or "2" in exc.value.messages[0]


def test_pct_numbers_are_accepted_for_their_kind_and_state_no_filing_year():
    digits = "202380012345"
    number = normalise_number("invention", f"{digits}.{check_character(digits)}")
    assert filing_year("invention", number) is None
    assert filing_year("invention", patent_number(year=2019)) == 2019


@pytest.mark.parametrize(
    ("kind", "typed", "stored"),
    [
        ("trademark", "第61234567号", "61234567"),
        ("trademark", "０１２３４５", "12345"),
        ("software", "2023sr0123456", "2023SR0123456"),
        ("software", "软著登字第1234567号2023SR0123456", "2023SR0123456"),
        ("foreign", "us 11,234,567 b2".replace(",", ""), "US11234567B2"),
    ],
)
def test_trademark_software_and_foreign_numbers_are_normalised(kind, typed, stored):
    assert normalise_number(kind, typed) == stored


@pytest.mark.parametrize(("kind", "typed"), [("trademark", "TM123"), ("software", "2023-0123456"), ("foreign", "1234")])
def test_malformed_numbers_are_refused(kind, typed):
    with pytest.raises(ValidationError):
        normalise_number(kind, typed)


def test_default_terms_follow_the_patent_law_and_the_trademark_law():
    assert default_expiry("invention", filing_date=date(2023, 3, 1), grant_date=None) == date(2043, 2, 28)
    assert default_expiry("utility", filing_date=date(2020, 1, 15), grant_date=None) == date(2030, 1, 14)
    assert default_expiry("design", filing_date=date(2021, 6, 1), grant_date=None) == date(2036, 5, 31)
    assert default_expiry("design", filing_date=date(2021, 5, 31), grant_date=None) == date(2031, 5, 30)
    assert default_expiry("trademark", filing_date=date(2019, 1, 1), grant_date=date(2020, 2, 29)) == date(2030, 2, 27)
    assert default_expiry("software", filing_date=None, grant_date=date(2023, 1, 1)) is None
    assert default_expiry("invention", filing_date=None, grant_date=None) is None


@given(
    st.integers(min_value=0, max_value=9_999_999), st.integers(min_value=2004, max_value=2030), st.sampled_from("123")
)
def test_every_generated_application_number_passes_and_any_other_check_character_fails(serial, year, digit):
    digits = f"{year}{digit}{serial:07d}"
    kind = {"1": "invention", "2": "utility", "3": "design"}[digit]
    good = check_character(digits)
    assert normalise_number(kind, f"ZL{digits}.{good}") == f"{digits}.{good}"
    for wrong in "0123456789X":
        if wrong != good:
            with pytest.raises(ValidationError):
                normalise_number(kind, f"{digits}.{wrong}")


DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))


@given(DAYS)
def test_a_date_reads_back_from_every_spelling_officers_type(day):
    spellings = [
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month:02d}.{day.day:02d}",
        f"{day.year}年{day.month}月{day.day}日",
        day.strftime("%Y%m%d"),
        normalise(day.isoformat()).translate(str.maketrans("0123456789-", "０１２３４５６７８９－")),
        f" {day.isoformat()} ",
    ]
    for text in spellings:
        assert parse_date(text) == day, text
    serial = (day - EXCEL_EPOCH).days
    assert parse_date(serial) == day
    assert parse_date(float(serial)) == day
    assert parse_date(str(serial)) == day
    assert parse_date(datetime.combine(day, datetime.min.time())) == day


@given(st.text(alphabet="abcxyz!?#", min_size=1))
def test_text_that_is_no_date_is_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize("value", ["2023-02-30", "2023/13/01", 0, -5, 45000.5, True])
def test_impossible_dates_and_serials_are_refused(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_blank_cells_are_no_date():
    assert parse_date(None) is None and parse_date("  ") is None


@given(st.text(alphabet="ＡＢＣａｂｃ０１２３　 abc123", max_size=30))
def test_normalising_is_idempotent_and_leaves_no_full_width_or_double_space(text):
    once = normalise(text)
    assert normalise(once) == once
    assert "　" not in once and "  " not in once and once == once.strip()
    assert not any("\uff01" <= ch <= "\uff5e" for ch in once)


def test_identifiers_lose_inner_spaces_and_become_upper_case():
    assert compact(" ９１３１ ０１１２ ma1g ") == "91310112MA1G"
    assert normalise(2023.0) == "2023" and normalise(None) == ""


@given(st.integers(min_value=0, max_value=15), st.lists(st.sampled_from(["", None, "说明"]), max_size=3))
def test_the_header_is_found_below_any_title_block(offset, filler):
    rows = [[f"标题{i}", *filler] for i in range(offset)] + [
        ["序号", " 统一社会 信用代码", "类 型", "号码"],
        ["1", "x", "y", "z"],
    ]
    found = find_header(rows, ["统一社会信用代码", "类型", "号码"])
    assert found is not None
    index, columns = found
    assert index == offset and columns["类型"] == 2


def test_no_header_is_reported_as_none_and_trailing_blank_rows_are_dropped():
    assert find_header([["a", "b"]], ["统一社会信用代码"]) is None
    rows = trim_blank_rows([["a"], ["", None], ["b"], ["", " "], [None]])
    assert rows == [["a"], ["", None], ["b"]]


def test_serials_count_from_excels_epoch():
    assert parse_date(45000) == date(2023, 3, 15)
    assert EXCEL_EPOCH + timedelta(days=1) == date(1899, 12, 31)
