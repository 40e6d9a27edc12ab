"""Shapes of the registry in /api/v1: reference codes are the stable identifiers, money is a decimal string."""

from datetime import date, datetime
from typing import Literal

from django.utils import timezone
from ninja import Field, Schema

from sanlian.core.api import IsoDate, MoneyIn, MoneyOut, ObjectId, Year
from sanlian.core.masking import mask_email, mask_phone

ReportStatus = Literal["draft", "submitted", "approved", "returned"]


# ---------------------------------------------------------------- reference lists


class RegionOut(Schema):
    code: str
    name: str
    name_en: str
    level: Literal["city", "district", "town", "street"]
    parent: str | None = Field(None, description="上级区域代码 / parent region code")

    @staticmethod
    def resolve_parent(obj) -> str | None:
        # The parent's code without loading it: regions' paths are "<code>/<code>/…/".
        parts = obj.path.strip("/").split("/")
        return parts[-2] if len(parts) > 1 else None


class ParkOut(Schema):
    code: str
    name: str
    name_en: str
    town: str = Field(description="所在镇/街道代码 / town code")

    @staticmethod
    def resolve_town(obj) -> str:
        return obj.town.code


class ClusterOut(Schema):
    code: str
    name: str
    name_en: str


class ChainNodeOut(Schema):
    code: str
    stage: Literal["upstream", "midstream", "downstream", "support"]
    name: str
    name_en: str
    description: str


# ---------------------------------------------------------------- enterprises


class EnterpriseFilters(Schema):
    """The directory's filters, the same as the page's."""

    q: str = Field("", description="名称或统一社会信用代码 / name or USCC")
    town: str = Field("", description="镇/街道代码 / town code")
    park: str = Field("", description="园区代码 / park code")
    cluster: str = Field("", description="产业集群代码 / cluster code")
    chain_node: str = Field("", description="产业链环节代码,如 M5 / chain node code")
    certification: str = Field("", description="资质类型代码(在 as_of 日有效)/ certification type code")
    revenue_band: Literal["", "lt10m", "10m-50m", "50m-200m", "200m-1b", "ge1b"] = Field(
        "", description="营收区间 / revenue band"
    )
    revenue_year: Year | None = Field(None, description="营收区间所依据的年度 / year of the revenue band")
    key_year: Year | None = Field(None, description="春申重点企业年度 / key-enterprise year")
    biomedical: bool | None = None
    as_of: IsoDate | None = Field(None, description="资质有效的日期,默认今天 / date certifications are held on")


class EnterpriseListOut(Schema):
    id: int
    name: str
    name_en: str
    uscc: str
    industry_code: str
    is_biomedical: bool
    is_gene_related: bool
    cluster: str | None = Field(description="产业集群代码 / cluster code")
    town: str = Field(description="镇/街道代码 / town code")
    park: str | None = Field(description="园区代码 / park code")
    chain_nodes: list[str] = Field(description="产业链环节代码 / chain node codes")

    @staticmethod
    def resolve_cluster(obj) -> str | None:
        return obj.cluster.code if obj.cluster_id else None

    @staticmethod
    def resolve_town(obj) -> str:
        return obj.town.code

    @staticmethod
    def resolve_park(obj) -> str | None:
        return obj.park.code if obj.park_id else None

    @staticmethod
    def resolve_chain_nodes(obj) -> list[str]:
        # Prefetched by the selector: sorting in Python keeps it one query per page.
        return sorted(node.code for node in obj.chain_nodes.all())


class CertificationOut(Schema):
    type: str = Field(description="资质类型代码 / certification type code")
    type_name: str
    issuer: str
    number: str
    year: int | None
    valid_from_date: date | None
    valid_until_date: date | None
    is_valid: bool = Field(description="今天是否有效 / held today")

    @staticmethod
    def resolve_type(obj) -> str:
        return obj.type.code

    @staticmethod
    def resolve_type_name(obj) -> str:
        return obj.type.name

    @staticmethod
    def resolve_is_valid(obj) -> bool:
        today = timezone.localdate()
        return (obj.valid_from_date is None or obj.valid_from_date <= today) and (
            obj.valid_until_date is None or obj.valid_until_date >= today
        )


class ContactOut(Schema):
    """Phone and email are always masked here; the full values only on a logged reveal in the pages."""

    id: int
    name: str
    title: str
    phone: str = Field(description="已脱敏 / masked")
    email: str = Field(description="已脱敏 / masked")
    is_primary: bool

    @staticmethod
    def resolve_phone(obj) -> str:
        return mask_phone(obj.phone or "")

    @staticmethod
    def resolve_email(obj) -> str:
        return mask_email(obj.email or "")


