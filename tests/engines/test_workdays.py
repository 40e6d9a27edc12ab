"""The working-day calendar (sanlian.engines.workdays): Chinese holidays, 调休 make-up days, SLA clocks.

Pure Python: no database. Expected dates are written out by hand from the State Council notices
(国办发明电〔2023〕7号 for 2024, 国办发明电〔2024〕12号 for 2025, the notice of 2025-11-04 for 2026).
"""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanlian.engines.workdays import (
    FESTIVALS,
    HolidayDataError,
    OutsideCalendarError,
    WorkCalendar,
    default_calendar,
    load_calendar,
    parse_calendar,
)

CAL = load_calendar()
D = date


def at(y, m, d, hh=0, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm)


# -- the data --------------------------------------------------------------------------------------------


def test_data_covers_2024_to_2026_all_confirmed():
    assert CAL.covered_years == (2024, 2025, 2026)
    assert CAL.unverified_years == frozenset()
    assert default_calendar() is default_calendar()


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_every_festival_is_in_every_year(year):
    names = set()
    d = D(year, 1, 1)
    while d.year == year:
        if (name := CAL.festival(d)) is not None:
            names.update(name.split("、"))
        d += timedelta(days=1)
    assert names == FESTIVALS


@pytest.mark.parametrize(("year", "count"), [(2024, 251), (2025, 248), (2026, 248)])
def test_working_days_per_year(year, count):
    # Counted by hand: weekdays in the year, minus holidays on weekdays, plus make-up weekend days.
    days = [D(year, 1, 1) + timedelta(days=i) for i in range(366)]
    assert sum(CAL.is_working_day(d) for d in days if d.year == year) == count


# -- days ------------------------------------------------------------------------------------------------


def test_monday_to_friday_default():
    week = [D(2025, 3, 10) + timedelta(days=i) for i in range(7)]  # Mon 10 March … Sun 16 March 2025
    assert [CAL.is_working_day(d) for d in week] == [True] * 5 + [False] * 2
    plain = WorkCalendar({}, years=[2030])
    assert plain.is_working_day(D(2030, 1, 1))  # no data: a Tuesday is a working day
    assert not plain.is_working_day(D(2030, 1, 5))


@pytest.mark.parametrize(
    ("d", "festival"),
    [
        (D(2024, 1, 1), "元旦"),  # Monday
        (D(2024, 6, 10), "端午节"),  # Monday
        (D(2024, 9, 17), "中秋节"),  # Tuesday
        (D(2025, 1, 1), "元旦"),  # Wednesday
        (D(2025, 1, 28), "春节"),  # Tuesday, 除夕
        (D(2025, 2, 4), "春节"),  # Tuesday, 正月初七
        (D(2025, 10, 8), "国庆节、中秋节"),  # Wednesday
        (D(2026, 2, 23), "春节"),  # Monday
        (D(2026, 10, 7), "国庆节"),  # Wednesday
    ],
)
def test_holiday_on_a_weekday_is_not_working(d, festival):
    assert d.weekday() < 5
    assert not CAL.is_working_day(d)
    assert CAL.festival(d) == festival


@pytest.mark.parametrize(
    "d",
    [D(2024, 2, 4), D(2024, 5, 11), D(2025, 1, 26), D(2025, 2, 8), D(2025, 9, 28), D(2025, 10, 11), D(2026, 1, 4)],
)
def test_make_up_weekend_day_is_working(d):
    assert d.weekday() >= 5
    assert CAL.is_working_day(d)


