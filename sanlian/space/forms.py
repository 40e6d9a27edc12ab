"""Forms of the space service: types only; the services check the rules and name the faulty fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanlian.enterprises.models import Park

from .models import CLEANROOM_CHOICES, Kind, Listing, ListingFile

ANY = [("", _("不限"))]
SPEC_FLAGS = (
    ("exhaust", _("排风/废气处理")),
    ("pure_water", _("纯化水")),
    ("hazchem_permit", _("危化品使用许可")),
    ("env_approval", _("环评批复")),
)
DATE = forms.DateInput(attrs={"type": "date"})


class SearchForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=ANY + list(Kind.choices))
    park = forms.ModelChoiceField(label=_("园区"), required=False, queryset=Park.objects.all(), empty_label=_("不限"))
    area_min = forms.DecimalField(label=_("面积 ≥ (㎡)"), required=False, min_value=0, max_digits=10, decimal_places=2)
    area_max = forms.DecimalField(label=_("面积 ≤ (㎡)"), required=False, min_value=0, max_digits=10, decimal_places=2)
    cleanroom = forms.ChoiceField(label=_("洁净等级不低于"), required=False, choices=ANY + CLEANROOM_CHOICES)
    floor_load = forms.IntegerField(label=_("楼面荷载 ≥ (kg/㎡)"), required=False, min_value=0)
    power_kva = forms.IntegerField(label=_("供电容量 ≥ (kVA)"), required=False, min_value=0)
    exhaust = forms.BooleanField(label=_("排风/废气处理"), required=False)
    pure_water = forms.BooleanField(label=_("纯化水"), required=False)
    hazchem_permit = forms.BooleanField(label=_("危化品使用许可"), required=False)
    env_approval = forms.BooleanField(label=_("环评批复"), required=False)


class ListingForm(forms.Form):
    title = forms.CharField(label=_("标题"), required=False)
    park = forms.ModelChoiceField(label=_("园区"), required=False, queryset=Park.objects.none())
    landlord_uscc = forms.CharField(label=_("业主/运营方统一社会信用代码"), required=False, max_length=18)
    building = forms.CharField(label=_("楼栋"), required=False)
    floor = forms.CharField(label=_("楼层"), required=False)
    unit = forms.CharField(label=_("单元"), required=False)
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", "—")] + list(Kind.choices))
    area = forms.CharField(label=_("面积(㎡)"), required=False)
    rent_yuan = forms.CharField(label=_("租金(元/㎡/天)"), required=False)
    available_date = forms.DateField(label=_("可入驻日期"), required=False, widget=DATE)
    cleanroom = forms.ChoiceField(label=_("洁净等级"), required=False, choices=[("", _("无"))] + CLEANROOM_CHOICES)
    floor_load = forms.CharField(label=_("楼面荷载(kg/㎡)"), required=False)
    power_kva = forms.CharField(label=_("供电容量(kVA)"), required=False)
    exhaust = forms.BooleanField(label=_("排风/废气处理"), required=False)
    pure_water = forms.BooleanField(label=_("纯化水"), required=False)
    hazchem_permit = forms.BooleanField(label=_("危化品使用许可"), required=False)
    env_approval = forms.BooleanField(label=_("环评批复"), required=False)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, parks=None, officer=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = parks if parks is not None else Park.objects.all()
        if not officer:
            del self.fields["landlord_uscc"]

    @staticmethod
    def initial_of(listing: Listing) -> dict:
        data = {name: getattr(listing, name) for name in (
            "title", "building", "floor", "unit", "kind", "area", "available_date", "cleanroom", "floor_load",
            "power_kva", "exhaust", "pure_water", "hazchem_permit", "env_approval", "description")}  # fmt: skip
        data.update(park=listing.park_id, rent_yuan=listing.rent_yuan, landlord_uscc=listing.landlord.uscc)
        return data


class FileForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=ListingFile.Kind.choices)


class MoveForm(forms.Form):
    action = forms.CharField()
    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RequestForm(forms.Form):
    purpose = forms.CharField(label=_("用途"), required=False)
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=ANY + list(Kind.choices))
    area_min = forms.CharField(label=_("最小面积(㎡)"), required=False)
    area_max = forms.CharField(label=_("最大面积(㎡)"), required=False)
    max_rent_yuan = forms.CharField(label=_("租金上限(元/㎡/天)"), required=False)
    move_in_date = forms.DateField(label=_("计划入驻日期"), required=False, widget=DATE)
    park = forms.ModelChoiceField(
        label=_("意向园区"), required=False, queryset=Park.objects.all(), empty_label=_("不限")
    )
    required_cleanroom = forms.ChoiceField(label=_("洁净等级不低于"), required=False, choices=ANY + CLEANROOM_CHOICES)
    required_floor_load = forms.CharField(label=_("楼面荷载 ≥ (kg/㎡)"), required=False)
    required_power_kva = forms.CharField(label=_("供电容量 ≥ (kVA)"), required=False)
    preferred_cleanroom = forms.ChoiceField(label=_("洁净等级不低于"), required=False, choices=ANY + CLEANROOM_CHOICES)
    preferred_floor_load = forms.CharField(label=_("楼面荷载 ≥ (kg/㎡)"), required=False)
    preferred_power_kva = forms.CharField(label=_("供电容量 ≥ (kVA)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for prefix in ("required", "preferred"):
            for name, label in SPEC_FLAGS:
                self.fields[f"{prefix}_{name}"] = forms.BooleanField(label=label, required=False)

    def spec_fields(self, prefix: str):
        return [self[name] for name in self.fields if name.startswith(prefix + "_")]


class BookForm(forms.Form):
    listing = forms.IntegerField()
    starts_at = forms.DateTimeField(
        label=_("看房时间"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": 1800})
    )
    note = forms.CharField(label=_("说明"), required=False)


class ViewingMoveForm(forms.Form):
    action = forms.CharField()
    starts_at = forms.DateTimeField(required=False)
    note = forms.CharField(required=False)
    area = forms.CharField(required=False)
    rent_yuan = forms.CharField(required=False)
    start_date = forms.DateField(required=False)
