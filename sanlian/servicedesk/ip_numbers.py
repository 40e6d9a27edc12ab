"""Official IP numbers and terms: the canonical spelling, its check, and the default expiry date.

Chinese patent application numbers (CNIPA): since 2003-10-01 twelve digits — filing year (4), type (1:
invention, 2: utility model, 3: design, 8: PCT invention, 9: PCT utility model entering China), serial
(7) — then a dot and a check character; before, eight digits (2-digit year, type, 5-digit serial) and
the check. The check is Σ digitᵢ × weightᵢ mod 11 with weights 2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5 from the
left, 10 written X (e.g. 201710601862.3). The patent number is "ZL" + the application number, so both
spellings are accepted and stored without "ZL".

Terms: invention 20 years from filing; utility model 10; design 15 for filings since 2021-06-01 (the
fourth amendment of the Patent Law), 10 before; a term ends the day before the anniversary. A trademark
registration lasts 10 years from its registration date and can be renewed (the officer then sets the
new date). Software copyrights have no default (an officer may set one).
"""

import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sanlian.core.sheets import compact

from .models import IPAsset

Kind = IPAsset.Kind
PATENT_KINDS = frozenset({Kind.INVENTION, Kind.UTILITY, Kind.DESIGN})
WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
# The type digit each kind accepts (PCT national-phase applications keep their own digits).
TYPE_DIGITS = {Kind.INVENTION: "18", Kind.UTILITY: "29", Kind.DESIGN: "3"}
DESIGN_15_YEARS_FROM = date(2021, 6, 1)
TERM_YEARS = {Kind.INVENTION: 20, Kind.UTILITY: 10, Kind.TRADEMARK: 10}

_CN_PATENT = re.compile(r"^(?:ZL|CN)?(\d{12}|\d{8})\.?([\dX])$")
_TRADEMARK = re.compile(r"^第?(\d{1,9})号?$")
_SOFTWARE = re.compile(r"^(?:软著登字第\d+号)?(\d{4})SR(\d{6,7})$")
_FOREIGN = re.compile(r"^[A-Z]{2}[0-9A-Z/.\-]{4,36}$")


def check_character(digits: str) -> str:
    """The CNIPA check character of an application number's digits (8 or 12 of them)."""
    total = sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=False))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def _patent_number(kind: str, text: str) -> str:
    match = _CN_PATENT.match(text)
    if not match:
        raise ValidationError(_("专利号格式应为 202310123456.7 或 ZL202310123456.7"))
    digits, check = match.groups()
    if check_character(digits) != check:
        raise ValidationError(
            _("专利号校验位不正确:%(number)s 的校验位应为 %(check)s")
            % {"number": digits, "check": check_character(digits)}
        )
    type_digit = digits[4] if len(digits) == 12 else digits[2]
    if type_digit not in TYPE_DIGITS[kind]:
        raise ValidationError(
            _("号码中的专利类型位为 %(digit)s(1 发明、2 实用新型、3 外观设计,8、9 为 PCT),与所选类型「%(kind)s」不符")
            % {"digit": type_digit, "kind": Kind(kind).label}
        )
    return f"{digits}.{check}"


def normalise_number(kind: str, value) -> str:
    """The canonical spelling of an official number of the given kind; ValidationError when malformed."""
    text = compact(value)
    if not text:
        raise ValidationError(_("请填写号码"))
    if kind in PATENT_KINDS:
        return _patent_number(kind, text)
    if kind == Kind.TRADEMARK:
        match = _TRADEMARK.match(text)
        if not match:
            raise ValidationError(_("商标注册号应为 1–9 位数字"))
        return str(int(match.group(1)))
    if kind == Kind.SOFTWARE:
        match = _SOFTWARE.match(text)
        if not match:
            raise ValidationError(_("软件著作权登记号格式应为 2023SR0123456"))
        return f"{match.group(1)}SR{match.group(2)}"
    if kind == Kind.FOREIGN:
        if not _FOREIGN.match(text):
            raise ValidationError(_("境外/PCT专利号应以国家或组织代码开头,如 US11234567B2、WO2023123456"))
        return text
    raise ValidationError(_("未知的知识产权类型"))


def filing_year(kind: str, number: str) -> int | None:
    """The filing year a canonical CN patent number states (None for PCT numbers and other kinds)."""
    if kind not in PATENT_KINDS:
        return None
    digits = number.split(".")[0]
    if len(digits) == 12:
        return int(digits[:4]) if digits[4] in "123" else None
    year = int(digits[:2])
    return (1900 if year >= 85 else 2000) + year if digits[2] in "123" else None


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def default_expiry(kind: str, *, filing_date: date | None, grant_date: date | None) -> date | None:
    """The last day of the legal term, or None when it cannot be told (missing date, no fixed term)."""
    if kind == Kind.DESIGN:
        years = 15 if filing_date and filing_date >= DESIGN_15_YEARS_FROM else 10
    else:
        years = TERM_YEARS.get(kind)
    start = grant_date if kind == Kind.TRADEMARK else filing_date
    if years is None or start is None:
        return None
    return _add_years(start, years) - timedelta(days=1)
