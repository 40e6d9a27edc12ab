"""Form helpers shared by every module."""

from contextlib import contextmanager

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ApiTokenForm(forms.Form):
    """A new API token: what it is for and how many days it lives (the service checks the bounds)."""

    name = forms.CharField(label=gettext_lazy("用途"), max_length=100, help_text=gettext_lazy("例如:区数据中台同步"))
    days = forms.IntegerField(label=gettext_lazy("有效期(天)"), min_value=1)


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form fields it names (others become form errors)."""
    for field, texts in exc.message_dict.items():
        if field in form.fields:
            form.add_error(field, texts)
        else:
            form.add_error(None, [f"{field}: {m}" for m in texts])


def error_text(exc: ValidationError) -> str:
    """Every message of a service's ValidationError as one line (for a flash message)."""
    if hasattr(exc, "error_dict"):
        return " ".join(m for msgs in exc.message_dict.values() for m in msgs)
    return " ".join(exc.messages)


@contextmanager
def flash_outcome(request, *, success: str):
    """Run a service call and tell the user how it went: the success message, or what was refused and why."""
    try:
        yield
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    except PermissionDenied:
        messages.error(request, _("您无权执行该操作"))
    else:
        messages.success(request, success)
