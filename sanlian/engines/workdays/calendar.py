"""A working-day calendar: Monday–Friday, corrected by a table of exceptions (public holidays, 调休 make-up days).

Pure Python; no Django. Dates are ``datetime.date``; SLA functions take and return *naive local* datetimes
(the caller converts time zones).

The calendar only answers for the years its data covers (``covered_years``, which must be consecutive):
any date outside them raises ``OutsideCalendarError`` (a ``ValueError``) instead of silently treating an
unknown holiday as a working day.

SLA rule (``deadline`` and ``elapsed_working_days``):

* The *receipt day* of a request received at ``start`` is ``start.date()`` if that is a working day and
  ``start.time() < day_end``; otherwise it is the next working day. (Received on a weekend, holiday, or at
  or after ``day_end`` on a working day → counts as received on the next working day.)
* ``deadline(start, n)`` is ``day_end`` on the n-th working day after the receipt day
  (``n = 0``: ``day_end`` on the receipt day itself). The deadline is inclusive: done at exactly the deadline
  is on time.
* The *completion day* of an event at ``end`` is ``end.date()`` if that is a working day and
  ``end.time() <= day_end``; otherwise the next working day.
* ``elapsed_working_days(start, end)`` is the number of working days in (receipt day, completion day],
  never negative. Hence, for every n ≥ 0: ``end <= deadline(start, n)`` ⇔ ``elapsed_working_days(start, end) <= n``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta

DEFAULT_DAY_END = time(18, 0)


class OutsideCalendarError(ValueError):
    """A date outside the years the calendar's data covers."""


class WorkCalendar:
    """Monday–Friday working days, overridden by ``exceptions`` ({date: is_working_day}).

    ``years``: the years the data covers (default: the years of the exceptions); they must be consecutive and
    every exception must fall inside them. ``names``: optional {date: festival name} for display.
    ``unverified_years``: years whose data has not been checked against the official notice.
    """

    def __init__(
        self,
        exceptions: Mapping[date, bool],
        *,
        years: Iterable[int] | None = None,
        names: Mapping[date, str] | None = None,
        unverified_years: Iterable[int] = (),
    ) -> None:
        for d, working in exceptions.items():
            if type(d) is not date:
                raise TypeError(f"exception keys must be datetime.date, not {type(d).__name__}: {d!r}")
            if not isinstance(working, bool):
                raise TypeError(f"exception for {d} must be True (working) or False (not working), not {working!r}")
        year_set = set(years) if years is not None else {d.year for d in exceptions}
        if not year_set:
            raise ValueError("a WorkCalendar needs at least one covered year")
        ordered = sorted(year_set)
        if ordered != list(range(ordered[0], ordered[-1] + 1)):
            raise ValueError(f"covered years must be consecutive, got {ordered}")
        stray = sorted(d for d in exceptions if d.year not in year_set)
        if stray:
            raise ValueError(f"exceptions outside the covered years {ordered}: {stray[:5]}")
        unverified = frozenset(unverified_years)
        if not unverified <= year_set:
            raise ValueError(f"unverified years {sorted(unverified - year_set)} are not covered")

        self._exceptions: dict[date, bool] = dict(exceptions)
        self._names: dict[date, str] = dict(names or {})
        self._years: tuple[int, ...] = tuple(ordered)
        self._first = date(ordered[0], 1, 1)
        self._last = date(ordered[-1], 12, 31)
        self.unverified_years: frozenset[int] = unverified
        # Every working day of the covered span, ascending: counting becomes bisection.
        days: list[date] = []
        d = self._first
        while d <= self._last:
            if self._exceptions.get(d, d.weekday() < 5):
                days.append(d)
            d += timedelta(days=1)
        self._working: list[date] = days

    # -- coverage -------------------------------------------------------------------------------------

    @property
    def covered_years(self) -> tuple[int, ...]:
        return self._years

    def covers(self, d: date) -> bool:
        return self._first <= _as_date(d) <= self._last

    def _check(self, d: date) -> date:
        d = _as_date(d)
        if not self._first <= d <= self._last:
            raise OutsideCalendarError(
                f"{d.isoformat()} is outside the working-day calendar, which covers "
                f"{self._years[0]}–{self._years[-1]}; add that year's holiday notice to the data"
            )
        return d

    # -- days -----------------------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        d = self._check(d)
        return self._exceptions.get(d, d.weekday() < 5)

    def festival(self, d: date) -> str | None:
        """The festival a listed holiday or make-up day belongs to (``None`` for an ordinary day)."""
        return self._names.get(self._check(d))

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day strictly after ``d`` (n ≥ 1); for n = 0, ``d`` if working, else the next working day."""
        d = self._check(d)
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise ValueError(f"n must be a non-negative integer, got {n!r}")
        i = bisect_left(self._working, d) if n == 0 else bisect_right(self._working, d) + n - 1
        if i >= len(self._working):
            raise OutsideCalendarError(
                f"{n} working day(s) after {d.isoformat()} falls beyond {self._years[-1]}, the last year the "
                "working-day calendar covers; add the next year's holiday notice to the data"
            )
        return self._working[i]

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; antisymmetric: ``between(b, a) == -between(a, b)``."""
        start, end = self._check(start), self._check(end)
        return bisect_right(self._working, end) - bisect_right(self._working, start)

    # -- SLA clocks on naive local datetimes ------------------------------------------------------------

    def receipt_day(self, start: datetime, *, day_end: time = DEFAULT_DAY_END) -> date:
        """The working day an SLA clock started at ``start`` counts from (see the module docstring)."""
        _check_naive(start, "start")
        day = self._check(start.date())
        if self.is_working_day(day) and start.time() < day_end:
            return day
        return self.add_working_days(day, 1)

    def deadline(self, start: datetime, working_days: int, *, day_end: time = DEFAULT_DAY_END) -> datetime:
        """``day_end`` on the ``working_days``-th working day after the receipt day of ``start`` (inclusive)."""
        due = self.add_working_days(self.receipt_day(start, day_end=day_end), working_days)
        return datetime.combine(due, day_end)

    def elapsed_working_days(self, start: datetime, end: datetime, *, day_end: time = DEFAULT_DAY_END) -> int:
        """Working days used from ``start`` to ``end``: ``end <= deadline(start, n)`` iff the result is ≤ n."""
        _check_naive(end, "end")
        received = self.receipt_day(start, day_end=day_end)
        if end < start:
            raise ValueError(f"end {end.isoformat()} is before start {start.isoformat()}")
        day = self._check(end.date())
        done = day if self.is_working_day(day) and end.time() <= day_end else self.add_working_days(day, 1)
        return max(0, self.working_days_between(received, done))

    def __repr__(self) -> str:
        return f"WorkCalendar(years={self._years[0]}–{self._years[-1]}, exceptions={len(self._exceptions)})"


def _as_date(d: date) -> date:
    if isinstance(d, datetime):
        raise TypeError(f"expected a date, got the datetime {d!r}; pass d.date() (after converting to local time)")
    if not isinstance(d, date):
        raise TypeError(f"expected a date, got {type(d).__name__}: {d!r}")
    return d


def _check_naive(value: datetime, what: str) -> None:
    if not isinstance(value, datetime):
        raise TypeError(f"{what} must be a datetime, got {type(value).__name__}: {value!r}")
    if value.tzinfo is not None and value.utcoffset() is not None:
        raise ValueError(f"{what} must be a naive local datetime (convert to local time and drop tzinfo first)")
