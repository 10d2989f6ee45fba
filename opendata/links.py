"""The API's addresses, whole: an object's id is the address it is read from (OParl 1.1)."""

from django.urls import reverse

from lgaboard.site import absolute

BODY = "lga"  # the one body: the association whose boards these are


def api(name: str, **kwargs) -> str:
    return absolute(reverse(f"opendata:{name}", kwargs=kwargs))


def of(kind: str, key) -> str:
    """An object's id: 'https://…/api/oparl/v1.1/meeting/12/'."""
    return api("object", kind=kind, key=key)


def listed(kind: str) -> str:
    """A list of the body's objects: 'https://…/api/oparl/v1.1/body/lga/meeting/'."""
    return api("list", body=BODY, kind=kind)


def page(name: str, **kwargs) -> str:
    """A page of the portal (an object's `web`, a file's `accessUrl`)."""
    return absolute(reverse(name, kwargs=kwargs))
