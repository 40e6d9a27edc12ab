"""The answer to a logged reveal: the unmasked value as an HTML fragment for htmx, never cached."""

from django.http import HttpResponse
from django.utils.html import escape


def revealed(value: str) -> HttpResponse:
    response = HttpResponse(f'<span class="revealed">{escape(value)}</span>')
    response["Cache-Control"] = "no-store"
    return response
