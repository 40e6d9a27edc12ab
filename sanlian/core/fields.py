"""Money stored exactly: integer fen in the database, Decimal yuan in Python."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

FEN = Decimal("0.01")
# Far above any enterprise's figures, well inside a 64-bit count of fen.
MAX_YUAN = Decimal(10) ** 14


def to_yuan(value) -> Decimal:
    """Parse a money amount in yuan; refuse floats (inexact), negatives and non-numbers."""
    if isinstance(value, float):
        raise ValidationError(_("金额不能是浮点数"), code="float")
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except Exception as exc:  # decimal.InvalidOperation and friends
        raise ValidationError(_("请输入有效的金额(元)"), code="invalid") from exc
    if not amount.is_finite():
        raise ValidationError(_("请输入有效的金额(元)"), code="invalid")
    if amount < 0:
        raise ValidationError(_("金额不能为负数"), code="negative")
    if amount >= MAX_YUAN:
        raise ValidationError(_("金额过大"), code="too_large")
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


class MoneyField(models.BigIntegerField):
    """Yuan amounts kept as integer fen so sums are exact on every database."""

    description = _("金额(元)")

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(FEN)

    def to_python(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, Decimal):
            return value.quantize(FEN)
        return to_yuan(value)

    def get_prep_value(self, value):
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = Decimal(value)
        return int((self.to_python(value) * 100).to_integral_value())

    def formfield(self, **kwargs):
        from django import forms

        defaults = {"form_class": forms.DecimalField, "decimal_places": 2, "max_digits": 16, "min_value": 0}
        defaults.update(kwargs)
        return models.Field.formfield(self, **defaults)
