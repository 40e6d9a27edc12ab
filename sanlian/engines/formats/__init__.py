"""Numbers, money, percentages and dates written the way each language writes them (pure Python, no Django).

Two languages: ``"zh"`` (Simplified Chinese, the source language) and ``"en"``; any other code falls back to
Chinese. Money is computed with ``Decimal`` only (a float argument is read through its shortest ``repr``, so
0.1 stays 0.1), rounded half up, and "—" stands for a missing value.

================  ===========================  ==============================
what              Chinese (zh)                 English (en)
================  ===========================  ==============================
money, automatic  800元 · 1,250.00万元 ·        CNY 800 · CNY 12,500 ·
                  5.40亿元                      CNY 1.25 million · CNY 5.40 billion
money, column     ``wan``: 1,250.00 (万元)      ``wan``: 12,500.00 (CNY thousand)
                  ``yi``: 5.40 (亿元)           ``yi``: 540.00 (CNY million)
number            12,345 · 1,234.5             12,345 · 1,234.5
percent           12.5% · +3.0%                12.5% · +3.0%
date              2026年12月6日                 6 Dec 2026
date and time     2026年12月6日 14:05           6 Dec 2026, 14:05
================  ===========================  ==============================
"""

from .dates import day, parse_day, parse_when, when
from .numbers import (
    BLANK,
    UNITS,
    chart_money_units,
    language,
    money,
    money_unit,
    money_value,
    number,
    parse_money,
    parse_number,
    percent,
)

__all__ = [
    "BLANK",
    "UNITS",
    "chart_money_units",
    "day",
    "language",
    "money",
    "money_unit",
    "money_value",
    "number",
    "parse_day",
    "parse_money",
    "parse_number",
    "parse_when",
    "percent",
    "when",
]
