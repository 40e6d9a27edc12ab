"""Working-day calendar for SLA clocks: Monday–Friday plus China's public holidays and 调休 make-up days.

Pure Python (no Django). See ``calendar`` for the precise SLA rule and ``data/cn_holidays.yaml`` for the data.
"""

from .calendar import DEFAULT_DAY_END, OutsideCalendarError, WorkCalendar
from .loader import DEFAULT_PATH, FESTIVALS, HolidayDataError, default_calendar, load_calendar, parse_calendar

__all__ = [
    "DEFAULT_DAY_END",
    "DEFAULT_PATH",
    "FESTIVALS",
    "HolidayDataError",
    "OutsideCalendarError",
    "WorkCalendar",
    "default_calendar",
    "load_calendar",
    "parse_calendar",
]
