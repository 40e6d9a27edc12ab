"""Reading the holiday data (data/cn_holidays.yaml) into a WorkCalendar, with strict validation."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from .calendar import WorkCalendar

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "cn_holidays.yaml"
FESTIVALS = frozenset({"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"})
TYPES = {"holiday": False, "workday": True}

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class HolidayDataError(ValueError):
    """The holiday data file is malformed or inconsistent."""


def load_calendar(path: str | Path | None = None) -> WorkCalendar:
    """A WorkCalendar from a holiday YAML file (default: the bundled Chinese calendar)."""
    path = Path(path) if path is not None else DEFAULT_PATH
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # nosec B506  # _Loader is yaml's (C)SafeLoader
    except yaml.YAMLError as error:
        raise HolidayDataError(f"{path}: not valid YAML: {error}") from error
    return parse_calendar(raw, source=str(path))


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """The bundled calendar, loaded once per process."""
    return load_calendar()


def parse_calendar(raw: object, *, source: str = "<data>") -> WorkCalendar:
    def fail(message: str) -> HolidayDataError:
        return HolidayDataError(f"{source}: {message}")

    if not isinstance(raw, dict) or not isinstance(raw.get("years"), dict) or not raw["years"]:
        raise fail("expected a mapping with a non-empty `years:` mapping")
    exceptions: dict[date, bool] = {}
    names: dict[date, str] = {}
    unverified: set[int] = set()
    years: set[int] = set()
    for year, block in raw["years"].items():
        if not isinstance(year, int) or isinstance(year, bool):
            raise fail(f"year keys must be integers, got {year!r}")
        if not isinstance(block, dict):
            raise fail(f"{year}: expected a mapping with `days`")
        years.add(year)
        verify = block.get("verify", True)  # a year nobody marked as checked is unverified
        if not isinstance(verify, bool):
            raise fail(f"{year}: `verify` must be true or false, got {verify!r}")
        if verify:
            unverified.add(year)
        days = block.get("days")
        if not isinstance(days, list) or not days:
            raise fail(f"{year}: `days` must be a non-empty list")
        for n, entry in enumerate(days, 1):
            where = f"{year} days[{n}]"
            if not isinstance(entry, dict):
                raise fail(f"{where}: expected a mapping with date, type, festival")
            d = entry.get("date")
            if isinstance(d, str):
                try:
                    d = date.fromisoformat(d)
                except ValueError:
                    raise fail(f"{where}: date {d!r} is not YYYY-MM-DD") from None
            if type(d) is not date:
                raise fail(f"{where}: date must be YYYY-MM-DD, got {d!r}")
            if d.year != year:
                raise fail(f"{where}: {d} is listed under {year}")
            if d in exceptions:
                raise fail(f"{where}: {d} is listed twice")
            kind = entry.get("type")
            if kind not in TYPES:
                raise fail(f"{where}: type must be one of {sorted(TYPES)}, got {kind!r}")
            if kind == "workday" and d.weekday() < 5:
                raise fail(f"{where}: make-up working day {d} is a weekday; it would change nothing")
            festival = entry.get("festival")
            if not isinstance(festival, str) or not set(festival.split("、")) <= FESTIVALS:
                raise fail(f"{where}: festival must be one of {'、'.join(sorted(FESTIVALS))}, got {festival!r}")
            exceptions[d] = TYPES[kind]
            names[d] = festival
    try:
        return WorkCalendar(exceptions, years=years, names=names, unverified_years=unverified)
    except ValueError as error:
        raise fail(str(error)) from error
