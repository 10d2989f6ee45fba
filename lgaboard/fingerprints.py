"""Fingerprints of what a fragment of a page is made from, to keep the rendered fragment in Django's
cache under its fingerprint (`{% cache 3600 "name" fingerprint %}`) and render it again only when
what it shows has changed.

Nothing has to be told when the data changes: an edit, a row added or taken away, gives another
fingerprint, so a fragment kept under one is never stale, whichever process or server rendered it.
What the fragment shows must be loaded before its fingerprint is taken (as the selectors load it,
`select_related`/`prefetch_related`): an object the template fetches for itself is not in it. And it
may differ from one reader to another only through what is fingerprinted (the rows each may read),
never through a test of who is reading.
"""

import dataclasses
import datetime
import decimal
import functools
import hashlib
import uuid

from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.utils.safestring import SafeString

# Values whose repr() says all they hold, the same in every process.
_PLAIN = (str, int, float, type(None), datetime.date, datetime.time, datetime.timedelta, decimal.Decimal)
_PLAIN += (uuid.UUID, FieldFile)
_PLAIN_TYPES = frozenset((*_PLAIN, bool, datetime.datetime, SafeString))  # exactly these: a quicker test


def fingerprint(*parts) -> str:
    """A digest of `parts`: model instances by the value of each of their concrete fields and the
    objects loaded with them (select_related, prefetch_related, or set on them), dataclasses by
    their fields, lists, tuples and dicts by their items, and plain values as they are."""
    return hashlib.blake2b(repr(_Walk().plain(parts)).encode(), digest_size=20).hexdigest()


class _Walk:
    def __init__(self):
        self.seen: set[int] = set()  # objects given in full already: named, after that

    def plain(self, value):
        if isinstance(value, _PLAIN):
            return value
        if isinstance(value, Model):
            return self.instance(value)
        if isinstance(value, list | tuple):
            return tuple(self.plain(item) for item in value)
        if isinstance(value, dict):
            return tuple(sorted((key, self.plain(item)) for key, item in value.items()))
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return tuple((name, self.plain(getattr(value, name))) for name in _field_names(type(value)))
        # Anything else (a queryset, a set) might look the same while showing something else.
        raise TypeError(f"No fingerprint for {type(value).__name__}: pass what it holds, as a list.")

    def instance(self, obj: Model):
        name = obj._meta.label
        if id(obj) in self.seen:
            return name, obj.pk
        self.seen.add(id(obj))
        state = vars(obj)  # read directly: through each field's descriptor takes twice as long
        values = tuple(state.get(attname) for attname in _attnames(type(obj)))
        if not _PLAIN_TYPES.issuperset(map(type, values)):
            values = self.plain(values)  # a JSON field's dict or list, or something to refuse
        loaded = obj._state.fields_cache
        prefetched = state.get("_prefetched_objects_cache") or {}
        return (
            name,
            values,
            tuple((relation, self.plain(loaded[relation])) for relation in sorted(loaded)),
            tuple((relation, self.plain(list(prefetched[relation]))) for relation in sorted(prefetched)),
        )


@functools.cache
def _attnames(model: type[Model]) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


@functools.cache
def _field_names(dataclass: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(dataclass))
