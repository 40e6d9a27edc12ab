"""Declarations test data (calls, applications), made through the real services."""

from datetime import date, datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanlian.policies import services
from tests import factories

# Inside the window of the default call (2026-05-01 … 2026-06-30).
TODAY = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.get_default_timezone())
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(32)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
NOT_A_DOCUMENT = b"\x13\x37 just some bytes that are no known file type " * 4

MATERIALS = [
    {"key": "license", "label": "营业执照", "required": True},
    {"key": "audit", "label": "审计报告", "required": False},
]
FORM_FIELDS = [
    {"key": "project", "label": "项目名称", "type": "text", "required": True},
    {"key": "amount", "label": "申请金额(万元)", "type": "number", "required": True},
    {"key": "start", "label": "项目开始日期", "type": "date"},
    {"key": "field", "label": "技术领域", "type": "choice", "choices": ["生物医药", "医疗器械"]},
    {"key": "summary", "label": "项目简介", "type": "textarea"},
]
GOOD_DATA = {"project": "新型支架研发", "amount": "120.5", "start": "2026-07-01", "field": "医疗器械"}

_codes = iter(range(1, 10_000))


def call_data(officer, **overrides) -> dict:
    data = {
        "code": f"call-{next(_codes)}",
        "title": "2026年度区级科技项目申报",
        "kind": "district_project",
        "region": officer.region,
        "issuer": "闵行区科学技术委员会",
        "description": "请符合条件的企业在申报期内提交材料。",
        "open_date": date(2026, 5, 1),
        "close_date": date(2026, 6, 30),
        "rule": {},
        "materials": MATERIALS,
        "form_fields": FORM_FIELDS,
        "status": "published",
    }
    data.update(overrides)
    return data


def make_call(officer, **overrides):
    return services.call_save(actor=officer, data=call_data(officer, **overrides))


def upload(name: str = "营业执照.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def user_of(enterprise):
    return enterprise.users.filter(is_active=True).first() or factories.enterprise_user(enterprise)


def draft(call, enterprise, *, data=None, materials=("license",), actor=None):
    """An application started, filled in and with the given checklist items uploaded (not submitted)."""
    actor = actor or user_of(enterprise)
    application = services.application_start(actor=actor, call=call, enterprise=enterprise)
    if data is None:
        data = GOOD_DATA
    if data:
        application = services.application_save(actor=actor, application=application, data=data)
    for item in materials:
        services.application_material_add(actor=actor, application=application, item=item, upload=upload())
    return application


def submitted(call, enterprise, **kwargs):
    application = draft(call, enterprise, **kwargs)
    return services.application_transition(actor=user_of(enterprise), application=application, action="submit")


def recommended(call, enterprise, town_officer, **kwargs):
    application = submitted(call, enterprise, **kwargs)
    return services.application_transition(actor=town_officer, application=application, action="recommend")
