"""`sanlian create_api_token <username> --name "..." [--days N]`: prints a new bearer key once."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sanlian.core.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print its key (shown once, only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="what the token is for, e.g. the integration's name")
        parser.add_argument(
            "--days", type=int, default=None,
            help="days until the token expires (default SANLIAN_API_TOKEN_DAYS, at most SANLIAN_API_TOKEN_MAX_DAYS)",
        )  # fmt: skip

    def handle(self, *args, username, name, days=None, **options):
        name = name.strip()
        if not name:
            raise CommandError(_("请用 --name 说明令牌的用途"))
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(_("没有用户名为 %(username)s 的用户") % {"username": username}) from None
        if not user.is_active:
            raise CommandError(_("用户 %(username)s 已停用") % {"username": username})
        try:
            token, key = api_token_create(user=user, name=name, days=days)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        # The key alone on stdout, so scripts can capture it; the advice goes to stderr.
        self.stdout.write(key)
        self.stderr.write(
            _("已为 %(username)s 创建令牌 %(prefix)s…(%(name)s),%(expires)s 到期。请立即保存,密钥不会再次显示。")
            % {"username": username, "prefix": token.prefix, "name": name, "expires": token.expires_at.date()}
        )
