"""Requests no page can answer, and responses no cache may keep."""

from urllib.parse import unquote_plus

from django.http import Http404
from django.utils.cache import patch_cache_control


class RefuseNulMiddleware:
    """A NUL character in the address or its query names nothing, and PostgreSQL refuses to compare
    text holding one (a 500 from any lookup or search): such a request is a 404 before it reaches
    a view. (Forms refuse NUL in what is posted: Django's fields check it.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in unquote_plus(request.META.get("QUERY_STRING", "")):
            raise Http404("No page has an address with a NUL character.")
        return self.get_response(request)


class PrivateForSignedInUsersMiddleware:
    """Anything served to a signed-in user (staff see drafts, members see confidential items) is
    sent `Cache-Control: private, no-store`, so no shared or browser cache keeps a copy. The public
    never receives draft or confidential content, so their responses stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
