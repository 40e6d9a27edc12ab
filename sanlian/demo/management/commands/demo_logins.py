"""`sanlian demo_logins`: one login per role, with its scope and where it lands."""

import unicodedata

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from sanlian.core.models import User
from sanlian.demo.accounts import DEMO_ACCOUNTS, DEMO_OTP_SECRET, DEMO_PASSWORD, DEMO_USERNAMES, landing_url


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows)


def _scope(user) -> str:
    if user.is_superuser:
        return _("全部")
    if user.region_id:
        return user.region.name
    if user.enterprise_id:
        return user.enterprise.name
    run = [o.name for o in user.organisations_run.order_by("pk")]  # a secretary: the organisations they run
    if run:
        return "、".join(run)
    return _("本人")


class Command(BaseCommand):
    help = "Print the demo logins: username, password, role, scope and landing page."

    def handle(self, *args, **options):
        users = {
            u.username: u
            for u in User.objects.filter(username__in=DEMO_USERNAMES).select_related("region", "enterprise")
        }
        rows = [(_("用户名"), _("密码"), _("角色"), _("范围"), _("登录后进入"))]
        for account in DEMO_ACCOUNTS:
            user = users.get(account.username)
            if user is None:
                rows.append((account.username, DEMO_PASSWORD, account.role_label, "—", _("(未创建)")))
                continue
            rows.append((account.username, DEMO_PASSWORD, account.role_label, _scope(user), landing_url(user)))
        self.stdout.write(table(rows))
        second = ", ".join(a.username for a in DEMO_ACCOUNTS if a.second_factor)
        self.stdout.write(
            _("双因素认证(%(users)s):TOTP 演示密钥 %(secret)s;当前验证码:`sanlian demo_otp <用户名>`(仅调试模式)。")
            % {"users": second, "secret": DEMO_OTP_SECRET}
        )
        if len(users) < len(DEMO_ACCOUNTS):
            self.stdout.write(self.style.WARNING(_("部分演示账号尚未创建,请先运行 `sanlian loaddemo`。")))