def test_eve_2024_stays_a_working_day():
    assert CAL.is_working_day(D(2024, 2, 9))  # 除夕 2024 was only "encouraged" as leave
    assert CAL.festival(D(2024, 2, 9)) is None


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Spring Festival 2025: 26 Jan (Sun) works, 28 Jan … 4 Feb off, 8 Feb (Sat) works.
        (D(2025, 1, 27), 1, D(2025, 2, 5)),
        (D(2025, 1, 27), 0, D(2025, 1, 27)),
        (D(2025, 1, 24), 1, D(2025, 1, 26)),
        (D(2025, 1, 24), 2, D(2025, 1, 27)),
        (D(2025, 1, 25), 0, D(2025, 1, 26)),  # Saturday → the make-up Sunday
        (D(2025, 1, 28), 0, D(2025, 2, 5)),
        (D(2025, 1, 30), 1, D(2025, 2, 5)),
        (D(2025, 2, 7), 1, D(2025, 2, 8)),
        (D(2025, 2, 7), 2, D(2025, 2, 10)),
        (D(2025, 1, 27), 5, D(2025, 2, 10)),  # 5 Feb, 6, 7, 8 (Sat), 10
        # National Day 2025: 28 Sep (Sun) works, 1 … 8 Oct off, 11 Oct (Sat) works.
        (D(2025, 9, 26), 1, D(2025, 9, 28)),
        (D(2025, 9, 28), 1, D(2025, 9, 29)),
        (D(2025, 9, 30), 1, D(2025, 10, 9)),
        (D(2025, 10, 1), 0, D(2025, 10, 9)),
        (D(2025, 10, 10), 1, D(2025, 10, 11)),
        (D(2025, 10, 11), 1, D(2025, 10, 13)),
        (D(2025, 9, 30), 3, D(2025, 10, 11)),
        # Across a year boundary inside the data.
        (D(2024, 12, 31), 1, D(2025, 1, 2)),
    ],
)
def test_add_working_days(start, n, expected):
    assert CAL.add_working_days(start, n) == expected


def test_add_working_days_rejects_bad_n():
    for n in (-1, 1.5, True):
        with pytest.raises(ValueError):
            CAL.add_working_days(D(2025, 3, 3), n)


def test_working_days_between():
    assert CAL.working_days_between(D(2025, 1, 27), D(2025, 2, 5)) == 1
    assert CAL.working_days_between(D(2025, 9, 30), D(2025, 10, 9)) == 1
    assert CAL.working_days_between(D(2025, 10, 1), D(2025, 10, 8)) == 0
    assert CAL.working_days_between(D(2025, 3, 10), D(2025, 3, 17)) == 5  # Mon → next Mon
    assert CAL.working_days_between(D(2024, 1, 1), D(2026, 12, 31)) == 251 + 248 + 248  # 1 Jan 2024 was off


@pytest.mark.parametrize(
    ("a", "b"),
    [(D(2025, 1, 20), D(2025, 2, 10)), (D(2025, 9, 27), D(2025, 10, 12)), (D(2025, 3, 8), D(2025, 3, 9))],
)
def test_working_days_between_is_antisymmetric(a, b):
    assert CAL.working_days_between(a, a) == 0
    assert CAL.working_days_between(b, a) == -CAL.working_days_between(a, b)


def test_working_days_between_matches_a_day_by_day_count():
    a = D(2024, 12, 20)
    for k in range(0, 400, 7):
        b = a + timedelta(days=k)
        brute = sum(CAL.is_working_day(a + timedelta(days=i)) for i in range(1, k + 1))
        assert CAL.working_days_between(a, b) == brute


# -- coverage --------------------------------------------------------------------------------------------


def test_dates_outside_the_covered_years_raise():
    for call in (
        lambda: CAL.is_working_day(D(2023, 12, 29)),
        lambda: CAL.is_working_day(D(2027, 1, 4)),
        lambda: CAL.add_working_days(D(2026, 12, 31), 1),  # would need 2027's notice
        lambda: CAL.add_working_days(D(2027, 1, 4), 0),
        lambda: CAL.working_days_between(D(2026, 12, 1), D(2027, 1, 5)),
        lambda: CAL.deadline(at(2026, 12, 31, 10), 1),
        lambda: CAL.deadline(at(2023, 12, 29, 10), 1),
        lambda: CAL.elapsed_working_days(at(2026, 12, 30, 9), at(2027, 1, 5, 9)),
    ):
        with pytest.raises(OutsideCalendarError, match="outside|beyond"):
            call()
    assert issubclass(OutsideCalendarError, ValueError)
    assert CAL.add_working_days(D(2026, 12, 30), 1) == D(2026, 12, 31)
    assert not CAL.covers(D(2027, 1, 1))


