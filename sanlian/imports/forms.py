from django import forms
from django.utils.translation import gettext_lazy as _

from sanlian.core.i18n import Text
from sanlian.core.uploads import TABLES, checked_file

from .engine import MAX_IMPORT_BYTES
from .models import ImportKind, ImportTemplate


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入类型"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("文件(.xlsx 或 .csv)"),
        help_text=Text(  # formatted when the form is shown, in the reader's language (not once, at import)
            _("表头可在前 20 行内;金额列可在表头注明单位,如“注册资本(万元)”;上限 %(mb)s MB"),
            {"mb": MAX_IMPORT_BYTES // (1024 * 1024)},
        ),
    )
    sheet = forms.CharField(label=_("工作表"), required=False, max_length=100, help_text=_("留空则读取第一张工作表"))
    template = forms.ModelChoiceField(
        label=_("导入模板(列对应)"), queryset=ImportTemplate.objects.none(), required=False
    )

    def __init__(self, *args, templates=None, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:  # only the kinds the user may import
            self.fields["kind"].choices = [(k, label) for k, label in ImportKind.choices if k in kinds]
        if templates is not None:
            self.fields["template"].queryset = templates

    def clean_file(self):
        return checked_file(self.cleaned_data.get("file"), max_bytes=MAX_IMPORT_BYTES, kinds=TABLES)


class ConfirmForm(forms.Form):
    partial = forms.BooleanField(label=_("有错误时仍导入无误的行"), required=False)
