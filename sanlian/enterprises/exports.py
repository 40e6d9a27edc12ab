"""The directory's and the report review queue's export columns (written by `sanlian.core.exports`)."""

from django.utils.translation import gettext as _

from sanlian.core.exports import Column, yes_no


def directory_columns(*, revenue_year: int) -> tuple[Column, ...]:
    """Rows of the directory, each with its `revenue_of_year` (see `selectors.with_revenue`)."""
    return (
        Column(_("企业名称"), "name"),
        Column(_("统一社会信用代码"), "uscc"),
        Column(_("镇/街道"), "town.name"),
        Column(_("园区"), "park.name"),
        Column(_("产业集群"), "cluster.name"),
        Column(_("行业代码"), "industry_code"),
        Column(_("生物医药"), lambda e: yes_no(e.is_biomedical)),
        Column(_("基因相关"), lambda e: yes_no(e.is_gene_related)),
        Column(_("产业链环节"), lambda e: " ".join(node.code for node in e.chain_nodes.all())),
        Column(_("成立日期"), "founded_date", "date"),
        Column(_("%(year)s年营业收入(元)") % {"year": revenue_year}, "revenue_of_year", "money"),
    )


def review_queue_columns() -> tuple[Column, ...]:
    """The annual reports waiting for review, with last year's approved revenue for comparison."""
    return (
        Column(_("企业名称"), "enterprise.name"),
        Column(_("统一社会信用代码"), "enterprise.uscc"),
        Column(_("镇/街道"), "enterprise.town.name"),
        Column(_("年度"), "year", "year"),
        Column(_("营业收入(元)"), "revenue", "money"),
        Column(_("上年营收(元)"), "previous_revenue", "money"),
        Column(_("提交时间"), "submitted_at", "datetime"),
    )
