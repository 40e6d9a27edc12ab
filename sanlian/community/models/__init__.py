"""The community: organisations (联盟, 知新会, 商会分会) and their members, events, news.

One module per part, so each stays readable; Django finds the models through this package.
"""

from .event_documents import DocumentBatch, DocumentKind, IssuedDocument
from .events import Event, EventPhoto, EventSession, Registration, SurveyAnswer, SurveyQuestion
from .news import Article, ArticleView, Tag
from .organisations import JoinApplication, Member, MemberRole, Organisation, OrgDocument

__all__ = [
    "Article", "ArticleView", "DocumentBatch", "DocumentKind", "Event", "EventPhoto", "EventSession", "IssuedDocument",
    "JoinApplication", "Member", "MemberRole", "OrgDocument", "Organisation", "Registration", "SurveyAnswer",
    "SurveyQuestion", "Tag",
]  # fmt: skip
