"""Organisations of the cluster: the industry alliance, the 知新会 think tank, the chamber's branch and others."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanlian.core.permissions import ScopePaths
from sanlian.enterprises.models import localized_name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        ALLIANCE = "alliance", _("产业联盟")
        THINK_TANK = "think_tank", _("知新会")
        CHAMBER = "chamber", _("商会分会")
        ASSOCIATION = "association", _("协会")
        OTHER = "other", _("其他组织")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    region = models.ForeignKey(
        "enterprises.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("所在地")
    )
    description = models.TextField(_("简介"), blank=True)
    founded_date = models.DateField(_("成立日期"), null=True, blank=True)
    # The accounts that run it (联盟/商会秘书); a secretary manages only the organisations listed here.
    secretaries = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="organisations_run", verbose_name=_("秘书")
    )
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    scope = ScopePaths(region="region")

    class Meta:
        verbose_name = _("社群组织")
        verbose_name_plural = _("社群组织")
        ordering = ["region__path", "name"]

    def __str__(self):
        return localized_name(self)
