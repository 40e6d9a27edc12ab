"""`sanlian demo_otp <username>`: the current TOTP code of a demo account (only when DEBUG is on)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_otp.oath import TOTP

from sanlian.core.account_services import otp_confirmed_device
from sanlian.core.models import User


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo account (refused unless settings.DEBUG)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError(_("demo_otp 只能在调试模式(SANLIAN_DEBUG=1)下使用。"))
        user = User.objects.filter(username=username).first()
        device = otp_confirmed_device(user) if user is not None else None
        if device is None:
            raise CommandError(_("用户 %(username)s 没有已绑定的验证器。") % {"username": username})
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
