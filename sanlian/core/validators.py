"""Validators of identifiers, built on python-stdnum.

One shortcut: an import checks 100,000 USCCs, and stdnum's uscc.validate cleans each code three times
before testing it. A code that is already compact and well formed has its check character computed
here in one pass, with stdnum's alphabet and the GB 32100 weights (tests compare it with stdnum's);
every other value goes through stdnum as is.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError

# What stdnum's uscc.validate accepts as format, for a value its compact() leaves as is: 18 characters,
# eight digits, then characters of its alphabet (digits and upper-case letters without I, O, Z, S, V).
_WELL_FORMED_USCC = re.compile(r"\A[0-9]{8}[0-9A-HJ-NP-RTUWXY]{10}\Z", re.ASCII)


_USCC_VALUES = {c: i for i, c in enumerate(uscc._alphabet)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3**i mod 31


def _uscc_check_character(code: str) -> str:
    """stdnum's uscc.calc_check_digit for a compact, well-formed code."""
    total = sum(_USCC_VALUES[c] * w for c, w in zip(code[:17], _USCC_WEIGHTS, strict=True))
    return uscc._alphabet[(31 - total) % 31]


@dataclass(frozen=True)
class UsccCheck:
    code: str
    checksum_ok: bool


def check_uscc(value: str) -> UsccCheck:
    """Normalise a 统一社会信用代码; refuse a bad format, report a bad check character.

    Some early codes were issued with a wrong check character, so the caller decides whether an
    officer's recorded reason may override it.
    """
    if isinstance(value, str) and _WELL_FORMED_USCC.match(value):
        return UsccCheck(code=value, checksum_ok=_uscc_check_character(value) == value[-1])
    code = uscc.compact(value or "")
    try:
        uscc.validate(code)
    except InvalidChecksum:
        return UsccCheck(code=code, checksum_ok=False)
    except StdnumError as exc:
        raise ValidationError(
            _("统一社会信用代码格式错误:应为18位,由数字和大写字母(不含I、O、Z、S、V)组成"), code="uscc_format"
        ) from exc
    return UsccCheck(code=code, checksum_ok=True)


def validate_id_number(value: str) -> str:
    try:
        return ric.validate(value)
    except StdnumError as exc:
        raise ValidationError(_("身份证号无效"), code="ric_invalid") from exc


def uscc_from_serial(serial: int, region_code: str = "310112") -> str:
    """A well-formed, check-valid USCC built from a serial number (demo and test data).

    Layout: registration authority and kind "91" (enterprise, market regulator), the region code and a
    9-character body, then the check character computed by python-stdnum.
    """
    body = f"MA{serial:07d}"[:9]
    stem = f"91{region_code}{body}"
    return stem + uscc.calc_check_digit(stem)
