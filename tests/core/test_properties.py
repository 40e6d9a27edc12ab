"""Property tests (hypothesis) of the validators and parsers that read what people type or upload: they
refuse bad input only with their own error type, accept what they produce, and agree with python-stdnum."""

import string
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, example, given
from hypothesis import strategies as st
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from sanlian.core import masking
from sanlian.core.fields import MAX_YUAN, to_yuan
from sanlian.core.rowpipe import (
    BOOL,
    CHOICE,
    DATE,
    DECIMAL,
    INT,
    MONEY,
    TEXT,
    CellError,
    Column,
    parse_cell,
    parse_decimal,
    parse_int,
    parse_money,
)
from sanlian.core.sheets import column_index, column_letters, compact, normalise, parse_date
from sanlian.core.validators import check_uscc, validate_id_number

# What a cell can hold once read from a workbook or a CSV: text, numbers, booleans, dates, nothing.
CELLS = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.text(alphabet="0123456789.,-+ eE万元¥年月日/：:１２３", max_size=16),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.decimals(allow_nan=True, allow_infinity=True),
)


def ric_number(birth: date, serial: int) -> str:
    stem = f"110105{birth:%Y%m%d}{serial:03d}"  # 北京市朝阳区, a county code valid for every birth year here
    return stem + ric.calc_check_digit(stem + "0")  # stdnum's calc_check_digit ignores the last character


class TestMoney:
    @given(st.one_of(CELLS, st.text(alphabet="0123456789.,- ", max_size=20)))
    @example("1e400")
    @example("NaN")
    @example("-0")
    def test_to_yuan_refuses_only_with_a_validation_error_and_returns_a_fen_amount(self, value):
        try:
            amount = to_yuan(value)
        except ValidationError as exc:
            assert exc.messages  # a message to show next to the field
            return
        assert amount.is_finite() and 0 <= amount < MAX_YUAN
        assert amount == amount.quantize(Decimal("0.01"))

    @given(st.decimals(min_value=0, max_value=MAX_YUAN - 1, places=2))
    def test_an_amount_written_with_thousands_separators_reads_back_the_same(self, amount):
        assert to_yuan(f"{amount:,}") == amount


class TestCells:
    @given(CELLS)
    def test_number_parsers_refuse_only_with_a_cell_error(self, value):
        parsers = (parse_int, parse_decimal, lambda v: parse_money(v, "元"), lambda v: parse_money(v, "万元"))
        for parse, kind in zip(parsers, (int, Decimal, Decimal, Decimal), strict=True):
            try:
                parsed = parse(value)
            except CellError as exc:
                assert exc.code
            else:
                assert parsed is None or isinstance(parsed, kind)

    @given(CELLS, st.sampled_from([TEXT, INT, DECIMAL, MONEY, DATE, BOOL, CHOICE]))
    def test_any_cell_of_any_column_kind_parses_or_is_refused_with_a_cell_error(self, value, kind):
        column = Column("x", "字段", kind=kind, max_length=10, choices={"A": "a", "是": "yes"})
        try:
            parse_cell(column, value)
        except CellError as exc:
            assert exc.code

    @given(st.integers(min_value=-(10**15), max_value=10**15))
    def test_an_integer_reads_back_as_typed_with_or_without_separators(self, number):
        assert parse_int(str(number)) == number == parse_int(f"{number:,}")

    @given(st.integers(min_value=0, max_value=10**15))
    def test_money_in_yuan_and_in_wan_yuan_agree(self, fen):
        yuan = Decimal(fen) / 100
        assert parse_money(f"{yuan:f}", "元") == yuan
        assert parse_money(f"{yuan / 10000:f}", "万元") == yuan


