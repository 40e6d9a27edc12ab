"""Dates and date-times per language: 2026年12月6日 14:05 in Chinese, 6 Dec 2026, 14:05 in English.

A datetime is written as given: the caller converts it to local time first (the template filters do).
"""

import datetime as dt
import re

from .numbers import BLANK, is_blank, language

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ZH = re.compile(r"^(\d{1,4})年(\d{1,2})月(\d{1,2})日(?: (\d{2}):(\d{2}))?$")
_EN = re.compile(r"^(\d{1,2}) ([A-Z][a-z]{2}) (\d{1,4})(?:, (\d{2}):(\d{2}))?$")


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value.strip()[:10])
    raise TypeError(f"not a date: {value!r}")


def day(value, lang: str = "zh") -> str:
    """2026年12月6日 / 6 Dec 2026 (no leading zeros, the month abbreviated in English)."""
    if is_blank(value):
        return BLANK
    d = _as_date(value)
    if language(lang) == "zh":
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def when(value, lang: str = "zh") -> str:
    """2026年12月6日 14:05 / 6 Dec 2026, 14:05 (24-hour clock); a plain date is written as ``day`` does."""
    if is_blank(value):
        return BLANK
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.strip())
    if not isinstance(value, dt.datetime):
        return day(value, lang)
    separator = " " if language(lang) == "zh" else ", "
    return f"{day(value, lang)}{separator}{value.hour:02d}:{value.minute:02d}"


def _parse(text: str, lang: str):
    if language(lang) == "zh":
        match = _ZH.match(text.strip())
        if not match:
            raise ValueError(f"not a date: {text!r}")
        year, month, mday, hour, minute = match.groups()
    else:
        match = _EN.match(text.strip())
        if not match or match.group(2) not in MONTHS:
            raise ValueError(f"not a date: {text!r}")
        mday, month_name, year, hour, minute = match.groups()
        month = MONTHS.index(month_name) + 1
    return dt.date(int(year), int(month), int(mday)), hour, minute


def parse_day(text: str, lang: str = "zh") -> dt.date:
    """The date that ``day`` wrote."""
    return _parse(text, lang)[0]


def parse_when(text: str, lang: str = "zh") -> dt.datetime:
    """The (naive, minute-precision) datetime that ``when`` wrote."""
    date, hour, minute = _parse(text, lang)
    if hour is None:
        raise ValueError(f"no time in {text!r}")
    return dt.datetime(date.year, date.month, date.day, int(hour), int(minute))
