"""The talents importer (人才): the roster of a past round's recognised talents, e.g. 2024's 春申人才 list.

Each row becomes what the workflow would have produced: an approved application (已认定) of the round
(by year) at the level (code or name), for the employer named by its USCC in the officer's scope, with
the certificate the talent services issue on approval (`certificate_issue`: the round's next CS number,
a verification token, the employer's users notified). The personal data is checked by the application
form's own rules (`clean_personal_data`: the ID number by python-stdnum cn.ric with birth date and check
digit, gender from it, mobile number, level, type and route of the round) and stored as the model does
(ID and phone encrypted, a keyed digest to find the person). The key is the model's uniqueness: one live
application per (round, ID number). Re-importing updates an approved application (history: field names
only, as the manual save) and is "unchanged" when nothing differs; a person with an application still
in the workflow is rejected. The error report masks ID and phone numbers.

Recognition is the district's decision, so the permission is `talent_application.decide`.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core.masking import mask_id_number, mask_phone
from sanlian.core.rowpipe import CHOICE, INT, Column, ParsedRow
from sanlian.core.services import audit_records
from sanlian.core.sheets import compact
from sanlian.talent.models import ApplicationEvent, Level, Round, Route, TalentApplication
from sanlian.talent.services.applications import clean_personal_data
from sanlian.talent.services.certificates import certificate_issue

from .engine import Importer, Row, validation_messages

Status = TalentApplication.Status
ROUTES = {compact(key): value for value, label in Route.choices for key in (value, label)}
PERSONAL = ("name", "id_number", "phone", "level", "talent_type", "route", "position")

TALENT_COLUMNS = (
    Column("id_number", "身份证号", required=True, aliases=("身份证号码", "证件号码", "公民身份号码")),
    Column("year", "年度", kind=INT, required=True, aliases=("认定年度", "计划年度")),
    Column("level", "人才层次", required=True, aliases=("层次", "认定层次", "层级")),
    Column("name", "姓名", required=True, max_length=64),
    Column("uscc", "用人单位统一社会信用代码", required=True, aliases=("统一社会信用代码", "信用代码", "单位信用代码")),
    Column("phone", "手机号", aliases=("手机", "联系电话", "手机号码")),
    Column("talent_type", "人才类型", aliases=("类型",)),
    Column("route", "认定方式", kind=CHOICE, choices=ROUTES, aliases=("认定途径",)),
    Column("position", "岗位", aliases=("岗位代码",), max_length=32),
)
MASKS = {"id_number": mask_id_number, "phone": mask_phone}


class TalentImporter(Importer):
    kind = "talents"
    label = gettext_lazy("人才名单")
    permission = "talent_application.decide"
    columns = TALENT_COLUMNS
    example = ("11010519491231002X", 2024, "精英人才", "张三", "91310112MA1GB0000X", "13800138000", "", "", "")

    def key(self, row: ParsedRow):
        number, year = row.values.get("id_number"), row.values.get("year")
        return (year, compact(number)) if number and year else None

    def shown(self, field_name: str, raw: str) -> str:
        mask = MASKS.get(field_name)
        return mask(raw) if mask and raw else raw

    def check(self, rows: list[Row], *, actor, now) -> None:
        from .kinds import _EnterpriseRows  # the enterprise lookup in scope (kinds imports this module)

        rounds = {r.year: r for r in Round.objects.filter(year__in={row.values["year"] for row in rows})}
        levels = {}
        for level in Level.objects.filter(round__in=rounds.values()):
            for name in (level.code, level.name):
                levels[(level.round_id, compact(name))] = level
        for row in rows:
            row.values["uscc"] = compact(row.values["uscc"])
            if row.values["year"] not in rounds:
                row.reject("year", _("找不到 %(year)s 年度的人才计划") % {"year": row.values["year"]})
        rows = [row for row in rows if row.ok]
        employers = _EnterpriseRows._enterprises(self, rows, actor)
        rows = [row for row in rows if row.ok]
        checked = []
        for row in rows:
            round_ = rounds[row.values["year"]]
            level = levels.get((round_.pk, compact(row.values["level"])), row.values["level"])
            data = {name: row.values[name] for name in PERSONAL if row.values.get(name) not in (None, "")}
            try:
                clean = clean_personal_data(TalentApplication(round=round_), {**data, "level": level})
            except ValidationError as exc:
                for name, message in validation_messages(exc):
                    row.reject(name or "id_number", message)
                continue
            checked.append((row, round_, employers[row.values["uscc"]], clean))
        existing = {}
        digests = {clean["id_digest"] for _row, _round, _employer, clean in checked}
        found = TalentApplication.objects.filter(round__in=rounds.values(), id_digest__in=digests)
        for application in found.exclude(status=Status.WITHDRAWN):
            existing[(application.round_id, application.id_digest)] = application
        for row, round_, employer, clean in checked:
            application = existing.get((round_.pk, clean["id_digest"]))
            self._plan(row, round_, employer, clean, application, actor=actor, now=now)

    @staticmethod
    def _plan(row: Row, round_, employer, clean: dict, application, *, actor, now) -> None:
        if application is None:
            actor = actor if getattr(actor, "pk", None) else None
            application = TalentApplication(
                round=round_, employer=employer, status=Status.APPROVED, created_by=actor, decided_by=actor,
                decided_at=now, created_at=now, updated_at=now, eligibility="eligible", **clean,
            )  # fmt: skip
            row.outcome, row.plan = "created", (application, [])
            return
        if application.status != Status.APPROVED:
            message = _("该身份证号在本年度已有申报(%(status)s),不能重复导入")
            row.reject("id_number", message % {"status": application.get_status_display()})
            return
        changed = sorted(
            name
            for name, value in clean.items()
            if (application.level_id != value.pk if name == "level" else getattr(application, name) != value)
        )
        if application.employer_id != employer.pk:
            changed.append("employer")
            application.employer = employer
        for name in changed:
            if name != "employer":
                setattr(application, name, clean[name])
        row.outcome, row.plan = ("updated" if changed else "unchanged"), (application, changed)

    def write(self, rows: list[Row], *, actor, now, progress) -> None:
        created = [row.plan[0] for row in rows if row.outcome == "created"]
        TalentApplication.objects.bulk_create(created, batch_size=500)
        updated = [row for row in rows if row.outcome == "updated"]
        for row in updated:
            row.plan[0].updated_at = now
            row.plan[0].save()
        actor_id = actor.pk if getattr(actor, "pk", None) else None
        ApplicationEvent.objects.bulk_create(
            ApplicationEvent(application=a, action="approve", from_status="", to_status=Status.APPROVED,
                             comment=_("导入"), actor_id=actor_id, created_at=now)
            for a in created
        )  # fmt: skip
        # The manual journey's names: created, then approved; a re-import is a save (field names only:
        # the audit trail must not become a copy of the personal data).
        entries = []
        for row in rows:
            application, changed = row.plan
            if row.outcome == "created":
                entries.append(("talent_application.create", application, {}, application.employer_id, _("导入")))
                entries.append(("talent_application.approve", application, {"status": [None, Status.APPROVED]},
                                application.employer_id, _("导入")))  # fmt: skip
            else:
                entries.append(("talent_application.save", application, {"fields": changed},
                                application.employer_id, _("导入")))  # fmt: skip
        audit_records(actor=actor, entries=entries, now=now)
        for done, application in enumerate(created, start=1):
            certificate_issue(actor=actor, application=application, now=now)
            if done % 500 == 0:
                progress(done)
        progress(len(rows))
