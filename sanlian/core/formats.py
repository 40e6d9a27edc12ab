"""The format engine (sanlian.engines.formats) in the active language, with datetimes in local time.

Views and template filters call these; the engine itself knows nothing of Django.
"""

import datetime as dt

from django.utils import timezone, translation

from sanlian.engines import formats as engine


def lang() -> str:
    return engine.language(translation.get_language())


def _local(value):
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def money(amount, unit: str | None = None) -> str:
    return engine.money(amount, lang(), unit)


def money_value(amount, unit: str = "yuan") -> str:
    return engine.money_value(amount, lang(), unit)


def money_unit(unit: str = "yuan") -> str:
    return engine.money_unit(lang(), unit)


def chart_money_units() -> list[dict]:
    return engine.chart_money_units(lang())


def number(value, places: int | None = None) -> str:
    return engine.number(value, lang(), places)


def percent(ratio, digits: int = 1, signed: bool = False) -> str:
    return engine.percent(ratio, lang(), digits, signed)


def day(value) -> str:
    return engine.day(_local(value), lang())


def when(value) -> str:
    return engine.when(_local(value), lang())
