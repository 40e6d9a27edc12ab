"""Text rendered later, in whichever language is active then.

A notification is written once but read in each recipient's language, so its sender hands over the message
and its parameters instead of a finished string: Text(gettext_lazy("您的%(year)s年度年报已审核通过"), {"year": 2024}).
notification_send renders it once per language (core.services.notification_renderings).
"""

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext


class Text:
    """A lazy message with %-parameters. A parameter may be data (kept as it is), a lazy translation or another
    Text (rendered in the active language), or a list or tuple of those (joined with the language's list
    separator: 、 or , )."""

    def __init__(self, message, params: Mapping | None = None):
        self.message = message
        self.params = dict(params or {})

    def __str__(self) -> str:
        text = str(self.message)
        return text % {key: _render(value) for key, value in self.params.items()} if self.params else text

    def __repr__(self) -> str:
        return f"Text({str(self.message)!r}, {self.params!r})"

    def __add__(self, other) -> "Text":
        """Text + "(comment)": the two rendered side by side."""
        return Text("%(a)s%(b)s", {"a": self, "b": other})

    def __radd__(self, other) -> "Text":
        return Text("%(a)s%(b)s", {"a": other, "b": self})

    def __eq__(self, other) -> bool:
        return isinstance(other, Text) and (str(self.message), self.params) == (str(other.message), other.params)

    __hash__ = None


def _render(value):
    if isinstance(value, Promise | Text):
        return str(value)
    if isinstance(value, list | tuple):
        return gettext("、").join(str(_render(item)) for item in value)
    return value


def choice_label(instance, field_name: str):
    """The lazy label of a choice field's value (get_FOO_display() without fixing the language now)."""
    field = instance._meta.get_field(field_name)
    value = getattr(instance, field.attname)
    return dict(field.flatchoices).get(value, value)
