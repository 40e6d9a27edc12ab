"""The community: organisations (联盟, 知新会, 商会分会) and their members, events, news.

One module per part, so each stays readable; Django finds the models through this package.
"""

from .event_documents import DocumentBatch, DocumentKind, IssuedDocument
from .events import Event, EventSession, Registration, SurveyAnswer, SurveyQuestion
from .organisations import Organisation

__all__ = [
    "DocumentBatch",
    "DocumentKind",
    "IssuedDocument",
    "Event",
    "EventSession",
    "Organisation",
    "Registration",
    "SurveyAnswer",
    "SurveyQuestion",
]
