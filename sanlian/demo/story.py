"""A little real history, told through the registry services with explicit times.

The showcase enterprise is registered by the Pujiang officer, files its 2023 report (approved), then
its 2024 report: returned once with a comment, the address updated, corrected and submitted again,
so it waits in the officer's review queue. Each step records its audit event and sends its inbox
messages exactly as in real use.
"""

from datetime import datetime

from django.utils.translation import gettext_lazy

from sanlian.core.services import notification_send
from sanlian.enterprises import services as registry

from .generator import TZ, DemoPlan
from .generator.vocab import REVIEW_COMMENTS, SHOWCASE

SHOWCASE_REGISTERED_AT = datetime(2024, 2, 26, 10, 5, tzinfo=TZ)
WELCOME_AT = datetime(2024, 2, 20, 9, 30, tzinfo=TZ)  # just after go-live


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=TZ)


def tell(*, plan: DemoPlan, enterprise, users: dict) -> int:
    """Run the story; returns how many annual reports it wrote."""
    admin, staff, officer = users["ent_admin"], users["ent_staff"], users["pj_officer"]
    reports = {r.year: r for r in plan.reports_of(enterprise.uscc) if r.via_story}

    # Spring 2024: the 2023 report, submitted by the admin and approved.
    report = registry.annual_report_save(
        actor=admin, enterprise=enterprise, year=2023, data=reports[2023].data(), now=at(2024, 3, 5, 10, 20)
    )
    registry.annual_report_transition(actor=admin, report=report, action="submit", now=at(2024, 3, 6, 9, 45))
    registry.annual_report_transition(actor=officer, report=report, action="approve", now=at(2024, 3, 12, 14, 30))

    # Spring 2025: the 2024 report. The first version counts interns as R&D staff and is returned.
    final = reports[2024].data()
    first = {**final, "rd_staff": final["rd_staff"] + 12}
    first["employees"] = max(final["employees"], first["rd_staff"])
    report = registry.annual_report_save(
        actor=staff, enterprise=enterprise, year=2024, data=first, now=at(2025, 3, 3, 15, 10)
    )
    registry.annual_report_transition(actor=admin, report=report, action="submit", now=at(2025, 3, 5, 9, 30))
    registry.annual_report_transition(
        actor=officer, report=report, action="return", comment=REVIEW_COMMENTS[0], now=at(2025, 3, 10, 16, 0)
    )
    # The company moved to a larger unit in the same park meanwhile.
    registry.enterprise_update(
        actor=admin, enterprise=enterprise, data={"address": SHOWCASE["new_address"]}, now=at(2025, 3, 12, 11, 0)
    )
    report = registry.annual_report_save(
        actor=staff, enterprise=enterprise, year=2024, data=final, now=at(2025, 3, 13, 10, 40)
    )
    registry.annual_report_transition(actor=admin, report=report, action="submit", now=at(2025, 3, 14, 9, 15))
    return len(reports)


def welcome(users) -> None:
    """An inbox message for each new demo account, so no landing page starts empty."""
    for user in users:
        if user.is_superuser:
            continue
        notification_send(
            recipients=[user],
            title=gettext_lazy("欢迎使用三链 · 产业集群公共服务平台"),
            body=gettext_lazy("这是演示账号,数据为演示生成(三家公开报道中的企业除外),可放心操作。"),
            channels=("inbox",),
            now=WELCOME_AT,
        )
