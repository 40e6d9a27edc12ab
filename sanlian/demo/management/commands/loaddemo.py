"""`sanlian loaddemo [--reset]`: the Pujiang biomedical demo (deterministic, safe to run twice)."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from sanlian.dashboard.selectors import stats
from sanlian.demo.generator import REVENUE_TARGET_YEAR
from sanlian.demo.services import demo_load, demo_unload
from sanlian.enterprises.models import Region


class Command(BaseCommand):
    help = (
        "Load the deterministic demo of 浦江镇 (闵行区): enterprises, annual reports, certifications, contacts "
        "and one account per role. Existing enterprises (by USCC) are kept as they are, accounts are reset "
        "to their demo settings; a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="remove the demo data and accounts first")

    def handle(self, *args, reset=False, **options):
        started = time.perf_counter()
        if reset:
            removed = demo_unload()
            self.stdout.write(
                _("已删除演示数据:企业 %(enterprises)s 家,账号 %(users)s 个;审计记录只增不删,保留 %(kept)s 条")
                % {**removed, "kept": removed["audit_events_kept"]}
            )
        result = demo_load()
        if result.changed:
            self.stdout.write(
                _(
                    "新增企业 %(enterprises)s 家,年报 %(reports)s 份,资质 %(certifications)s 项,"
                    "联系人 %(contacts)s 人;新建账号 %(created)s 个,恢复账号 %(updated)s 个"
                )
                % {
                    "enterprises": result.enterprises,
                    "reports": result.reports,
                    "certifications": result.certifications,
                    "contacts": result.contacts,
                    "created": len(result.users_created),
                    "updated": len(result.users_updated),
                }
            )
            p = result.policies
            self.stdout.write(
                _(
                    "政策 %(policies)s 项(%(versions)s 个版本),参数 %(parameters)s 个,申报通知 %(calls)s 个,"
                    "申报 %(applications)s 份,政策匹配结果 %(results)s 条"
                )
                % {
                    "policies": p.policies,
                    "versions": p.versions,
                    "parameters": p.parameters,
                    "calls": p.calls,
                    "applications": p.applications,
                    "results": p.results,
                }
            )
            t = result.talent
            self.stdout.write(
                _(
                    "春申人才计划:年度 %(rounds)s 个,申报 %(applications)s 份(已认定 %(approved)s 人,"
                    "证书 %(certificates)s 张,评审 %(reviews)s 条,公示 %(notices)s 次),重点企业条款 %(key_terms)s 条,"
                    "待遇 %(benefits)s 笔,引才大使 %(ambassadors)s 位(线索 %(leads)s 条)"
                )
                % {
                    "rounds": t.rounds,
                    "applications": t.applications,
                    "approved": t.approved,
                    "certificates": t.certificates,
                    "reviews": t.reviews,
                    "notices": t.notices,
                    "key_terms": t.key_terms,
                    "benefits": t.benefits,
                    "ambassadors": t.ambassadors,
                    "leads": t.leads,
                }
            )
            if result.chain:
                c = result.chain
                self.stdout.write(
                    _(
                        "产业链:供需信息 %(postings)s 条,对接意向 %(interests)s 条(已签约 %(signed)s 条),"
                        "对接会 %(events)s 场(参会企业 %(participants)s 家,已约洽谈 %(accepted)s 场)"
                    )
                    % {
                        key: c.get(key, 0)
                        for key in ("postings", "interests", "signed", "events", "participants", "accepted")
                    }
                )
            if result.desk:
                self.stdout.write(
                    _(
                        "企业服务:分派规则 %(routing_rules)s 条,企业诉求 %(requests)s 件(督办 %(escalated)s 件,"
                        "超时自动办结 %(autoclosed)s 件),走访记录 %(visits)s 条"
                    )
                    % result.desk
                )
            if any(result.providers.values()):
                self.stdout.write(
                    _(
                        "服务机构 %(providers)s 家(服务项目 %(provider_services)s 项),经服务台委托 "
                        "%(provider_requests)s 件,评价 %(provider_ratings)s 条"
                    )
                    % result.providers
                )
            if result.ip.get("ip_assets"):
                self.stdout.write(_("知识产权:%(ip_assets)s 项(%(ip_enterprises)s 家企业)") % result.ip)
            if result.space:
                c = result.space
                message = _(
                    "空间服务:房源 %(listings)s 个(在架 %(published)s 个,已租出 %(leased)s 个,"
                    "待核验 %(pending)s 个),租赁成交 %(leases)s 笔,空间需求 %(requests)s 个,看房预约 %(viewings)s 次"
                )
                keys = ("listings", "published", "leased", "pending", "leases", "requests", "viewings")
                self.stdout.write(message % {k: c.get(k, 0) for k in keys})
            if result.community.get("members"):
                message = _("社群组织会员 %(members)s 名,入会申请 %(applications)s 份,组织文件 %(documents)s 份")
                self.stdout.write(message % result.community)
            if result.community.get("articles"):
                self.stdout.write(_("新闻动态 %(articles)s 篇") % result.community)
            if result.community.get("events"):
                message = _(
                    "社群活动 %(events)s 场,活动报名 %(event_registrations)s 份,颁发证书与聘书 %(event_documents)s 份"
                )
                self.stdout.write(message % result.community)
        else:
            self.stdout.write(_("演示数据已存在,无需更改。"))
        self.stdout.write(_("搜索索引 %(documents)s 条") % {"documents": sum(result.search.values())})
        figures = stats(Region.objects.get(code="pujiang"), REVENUE_TARGET_YEAR)
        self.stdout.write(
            _(
                "%(town)s %(year)s年:生物医药企业 %(count)s 家,营收 %(revenue).2f 亿元,占%(district)s %(share).1f%%,"
                "基因相关 %(gene).1f%%;春申重点企业 %(key)s 家(生物医药 %(key_bio)s 家);"
                "春申人才 %(talents)s 人(生物医药产业 %(talents_bio)s 人)"
            )
            % {
                "town": figures["town"],
                "year": REVENUE_TARGET_YEAR,
                "count": figures["biomedical_enterprises"],
                "revenue": figures["biomedical_revenue_yuan"] / 100_000_000,
                "district": figures["district"],
                "share": (figures["district_share"] or 0) * 100,
                "gene": (figures["gene_related_share"] or 0) * 100,
                "key": figures["key_enterprises"],
                "key_bio": figures["key_enterprises_biomedical"],
                "talents": figures["talents"],
                "talents_bio": figures["talents_biomedical"],
            }
        )
        self.stdout.write(
            self.style.SUCCESS(
                _("完成,用时 %(seconds).1f 秒。演示账号见 `sanlian demo_logins`。")
                % {"seconds": time.perf_counter() - started}
            )
        )
