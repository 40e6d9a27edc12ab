"""Approved talent applications for the certificate and benefit tests.

Built with the ORM for now: the application workflow's services are written in parallel, and an approved
application is all these tests need.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

from sanlian.core.models import Role
from sanlian.talent.models import Level, Round, TalentApplication
from sanlian.talent.services.certificates import certificate_issue
from tests import factories

NOW = datetime(2023, 9, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
TODAY = date(2023, 9, 1)
HOLDER = "张三丰"
ID_NUMBER = "11010519491231002X"


def talent_user(**kwargs):
    return factories.UserFactory(role=Role.TALENT, **kwargs)


def programme_round(year: int = 2023) -> Round:
    round_, _created = Round.objects.get_or_create(
        year=year,
        defaults={
            "name": f"{year}年闵行区春申金字塔人才",
            "issuer": "中共闵行区委人才工作领导小组办公室",
            "region": factories.region("minhang"),
            "open_date": date(year, 5, 1),
            "deadline_date": date(year, 6, 6),
            "age_reference_date": date(year - 1, 12, 31),
            "routes": ["conditions"],
            "types": [{"code": "technical", "name": "技术"}, {"code": "academic", "name": "学术"}],
            "status": Round.Status.CLOSED,
            "created_at": NOW,
            "updated_at": NOW,
        },
    )
    return round_


def level(round_: Round, code: str = "elite", **benefits) -> Level:
    defaults = {
        "name": "精英人才",
        "order": 3,
        "housing_subsidy_max": Decimal("500000.00"),
        "rent_subsidy_monthly": Decimal("5000.00"),
        "schooling": True,
        "medical": False,
    }
    defaults.update(benefits)
    found, _created = Level.objects.get_or_create(round=round_, code=code, defaults=defaults)
    return found


def approved_application(
    *, employer=None, applicant=None, name: str = HOLDER, year: int = 2023, level_code: str = "elite", **benefits
) -> TalentApplication:
    """An approved application of `applicant` (a fresh talent user unless given) at `employer`."""
    round_ = programme_round(year)
    employer = employer or factories.enterprise("pujiang")
    applicant = applicant if applicant is not None else talent_user()
    return TalentApplication.objects.create(
        round=round_,
        level=level(round_, level_code, **benefits),
        talent_type="technical",
        employer=employer,
        applicant=applicant or None,
        status=TalentApplication.Status.APPROVED,
        name=name,
        gender=TalentApplication.Gender.MALE,
        id_number=ID_NUMBER,
        phone="13812345678",
        birth_date=date(1949, 12, 31),
        created_at=NOW,
        updated_at=NOW,
        decided_at=NOW,
    )


def certified(**kwargs):
    """(application, certificate): an approved application with its certificate issued."""
    application = approved_application(**kwargs)
    return application, certificate_issue(actor=None, application=application, now=NOW)
