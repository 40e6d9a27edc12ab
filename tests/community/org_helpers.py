"""Organisations for the org tests, registered through the real service."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sanlian.community.services.organisations import organisation_create
from tests import factories

NOW = datetime(2025, 3, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def organisation(officer, code="pj-alliance", name="浦江镇生物医药产业联盟", secretaries=(), kind="alliance"):
    data = {"code": code, "name": name, "kind": kind, "region": officer.region, "founded_date": date(2024, 5, 20)}
    return organisation_create(actor=officer, data=data, secretaries=list(secretaries), now=NOW)


def two_organisations(officer):
    """The alliance run by its own secretary, and the chamber branch run by another one."""
    ours = factories.org_secretary(username="alliance_sec", display_name="唐立新")
    theirs = factories.org_secretary(username="chamber_sec")
    alliance = organisation(officer, secretaries=[ours])
    chamber = organisation(
        officer, code="pj-chamber", name="浦江镇商会生物医药分会", secretaries=[theirs], kind="chamber"
    )
    return alliance, chamber, ours, theirs
