"""Money, numbers, percentages and dates in the page's language (a template builtin: no {% load %} needed).

    {{ amount|money }}            1.25万元 · CNY 12,500          the unit picked by magnitude
    {{ amount|money:"wan" }}      1.25万元 · CNY 12.50 thousand  a fixed unit
    {{ amount|money_in:"wan" }}   1.25 · 12.50                   a table cell; the header says the unit:
    {% money_unit "wan" %}        万元 · CNY thousand
    {{ count|num }} {{ x|num:2 }} 12,345 · 1,234.50
    {{ ratio|pct }} {{ r|pct:2 }} 12.5% · 12.50%
    {{ date|day }}                2026年12月6日 · 6 Dec 2026
    {{ datetime|when }}           2026年12月6日 14:05 · 6 Dec 2026, 14:05

A missing value (None or "") is written "—". A value that is not a number or a date is shown as it is.
"""

from django import template

from sanlian.core import formats

register = template.Library()


def _safe(function, value, *args):
    try:
        return function(value, *args)
    except (ValueError, TypeError, ArithmeticError):
        return value


@register.filter
def money(value, unit=None):
    return _safe(formats.money, value, unit or None)


@register.filter
def money_in(value, unit="yuan"):
    return _safe(formats.money_value, value, unit)


@register.simple_tag
def money_unit(unit="yuan"):
    return formats.money_unit(unit)


@register.filter
def num(value, places=None):
    return _safe(formats.number, value, None if places in (None, "") else int(places))


@register.filter
def pct(value, digits=1):
    return _safe(formats.percent, value, int(digits))


@register.filter
def day(value):
    return _safe(formats.day, value)


@register.filter
def when(value):
    return _safe(formats.when, value)
