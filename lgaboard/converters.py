"""URL converters shared by the apps."""

from datetime import date


class IsoDateConverter:
    """'2017-11-01' <-> date(2017, 11, 1). A date that does not exist (2017-02-30) is a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)  # ValueError → the URL does not match → 404

    def to_url(self, value: date | str) -> str:
        return value if isinstance(value, str) else value.isoformat()