def test_datetimes_are_not_dates():
    with pytest.raises(TypeError):
        CAL.is_working_day(at(2025, 3, 3, 10))


# -- SLA clocks ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (at(2025, 3, 10, 10), 0, at(2025, 3, 10, 18)),  # working day, in hours: same day
        (at(2025, 3, 10, 10), 1, at(2025, 3, 11, 18)),
        (at(2025, 3, 10, 0, 5), 1, at(2025, 3, 11, 18)),  # early morning counts that day
        (at(2025, 3, 10, 18), 1, at(2025, 3, 12, 18)),  # at day_end: counts from the next working day
        # Friday evening: counts from Monday.
        (at(2025, 3, 14, 19, 30), 0, at(2025, 3, 17, 18)),
        (at(2025, 3, 14, 19, 30), 1, at(2025, 3, 18, 18)),
        (at(2025, 3, 14, 17, 59), 1, at(2025, 3, 17, 18)),
        # Friday evening before the Spring Festival: counts from the make-up Sunday 26 Jan.
        (at(2025, 1, 24, 20), 1, at(2025, 1, 27, 18)),
        (at(2025, 1, 24, 20), 2, at(2025, 2, 5, 18)),
        # Received on a holiday: counts from the first working day after it.
        (at(2025, 10, 3, 10), 0, at(2025, 10, 9, 18)),
        (at(2025, 10, 3, 10), 1, at(2025, 10, 10, 18)),
        (at(2025, 10, 3, 10), 5, at(2025, 10, 15, 18)),  # receipt 9 Oct; then 10, 11 (Sat), 13, 14, 15
        (at(2025, 1, 29, 9), 1, at(2025, 2, 6, 18)),
        # Received on a make-up day: that day counts.
        (at(2025, 10, 11, 9), 0, at(2025, 10, 11, 18)),
        (at(2025, 10, 11, 9), 1, at(2025, 10, 13, 18)),
        (at(2025, 9, 28, 19), 1, at(2025, 9, 30, 18)),  # after hours on the make-up Sunday: receipt 29 Sep
        (at(2025, 9, 29, 19), 1, at(2025, 10, 9, 18)),  # receipt 30 Sep, then the holiday
    ],
)
def test_deadline(start, n, expected):
    assert CAL.deadline(start, n) == expected
    assert CAL.elapsed_working_days(start, expected) == n
    assert CAL.elapsed_working_days(start, expected + timedelta(seconds=1)) == n + 1


def test_deadline_with_another_day_end():
    assert CAL.deadline(at(2025, 3, 14, 17, 45), 1, day_end=time(17, 30)) == at(2025, 3, 18, 17, 30)
    assert CAL.deadline(at(2025, 3, 14, 17, 15), 1, day_end=time(17, 30)) == at(2025, 3, 17, 17, 30)


def test_elapsed_working_days():
    start = at(2025, 9, 30, 15)  # Tuesday before National Day
    assert CAL.elapsed_working_days(start, start) == 0
    assert CAL.elapsed_working_days(start, at(2025, 9, 30, 18)) == 0
    assert CAL.elapsed_working_days(start, at(2025, 10, 5, 12)) == 1  # holiday: completion day is 9 Oct
    assert CAL.elapsed_working_days(start, at(2025, 10, 9, 18)) == 1
    assert CAL.elapsed_working_days(start, at(2025, 10, 11, 9)) == 3  # 9, 10, 11 (make-up Sat)
    at_close = at(2025, 3, 10, 18)  # received exactly at day_end; answered in the same second
    assert CAL.elapsed_working_days(at_close, at_close) == 0


def test_sla_input_errors():
    with pytest.raises(ValueError, match="before start"):
        CAL.elapsed_working_days(at(2025, 3, 10, 12), at(2025, 3, 10, 11))
    aware = datetime(2025, 3, 10, 10, tzinfo=UTC)
    with pytest.raises(ValueError, match="naive"):
        CAL.deadline(aware, 1)
    with pytest.raises(ValueError, match="naive"):
        CAL.elapsed_working_days(at(2025, 3, 10, 9), aware)
    with pytest.raises(TypeError):
        CAL.deadline(D(2025, 3, 10), 1)


