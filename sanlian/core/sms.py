"""Pluggable SMS gateway: settings.SANLIAN_SMS_GATEWAY names a class with send(phone, text)."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from .masking import mask_phone

log = logging.getLogger("sanlian.sms")


class LogGateway:
    """Default gateway: writes the message to the log (phone masked). Production plugs a provider."""

    sent: list = []  # kept for inspection in development shells

    def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s: %s", mask_phone(phone), text)
        self.sent.append((phone, text))


def get_gateway():
    return import_string(settings.SANLIAN_SMS_GATEWAY)()
