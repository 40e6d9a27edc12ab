"""Password rules of the platform (等保 2.0 level 3: complexity and periodic change) and who is bound by the
stricter account rules (second factor, rotation)."""

import string
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (
    ("lower", set(string.ascii_lowercase)),
    ("upper", set(string.ascii_uppercase)),
    ("digit", set(string.digits)),
)


def character_classes(password: str) -> int:
    """How many of the four classes (lower case, upper case, digit, symbol) the password uses; any character
    that is not an ASCII letter or digit (punctuation, a space, a Chinese character) counts as a symbol."""
    used = sum(1 for _name, chars in CLASSES if any(ch in chars for ch in password))
    plain = set(string.ascii_letters + string.digits)
    return used + (1 if any(ch not in plain for ch in password) else 0)


class ComplexityValidator:
    """At least `min_length` characters drawn from at least `min_classes` of the four character classes."""

    def __init__(self, min_length: int = 8, min_classes: int = 3):
        self.min_length = min_length
        self.min_classes = min_classes

    def validate(self, password, user=None):
        errors = []
        if len(password) < self.min_length:
            errors.append(
                ValidationError(
                    _("密码至少需要 %(min_length)d 个字符。"),
                    code="password_too_short",
                    params={"min_length": self.min_length},
                )
            )
        if character_classes(password) < self.min_classes:
            errors.append(
                ValidationError(
                    _("密码须包含小写字母、大写字母、数字、符号四类中的至少 %(min_classes)d 类。"),
                    code="password_too_simple",
                    params={"min_classes": self.min_classes},
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        return _("至少 %(min_length)d 个字符,且包含小写字母、大写字母、数字、符号四类中的至少 %(min_classes)d 类。") % {
            "min_length": self.min_length,
            "min_classes": self.min_classes,
        }


def is_privileged(user) -> bool:
    """Officers (town and district, who review talent applications) and superusers: the accounts that must
    use a second factor and change their password periodically."""
    return bool(user.is_authenticated and (user.is_superuser or user.is_officer))


def password_expired(user, *, now: datetime) -> bool:
    """Whether a privileged user's password is older than SANLIAN_PASSWORD_MAX_AGE_DAYS (never for others, nor
    when the setting is off). A password set before the field existed counts as expired."""
    days = getattr(settings, "SANLIAN_PASSWORD_MAX_AGE_DAYS", None)
    if not days or not is_privileged(user):
        return False
    changed = user.password_changed_at
    return changed is None or now - changed >= timedelta(days=days)
