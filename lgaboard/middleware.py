"""Responses that may carry draft or confidential content are never stored by a cache."""

from django.utils.cache import patch_cache_control


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