class TestDates:
    @given(st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)))
    def test_a_date_written_the_ways_people_write_it_reads_back(self, day):
        for text in (
            day.isoformat(),
            f"{day.year}/{day.month}/{day.day}",
            f"{day.year}.{day.month:02d}.{day.day:02d}",
            f"{day.year}年{day.month}月{day.day}日",
            f"{day:%Y%m%d}",
            day.isoformat().translate(str.maketrans("0123456789-", "０１２３４５６７８９－")),
        ):
            assert parse_date(text) == day, text

    @given(CELLS)
    def test_a_date_cell_is_a_date_nothing_or_a_value_error(self, value):
        try:
            parsed = parse_date(value)
        except (ValueError, OverflowError):
            return
        assert parsed is None or isinstance(parsed, date)
        if isinstance(value, datetime):
            assert parsed == value.date()


class TestText:
    @given(st.text(max_size=40))
    def test_normalising_and_compacting_twice_changes_nothing(self, text):
        assert normalise(normalise(text)) == normalise(text)
        assert compact(compact(text)) == compact(text)
        assert " " not in compact(text) and not normalise(text).startswith(" ")

    @given(st.integers(min_value=0, max_value=18_277))
    def test_column_letters_and_indexes_are_inverse(self, index):
        letters = column_letters(index)
        assert set(letters) <= set(string.ascii_uppercase) and column_index(letters) == index


class TestIdNumbers:
    @given(st.dates(min_value=date(1900, 1, 1), max_value=date(2024, 12, 31)), st.integers(0, 999))
    def test_every_well_formed_id_number_is_accepted(self, birth, serial):
        number = ric_number(birth, serial)
        assert validate_id_number(number) == number
        assert ric.get_birth_date(number) == birth

    @given(st.text(alphabet="0123456789Xx -", min_size=15, max_size=20))
    @example("11010519491231002X")
    @example("110105194913310021")
    def test_any_text_is_judged_exactly_as_python_stdnum_judges_it(self, text):
        try:
            expected = ric.validate(text)
        except StdnumError:
            with pytest.raises(ValidationError):
                validate_id_number(text)
        else:
            assert validate_id_number(text) == expected

    @given(st.dates(min_value=date(1900, 1, 1), max_value=date(2024, 12, 31)), st.integers(0, 999), st.data())
    def test_a_wrong_check_character_is_refused(self, birth, serial, data):
        number = ric_number(birth, serial)
        wrong = data.draw(st.sampled_from([c for c in "0123456789X" if c != number[-1]]))
        with pytest.raises(ValidationError):
            validate_id_number(number[:-1] + wrong)


class TestUscc:
    @given(st.one_of(st.text(max_size=25), st.none()))
    def test_any_text_is_normalised_or_refused_with_a_validation_error(self, text):
        try:
            check = check_uscc(text)
        except ValidationError as exc:
            assert exc.code == "uscc_format"
            return
        assert len(check.code) == 18


class TestMasks:
    @given(st.text(alphabet="0123456789", min_size=7, max_size=15))
    def test_a_masked_phone_keeps_its_length_and_hides_the_middle(self, phone):
        masked = masking.mask_phone(phone)
        assert len(masked) == len(phone) and masked[:3] == phone[:3] and masked[-4:] == phone[-4:]
        assert set(masked[3:-4]) <= {"*"}

    @given(st.dates(min_value=date(1900, 1, 1), max_value=date(2024, 12, 31)), st.integers(0, 999))
    def test_a_masked_id_number_hides_the_birth_date(self, birth, serial):
        number = ric_number(birth, serial)
        masked = masking.mask_id_number(number)
        assert f"{birth:%Y%m%d}" not in masked and len(masked) == 18

    @given(st.emails())
    def test_a_masked_email_keeps_only_the_first_character_and_the_domain(self, email):
        local, domain = email.split("@", 1)
        assume(len(local) > 1)
        assert masking.mask_email(email) == f"{local[0]}***@{domain}"

    @given(st.text(min_size=2, max_size=10).filter(lambda t: t.strip() == t and len(t) > 1))
    def test_a_masked_name_keeps_only_its_first_character(self, name):
        masked = masking.mask_name(name)
        assert masked[0] == name[0] and set(masked[1:]) == {"*"} and len(masked) == len(name)
        assert masking.mask_name(masked) == masked  # erasing twice changes nothing
