"""Check the fields of a citizen's report and of an operator's change; each error names its field.

The longest texts accepted are constants here, read by the store and by the request models of
the API (``web.schemas``), so that its document states the limits the store applies. A
coordinate is checked by the engine's one point type (``routing_engine.request``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from accessroute import settings
from accessroute._errors import InputDataError
from routing_engine.request import Latitude, Longitude

if TYPE_CHECKING:
    from accessroute.store import photos

#: Longest report text, contact, rejection reason and overlay note, characters.
MAX_TEXT, MAX_CONTACT, MAX_REASON, MAX_NOTE = 2000, 200, 1000, 1000
#: Longest overlay target, characters: ``node/<id>`` and the like are short; a ``closure_area``
#: polygon as WKT of about 200 points fits.
MAX_TARGET = 10_000
#: Longest of the short names a request carries: area, kind, elevator id, a time.
MAX_NAME = 100

#: Accepted photo formats, by their first bytes.
PHOTO_MAGIC = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"RIFF": "image/webp",
}


def _fail(field: str, message: str) -> InputDataError:
    return InputDataError(f"{field}: {message}", field=field)


#: Check a latitude or a longitude (numeric text is read too: a form sends text).
_COORDINATES = {90: TypeAdapter(Latitude), 180: TypeAdapter(Longitude)}


def coordinate(value: Any, field: str, *, limit: float) -> float:
    """Return a finite coordinate within ``[-limit, limit]``: the engine's `Latitude`/`Longitude`.

    Parameters
    ----------
    value
        The raw value (number or numeric string).
    field
        Field name for the error message.
    limit
        90 for latitudes, 180 for longitudes.

    Returns
    -------
    float
        The coordinate.

    Raises
    ------
    InputDataError
        Naming ``field`` when the value is missing, not a number, not finite or out of range.
    """
    if isinstance(value, bool) or value is None:
        raise _fail(field, "a number is required")
    try:
        return float(_COORDINATES[int(limit)].validate_python(value))
    except ValidationError as exc:
        kind = exc.errors()[0]["type"]
    if kind in {"float_parsing", "float_type"} and not isinstance(value, int):  # int: too large
        raise _fail(field, f"not a number: {str(value)[:80]!r}")
    raise _fail(field, f"must be between -{limit:g} and {limit:g}")


def text(value: Any, field: str, *, max_length: int, required: bool = False) -> str:
    """Return a trimmed text of at most ``max_length`` characters.

    Parameters
    ----------
    value
        The raw value.
    field
        Field name for the error message.
    max_length
        Longest allowed text.
    required
        Whether an empty text is an error.

    Returns
    -------
    str
        The text ('' when absent and not required).

    Raises
    ------
    InputDataError
        Naming ``field``.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _fail(field, "must be text")
    value = value.strip()
    if required and not value:
        raise _fail(field, "is required")
    if len(value) > max_length:
        raise _fail(field, f"longer than {max_length} characters")
    if "\x00" in value:
        raise _fail(field, "contains a NUL character")
    if not is_text(value):
        raise _fail(field, "is not valid Unicode text (a lone surrogate such as \\ud800)")
    return str(value)


def is_text(value: str) -> bool:
    r"""Whether a string is valid Unicode text: it can be written as UTF-8 (no lone surrogate).

    JSON can carry an escaped lone surrogate (``"\ud800"`` in the JSON text): half of a
    character, which Python reads into a string that no database, JSON writer or page can
    store; such a string is refused where it comes in.

    Parameters
    ----------
    value
        The string.

    Returns
    -------
    bool
        False if it holds a lone surrogate.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def kind(value: Any) -> str:
    """Return a known report kind.

    Parameters
    ----------
    value
        The raw value.

    Returns
    -------
    str
        The kind.

    Raises
    ------
    InputDataError
        Naming ``kind``.
    """
    from accessroute.store.models import REPORT_KINDS  # SQLAlchemy: not for the request models

    if value not in REPORT_KINDS:
        raise _fail("kind", f"must be one of {', '.join(REPORT_KINDS)}")
    return str(value)


def photo(data: bytes | None) -> photos.Photo | None:
    """Check a photo and make what is stored of it (``photos.clean_photo``).

    Its size and format (JPEG, PNG or WebP, by content, not by name) are checked first; then
    it must decode to the end within ``settings.report_photo_max_pixels``. What is stored is
    re-encoded, upright and without metadata, with a thumbnail.

    Parameters
    ----------
    data
        The uploaded bytes, or None.

    Returns
    -------
    photos.Photo or None
        The photo to store, None when there is none.

    Raises
    ------
    InputDataError
        Naming ``photo``.
    """
    from accessroute.store import photos  # Pillow: not for the request models

    if not data:
        return None
    if len(data) > settings.report_photo_max_bytes:
        limit = settings.report_photo_max_bytes // (1024 * 1024)
        raise _fail("photo", f"larger than {limit} MB")
    for magic, media in PHOTO_MAGIC.items():
        if data.startswith(magic) and (media != "image/webp" or data[8:12] == b"WEBP"):
            return photos.clean_photo(data)
    raise _fail("photo", "must be a JPEG, PNG or WebP image")
