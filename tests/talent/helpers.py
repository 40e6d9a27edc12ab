"""Talent test data, made through the real services."""

from datetime import date, datetime
from pathlib import Path

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from stdnum.cn import ric

from sanlian.core.models import Role
from sanlian.talent.services import applications, rounds
from tests import factories

ROUNDS = Path(__file__).resolve().parents[2] / "sanlian" / "talent" / "data" / "rounds"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
# A day inside the 2023 round's application window (2023-05-08 … 2023-06-06).
IN_2023_WINDOW = datetime(2023, 5, 20, 10, 0, tzinfo=timezone.get_default_timezone())


def id_number(birth: date, serial: str = "123") -> str:
    """A valid 身份证号 of a person born on `birth` (odd serial = male)."""
    body = f"310104{birth:%Y%m%d}{serial}"  # 徐汇区: a code valid for any birth year
    return body + ric.calc_check_digit(body + "0")  # stdnum takes the number with a check placeholder


def round_document(year: int = 2023, **overrides) -> dict:
    document = yaml.safe_load((ROUNDS / f"{year}.yaml").read_text(encoding="utf-8"))
    document.update(overrides)
    return document


def open_round(officer, year: int = 2023, **overrides):
    """The year's round as configured by an officer and opened for applications."""
    round_ = rounds.round_save(
        actor=officer, document=round_document(year, **overrides), region=factories.region("minhang")
    )
    return rounds.round_set_status(actor=officer, round_=round_, status="open")


def talent_user(**kwargs):
    return factories.UserFactory(role=Role.TALENT, **kwargs)


def upload(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def person(**overrides) -> dict:
    data = {
        "name": "张三丰",
        "id_number": id_number(date(1985, 3, 14)),
        "phone": "13812345678",
        "talent_type": "technical",
        "route": "conditions",
        "position": "",
        "education": [{"degree": "doctor", "school": "复旦大学", "major": "生物化学", "year": "2012"}],
        "career": [{"start": "2012-07", "end": "", "employer": "浦江测试医疗器械有限公司", "title": "研发总监"}],
        "achievements": "主持研发三类医疗器械2项。",
        "contract_start_date": date(2021, 1, 1),
        "contract_end_date": date(2025, 12, 31),
        "social_insurance_months": 28,
    }
    data.update(overrides)
    return data


def filled(round_, actor, *, level: str = "elite", employer=None, materials=True, **data):
    """A draft with every field filled (and the required materials uploaded) by `actor`."""
    application = applications.application_start(
        actor=actor, round_=round_, level=round_.levels.get(code=level), employer=employer
    )
    applications.application_save(actor=actor, application=application, data=person(**data))
    if materials:
        for material in round_.materials:
            if material["required"] and not material["founders_only"]:
                applications.application_material_add(
                    actor=actor, application=application, item=material["key"], upload=upload()
                )
    application.refresh_from_db()
    return application


def move(application, actor, action: str, comment: str = "", **kwargs):
    return applications.application_transition(
        actor=actor, application=application, action=action, comment=comment, **kwargs
    )
