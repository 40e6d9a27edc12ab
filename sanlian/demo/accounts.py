"""The demo accounts: one per role of DESIGN.md, all with the same published password."""

from base64 import b32decode
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sanlian.core.models import Role

# One password for every demo account; it is printed by `sanlian demo_logins` and in the README.
DEMO_PASSWORD = "Sanlian-demo1"  # nosec B105  # the public demo password, printed by demo_logins; demo data only
# The demo officers' and the admin's TOTP second factor: one published secret (base32, as authenticator apps
# take it), printed by `sanlian demo_logins`; `sanlian demo_otp <username>` prints the current code (DEBUG only).
DEMO_OTP_SECRET = "SANLIANDEMOSECRETFORTOTPCODES234"  # nosec B105  # published demo secret; demo data only
DEMO_OTP_KEY_HEX = b32decode(DEMO_OTP_SECRET).hex()
EMAIL_DOMAIN = "demo.sanlian.example.com"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str  # a Role value; "" for the superuser
    display_name: str
    region: str | None = None  # region code of an officer
    enterprise: bool = False  # belongs to the showcase enterprise
    landlord: bool = False  # belongs to the space demo's first landlord (sanlian.demo.space)
    is_superuser: bool = False

    @property
    def email(self) -> str:
        return f"{self.username}@{EMAIL_DOMAIN}"

    @property
    def second_factor(self) -> bool:
        """Officers and the superuser sign in with a TOTP code too (core.passwords.is_privileged)."""
        return self.is_superuser or self.role in (Role.TOWN_OFFICER, Role.DISTRICT_OFFICER)

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role else str(_("超级管理员"))


DEMO_ACCOUNTS = (
    DemoAccount("pj_officer", Role.TOWN_OFFICER, "周敏", region="pujiang"),
    DemoAccount("mh_officer", Role.DISTRICT_OFFICER, "陆建华", region="minhang"),
    DemoAccount("mh_reviewer", Role.DISTRICT_OFFICER, "曹慧", region="minhang"),  # second talent reviewer
    DemoAccount("xz_officer", Role.TOWN_OFFICER, "顾文博", region="xinzhuang"),
    DemoAccount("ent_admin", Role.ENTERPRISE_ADMIN, "许佳琪", enterprise=True),
    DemoAccount("ent_staff", Role.ENTERPRISE_STAFF, "钱明", enterprise=True),
    DemoAccount("talent", Role.TALENT, "林一鸣"),
    DemoAccount("talent_demo", Role.TALENT, "宋雨桐"),
    DemoAccount("ambassador", Role.AMBASSADOR, "陈嘉怡"),
    DemoAccount("ambassador_demo", Role.AMBASSADOR, "高思远"),
    DemoAccount("org_secretary", Role.ORG_SECRETARY, "唐立新"),
    DemoAccount("admin", "", "平台管理员", is_superuser=True),
    DemoAccount("landlord", Role.ENTERPRISE_ADMIN, "孙立强", landlord=True),
)
DEMO_USERNAMES = tuple(a.username for a in DEMO_ACCOUNTS)


def landing_url(user) -> str:
    """Where the user lands after logging in (the home page's own rule)."""
    from sanlian.core.views import landing_url as home_landing

    return home_landing(user)
