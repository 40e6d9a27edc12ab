"""A small cluster whose cockpit figures are known exactly, made through the registry's services."""

from datetime import date
from decimal import Decimal

import pytest

from sanlian.enterprises import services
from sanlian.enterprises.models import CertificationType, Cluster, Park
from sanlian.enterprises.selectors import KEY_ENTERPRISE_TYPE
from tests import factories


def approved_report(enterprise, year: int, revenue: str, *, officer, author=None, employees: int = 80):
    """Save, submit and approve a report the way an enterprise and an officer would."""
    author = author or factories.superuser()
    report = services.annual_report_save(
        actor=author,
        enterprise=enterprise,
        year=year,
        data=factories.report_data(revenue=Decimal(revenue), employees=employees),
    )
    services.annual_report_transition(actor=author, report=report, action="submit")
    return services.annual_report_transition(actor=officer, report=report, action="approve")


def submitted_report(enterprise, year: int, revenue: str, *, author=None):
    author = author or factories.superuser()
    report = services.annual_report_save(
        actor=author, enterprise=enterprise, year=year, data=factories.report_data(revenue=Decimal(revenue))
    )
    return services.annual_report_transition(actor=author, report=report, action="submit")


def key_enterprise(enterprise, year: int, *, officer):
    return services.certification_add(
        actor=officer,
        enterprise=enterprise,
        data={"type": CertificationType.objects.get(code=KEY_ENTERPRISE_TYPE), "year": year},
    )


def build_cluster(*, officer, district_officer) -> dict:
    """Pujiang: four biomedical enterprises (A–D) and one other (E); Xinzhuang: F (counted) and G (founded 2024).

    Expected for Pujiang 2023: 4 enterprises; revenue A+B+D = 188,000,000.75 (C's report is only submitted,
    E is not biomedical); district 5 → share 0.8; gene-related A, B → 0.5; key enterprises A, E → 2 / 1.
    """
    admin = factories.superuser()
    cluster = {c.code: c for c in Cluster.objects.all()}
    lingang = Park.objects.get(code="lingang-pujiang")
    caohejing = Park.objects.get(code="caohejing-pujiang")
    made = {
        "A": factories.enterprise(
            actor=admin,
            name="甲基因医疗器械有限公司",
            cluster=cluster["devices"],
            is_gene_related=True,
            park=lingang,
            founded_date=date(2015, 5, 1),
        ),
        "B": factories.enterprise(
            actor=admin,
            name="乙生物制药有限公司",
            cluster=cluster["pharma-bio"],
            is_gene_related=True,
            park=caohejing,
            founded_date=date(2020, 6, 1),
        ),
        "C": factories.enterprise(
            actor=admin,
            name="丙健康管理有限公司",
            cluster=cluster["health-services"],
            founded_date=date(2023, 3, 1),
        ),
        "D": factories.enterprise(actor=admin, name="丁医疗设备有限公司", cluster=cluster["devices"]),
        "E": factories.enterprise(
            actor=admin, name="戊电子科技有限公司", industry_code="3990", is_biomedical=False, cluster=None
        ),
        "F": factories.enterprise("xinzhuang", actor=admin, name="己生物科技有限公司", founded_date=date(2010, 1, 1)),
        "G": factories.enterprise("xinzhuang", actor=admin, name="庚生物科技有限公司", founded_date=date(2024, 2, 1)),
    }
    approved_report(made["A"], 2022, "100000000.00", officer=officer, author=admin)
    approved_report(made["A"], 2023, "150000000.50", officer=officer, author=admin, employees=300)
    approved_report(made["B"], 2022, "20000000.00", officer=officer, author=admin)
    approved_report(made["B"], 2023, "30000000.25", officer=officer, author=admin, employees=120)
    submitted_report(made["C"], 2023, "5000000.00", author=admin)
    approved_report(made["D"], 2023, "8000000.00", officer=officer, author=admin, employees=40)
    approved_report(made["E"], 2023, "999999999.00", officer=officer, author=admin)
    approved_report(made["F"], 2023, "70000000.00", officer=district_officer, author=admin)
    key_enterprise(made["A"], 2023, officer=officer)
    key_enterprise(made["E"], 2023, officer=officer)
    key_enterprise(made["B"], 2022, officer=officer)
    key_enterprise(made["F"], 2023, officer=district_officer)
    return made


@pytest.fixture
def cluster(pujiang_officer, district_officer):
    return build_cluster(officer=pujiang_officer, district_officer=district_officer)
