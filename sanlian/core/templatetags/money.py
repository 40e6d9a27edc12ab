"""Money shown the Chinese way: 万元 and 亿元, computed with Decimal (never float)."""

from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()


def _scaled(value, unit: int, places: str) -> str:
    if value is None or value == "":
        return "—"
    return intcomma((Decimal(value) / unit).quantize(Decimal(places)))


@register.filter
def wan(value) -> str:
    """Yuan → 万元 with two decimals."""
    return _scaled(value, 10_000, "0.01")


@register.filter
def yi(value) -> str:
    """Yuan → 亿元 with two decimals."""
    return _scaled(value, 100_000_000, "0.01")


@register.filter
def yuan(value) -> str:
    return _scaled(value, 1, "0.01")
