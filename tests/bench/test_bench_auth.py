"""Bench clients pass the second factor and the password rotation as a real officer session does."""

from django.test import Client

from bench.auth import signed_in
from tests import factories


def test_a_bench_officer_client_reaches_the_cockpit_with_the_rules_on(settings, db):
    settings.SANLIAN_OTP_REQUIRED = True
    settings.SANLIAN_PASSWORD_MAX_AGE_DAYS = 90
    officer = factories.officer("pujiang", username="bench_town", password_changed_at=None)
    assert Client().get("/cockpit/").status_code == 302
    unverified = Client()
    unverified.force_login(officer)
    assert unverified.get("/cockpit/").status_code == 302
    assert signed_in(Client(), officer).get("/cockpit/").status_code == 200
