"""Simplified Chinese first: the UI language is the user's explicit choice, never the browser's guess."""

from django.middleware.gzip import GZipMiddleware


class ChineseFirstMiddleware:
    """Drops Accept-Language so LocaleMiddleware falls back to LANGUAGE_CODE unless the language cookie
    (set by the header's language switch) says otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RejectNulCharactersMiddleware:
    """A NUL character in the query string is refused with 400 before any view sees it.

    PostgreSQL text cannot hold NUL, so a search for one would otherwise end as a server error there
    (and silently work on SQLite). Forms already refuse NUL through Django's own validator; this covers
    every query parameter, of pages and of the API alike.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            from django.http import HttpResponseBadRequest, JsonResponse
            from django.utils.translation import gettext as _

            message = _("查询参数不能包含空字符(NUL)")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "code": "invalid_query"}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)


class CompressPagesMiddleware(GZipMiddleware):
    """gzip for HTML pages (a page shrinks to about a fifth over the wire).

    Files (PDF, XLSX, images; streamed through core/downloads.py) go out as they are: they are compressed
    already, or not worth the CPU. API answers (JSON) too: they are small pages of rows, and some API
    clients (and the WSGI transport the OpenAPI conformance tests use) do not decode gzip. Static files never
    get here: WhiteNoise, above, answers them with its own pre-compressed copies. Django's GZipMiddleware
    pads its output against BREACH, and CSRF tokens are masked per response.
    """

    COMPRESSIBLE = ("text/html",)

    def process_response(self, request, response):
        if response.streaming or not response.get("Content-Type", "").startswith(self.COMPRESSIBLE):
            return response
        return super().process_response(request, response)
