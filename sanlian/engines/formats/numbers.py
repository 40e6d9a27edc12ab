"""Money, numbers and percentages per language, computed with Decimal (never float).

Money has two modes:

* automatic (``money(x, lang)``): the unit follows the amount. Chinese steps up from 元 to 万元 (10⁴) and 亿元
  (10⁸); English writes "CNY" and steps up to "million" (10⁶) and "billion" (10⁹). Scaled amounts show two
  decimals; amounts below the first step show whole yuan, or two decimals when there are fen.
* column (``money(x, lang, unit="wan")``, ``money_value``, ``money_unit``): one unit for a whole table column.
  The three column units are named after the Chinese ones; English reads them as the nearest conventional
  scale: ``yuan`` → CNY, ``wan`` → CNY thousand, ``yi`` → CNY million. Always two decimals.

The unit is picked after rounding, so 99,999,999.99 yuan reads 1.00亿元, not 10,000.00万元.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

BLANK = "—"
CENT = Decimal("0.01")
ONE = Decimal(1)
UNITS = ("yuan", "wan", "yi")
CURRENCY = "CNY"

# (divisor, label) per column unit; the English label is the word after the amount.
_COLUMN = {
    "zh": {"yuan": (ONE, "元"), "wan": (Decimal(10**4), "万元"), "yi": (Decimal(10**8), "亿元")},
    "en": {"yuan": (ONE, ""), "wan": (Decimal(10**3), "thousand"), "yi": (Decimal(10**6), "million")},
}
# The automatic steps, smallest first.
_STEPS = {
    "zh": ((ONE, "元"), (Decimal(10**4), "万元"), (Decimal(10**8), "亿元")),
    "en": ((ONE, ""), (Decimal(10**6), "million"), (Decimal(10**9), "billion")),
}


def language(code: str | None) -> str:
    """ "en", "en-gb", "EN_us" → "en"; anything else (zh-hans, zh, None, "") → "zh", the source language."""
    code = (code or "").strip().lower().replace("_", "-")
    return "en" if code == "en" or code.startswith("en-") else "zh"


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def to_decimal(value) -> Decimal:
    """An exact Decimal from a Decimal, int, numeric string ("1,234.5") or float (through its shortest repr)."""
    if isinstance(value, bool):
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
    else:
        raise TypeError(f"not a number: {value!r}")
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def _round(value: Decimal, step: Decimal) -> Decimal:
    rounded = value.quantize(step, rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded.is_zero() else rounded  # never "-0.00"


def _grouped(value: Decimal) -> str:
    return f"{value:,}"


def _column(lang: str, unit: str) -> tuple[Decimal, str]:
    try:
        return _COLUMN[lang][unit]
    except KeyError:
        raise ValueError(f"unknown money unit {unit!r}; one of {', '.join(UNITS)}") from None


def _labelled(text: str, lang: str, label: str) -> str:
    if lang == "zh":
        return f"{text}{label}"
    return f"{CURRENCY} {text} {label}" if label else f"{CURRENCY} {text}"


def money_value(amount, lang: str = "zh", unit: str = "yuan") -> str:
    """The amount in a column's unit, two decimals, no label: 12,345,678 yuan → "1,234.57" (zh, wan)."""
    if is_blank(amount):
        return BLANK
    divisor, _label = _column(language(lang), unit)
    return _grouped(_round(to_decimal(amount) / divisor, CENT))


def money_unit(lang: str = "zh", unit: str = "yuan") -> str:
    """A column's unit for its header: "万元" (zh, wan), "CNY thousand" (en, wan), "CNY" (en, yuan)."""
    lang = language(lang)
    _divisor, label = _column(lang, unit)
    if lang == "zh":
        return label
    return f"{CURRENCY} {label}" if label else CURRENCY


def money(amount, lang: str = "zh", unit: str | None = None) -> str:
    """Money with its unit: automatic by magnitude, or in a fixed column unit when ``unit`` is given."""
    if is_blank(amount):
        return BLANK
    lang = language(lang)
    if unit is not None:
        return _labelled(money_value(amount, lang, unit), lang, _column(lang, unit)[1])
    value = _round(to_decimal(amount), CENT)
    steps = _STEPS[lang]
    index = max(i for i, (divisor, _label) in enumerate(steps) if i == 0 or abs(value) >= divisor)
    while True:
        divisor, label = steps[index]
        shown = value if divisor == ONE else _round(value / divisor, CENT)
        if index + 1 < len(steps) and abs(shown) * divisor >= steps[index + 1][0]:
            index += 1  # rounding reached the next unit
            continue
        break
    if divisor == ONE and shown == shown.to_integral_value():
        shown = _round(shown, ONE)
    return _labelled(_grouped(shown), lang, label)


def parse_money(text: str, lang: str = "zh") -> Decimal:
    """The yuan amount that ``money`` wrote (automatic or column mode, with its label); the inverse of ``money``."""
    lang = language(lang)
    text = text.strip()
    if lang == "zh":
        for divisor, label in sorted({*_STEPS["zh"], *_COLUMN["zh"].values()}, key=lambda s: -len(s[1])):
            if text.endswith(label):
                return to_decimal(text[: -len(label)]) * divisor
        raise ValueError(f"not an amount of money: {text!r}")
    if not text.startswith(CURRENCY + " "):
        raise ValueError(f"not an amount of money: {text!r}")
    number_text, _space, word = text[len(CURRENCY) + 1 :].partition(" ")
    scales = {label: divisor for divisor, label in (*_STEPS["en"], *_COLUMN["en"].values())}
    if word not in scales:
        raise ValueError(f"not an amount of money: {text!r}")
    return to_decimal(number_text) * scales[word]


def number(value, lang: str = "zh", places: int | None = None) -> str:
    """A count or measure with thousands separators (both languages write 12,345.6); ``places`` rounds half up."""
    if is_blank(value):
        return BLANK
    value = to_decimal(value)
    if places is not None:
        value = _round(value, ONE.scaleb(-places))
    elif value.as_tuple().exponent > 0:
        value = _round(value, ONE)  # Decimal("1E+3") → 1,000
    return _grouped(value)


def parse_number(text: str) -> Decimal:
    return to_decimal(text)


def percent(ratio, lang: str = "zh", digits: int = 1, signed: bool = False) -> str:
    """A ratio as a percentage: 0.125 → "12.5%"; ``signed`` writes "+" before a rise."""
    if is_blank(ratio):
        return BLANK
    value = _round(to_decimal(ratio) * 100, ONE.scaleb(-digits))
    text = f"{_grouped(value)}%"
    return f"+{text}" if signed and value > 0 else text


def chart_money_units(lang: str = "zh") -> list[dict]:
    """The automatic money units, largest first, for charts drawn in the browser (static/js/cockpit.js).

    Each is {"div": 100000000, "label": "亿元", "prefix": "", "suffix": "亿元"}: the axis shows ``label``, a
    value reads ``prefix + number + suffix`` ("1.88亿元", "CNY 188.00 million").
    """
    lang = language(lang)
    units = []
    for divisor, label in reversed(_STEPS[lang]):
        if lang == "zh":
            units.append({"div": int(divisor), "label": label, "prefix": "", "suffix": label})
        else:
            units.append(
                {
                    "div": int(divisor),
                    "label": f"{CURRENCY} {label}" if label else CURRENCY,
                    "prefix": f"{CURRENCY} ",
                    "suffix": f" {label}" if label else "",
                }
            )
    return units
