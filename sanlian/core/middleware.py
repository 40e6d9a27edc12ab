"""Simplified Chinese first: the UI language is the user's explicit choice, never the browser's guess."""


class ChineseFirstMiddleware:
    """Drops Accept-Language so LocaleMiddleware falls back to LANGUAGE_CODE unless the language cookie
    (set by the header's language switch) says otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