class ContactIn(Schema):
    name: str = Field(description="姓名 / name")
    title: str = Field("", description="职务 / job title")
    phone: str = Field("", description="11 位手机号 / mobile number")
    email: str = Field("", description="电子邮箱 / email")
    is_primary: bool = False


class ContactRemovedOut(Schema):
    id: int = Field(description="已删除的联系人 / the contact removed, with its personal data")


class ContactRevealedOut(Schema):
    """The full values, each reveal recorded in the audit trail (PIPL)."""

    id: int
    phone: str
    email: str


class CertificationIn(Schema):
    type: str = Field(max_length=32, description="资质类型代码,如 hnte / certification type code")
    issuer: str = Field("", description="认定机构,默认该类型的机构 / issuer, the type's by default")
    number: str = Field("", description="证书编号 / certificate number")
    year: int | None = Field(None, strict=True, description="认定年度 / year")
    valid_from_date: IsoDate | None = None
    valid_until_date: IsoDate | None = None
    source_document: str = Field("", description="依据文件 / source document")


class ReportSummaryOut(Schema):
    id: int
    year: int
    status: ReportStatus


class EnterpriseOut(EnterpriseListOut):
    uscc_override_reason: str
    founded_date: date | None
    registered_capital: MoneyOut | None
    legal_representative: str
    address: str
    business_scope: str
    description: str
    is_demo: bool
    created_at: datetime
    updated_at: datetime
    certifications: list[CertificationOut]
    contacts: list[ContactOut]
    annual_reports: list[ReportSummaryOut]

    @staticmethod
    def resolve_certifications(obj):
        return obj.certifications.all()

    @staticmethod
    def resolve_contacts(obj):
        return obj.contacts.all()

    @staticmethod
    def resolve_annual_reports(obj):
        return obj.annual_reports.all()


class EnterpriseIn(Schema):
    """Registration facts; town, park, cluster and chain nodes by their codes."""

    name: str
    name_en: str = ""
    uscc: str = Field(description="统一社会信用代码 / unified social credit code")
    uscc_override_reason: str = Field(
        "", description="校验位错误时工作人员填写的例外说明 / an officer's reason for a bad check character"
    )
    industry_code: str = Field(description="GB/T 4754-2017 行业代码(2–4位数字)/ industry code, 2–4 digits")
    is_biomedical: bool = False
    cluster: str | None = Field(None, description="产业集群代码 / cluster code")
    is_gene_related: bool = False
    town: str = Field(description="镇/街道代码 / town code")
    park: str | None = Field(None, description="园区代码 / park code")
    chain_nodes: list[str] = Field([], description="产业链环节代码 / chain node codes")
    founded_date: date | None = None
    registered_capital: MoneyIn | None = None
    legal_representative: str = ""
    address: str = ""
    business_scope: str = ""
    description: str = ""


# ---------------------------------------------------------------- annual reports


class AnnualReportFilters(Schema):
    year: Year | None = None
    status: ReportStatus | None = None
    enterprise: ObjectId | None = Field(None, description="企业编号 / enterprise id")


class AnnualReportOut(Schema):
    id: int
    enterprise: int = Field(description="企业编号 / enterprise id")
    enterprise_name: str
    year: int
    revenue: MoneyOut
    tax: MoneyOut
    rd_spend: MoneyOut
    employees: int
    rd_staff: int
    patents_invention: int
    patents_utility: int
    patents_design: int
    patents_total: int
    status: ReportStatus
    review_comment: str
    submitted_at: datetime | None
    reviewed_at: datetime | None

    @staticmethod
    def resolve_enterprise(obj) -> int:
        return obj.enterprise_id

    @staticmethod
    def resolve_enterprise_name(obj) -> str:
        return obj.enterprise.name


class AnnualReportIn(Schema):
    # Counts are strict: JSON true/false is not a number (lax pydantic would read it as 1/0).
    revenue: MoneyIn
    tax: MoneyIn
    rd_spend: MoneyIn
    employees: int = Field(ge=0, strict=True)
    rd_staff: int = Field(ge=0, strict=True)
    patents_invention: int = Field(0, ge=0, strict=True)
    patents_utility: int = Field(0, ge=0, strict=True)
    patents_design: int = Field(0, ge=0, strict=True)


class ReportTransitionIn(Schema):
    action: Literal["submit", "approve", "return"]
    comment: str = Field("", description="审核意见(退回时必填)/ review comment, required to return")
