"""Form helpers shared by every module."""

from django import forms
from django.core.exceptions import ValidationError


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form fields it names (others become form errors)."""
    for field, messages in exc.message_dict.items():
        if field in form.fields:
            form.add_error(field, messages)
        else:
            form.add_error(None, [f"{field}: {m}" for m in messages])


def error_text(exc: ValidationError) -> str:
    """Every message of a service's ValidationError as one line (for a flash message)."""
    if hasattr(exc, "error_dict"):
        return " ".join(m for msgs in exc.message_dict.values() for m in msgs)
    return " ".join(exc.messages)