# -- properties ------------------------------------------------------------------------------------------

dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 10, 31))  # leaves room for n ≤ 40


@settings(max_examples=300, deadline=None)
@given(d=dates, n=st.integers(0, 40))
def test_add_then_count_round_trips(d, n):
    result = CAL.add_working_days(d, n)
    assert CAL.is_working_day(result)
    assert result >= d
    if CAL.is_working_day(d):
        assert CAL.working_days_between(d, result) == n
    else:
        assert CAL.working_days_between(d, result) == max(n, 1)
    if n:
        assert CAL.working_days_between(d, result - timedelta(days=1)) == n - 1


@settings(max_examples=300, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 10, 31)),
    minutes=st.integers(0, 60 * 24 * 60),
    n=st.integers(0, 20),
)
def test_deadline_agrees_with_elapsed(start, minutes, n):
    end = start + timedelta(minutes=minutes)
    due = CAL.deadline(start, n)
    assert due > start
    assert CAL.is_working_day(due.date()) and due.time() == time(18, 0)
    assert (end <= due) == (CAL.elapsed_working_days(start, end) <= n)


# -- loading and validating data -------------------------------------------------------------------------


def _year(year, days, verify=False):
    return {"years": {year: {"notice": "test", "verify": verify, "days": days}}}


def test_parse_calendar_builds_exceptions():
    cal = parse_calendar(
        _year(
            2030,
            [
                {"date": "2030-01-01", "type": "holiday", "festival": "元旦"},
                {"date": D(2030, 1, 5), "type": "workday", "festival": "元旦"},
            ],
        )
    )
    assert cal.covered_years == (2030,)
    assert not cal.is_working_day(D(2030, 1, 1))
    assert cal.is_working_day(D(2030, 1, 5))


def test_year_without_verify_false_is_unverified(tmp_path):
    path = tmp_path / "h.yaml"
    path.write_text("years:\n  2030:\n    days:\n      - {date: 2030-01-01, type: holiday, festival: 元旦}\n", "utf-8")
    assert load_calendar(path).unverified_years == {2030}
    assert parse_calendar(
        _year(2030, [{"date": "2030-01-01", "type": "holiday", "festival": "元旦"}], verify=True)
    ).unverified_years == {2030}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "years"),
        (_year(2030, [{"date": "2030-01-07", "type": "workday", "festival": "春节"}]), "weekday"),
        (_year(2030, [{"date": "2031-01-01", "type": "holiday", "festival": "元旦"}]), "listed under"),
        (_year(2030, [{"date": "2030-01-01", "type": "holiday", "festival": "元旦"}] * 2), "twice"),
        (_year(2030, [{"date": "2030-01-01", "type": "off", "festival": "元旦"}]), "type"),
        (_year(2030, [{"date": "2030-01-01", "type": "holiday", "festival": "圣诞节"}]), "festival"),
        (_year(2030, [{"date": "2030-13-01", "type": "holiday", "festival": "元旦"}]), "YYYY-MM-DD"),
        (_year(2030, [{"date": "2030-01-01", "type": "holiday", "festival": "元旦"}], verify="yes"), "verify"),
        (
            {
                "years": {
                    2030: {"verify": False, "days": [{"date": "2030-01-01", "type": "holiday", "festival": "元旦"}]},
                    2032: {"verify": False, "days": [{"date": "2032-01-01", "type": "holiday", "festival": "元旦"}]},
                }
            },
            "consecutive",
        ),
    ],
)
def test_bad_data_is_rejected(raw, message):
    with pytest.raises(HolidayDataError, match=message):
        parse_calendar(raw)


def test_malformed_yaml_is_rejected(tmp_path):
    path = tmp_path / "h.yaml"
    path.write_text("years: [unclosed\n", "utf-8")
    with pytest.raises(HolidayDataError, match="not valid YAML"):
        load_calendar(path)
