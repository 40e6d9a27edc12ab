"""Validators of identifiers, built on python-stdnum (never re-implemented here)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError


@dataclass(frozen=True)
class UsccCheck:
    code: str
    checksum_ok: bool


def check_uscc(value: str) -> UsccCheck:
    """Normalise a 统一社会信用代码; refuse a bad format, report a bad check character.

    Some early codes were issued with a wrong check character, so the caller decides whether an
    officer's recorded reason may override it.
    """
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
