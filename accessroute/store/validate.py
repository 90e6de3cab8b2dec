"""Check the fields of a citizen's report; each error names its field."""

from __future__ import annotations

import math
from typing import Any

from accessroute import settings
from accessroute._errors import InputDataError
from accessroute.store.models import REPORT_KINDS

#: Accepted photo formats, by their first bytes.
PHOTO_MAGIC = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"RIFF": "image/webp",
}


def _fail(field: str, message: str) -> InputDataError:
    error = InputDataError(f"{field}: {message}")
    error.field = field  # type: ignore[attr-defined]
    return error


def coordinate(value: Any, field: str, *, limit: float) -> float:
    """Return a finite coordinate within ``[-limit, limit]``.

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
        number = float(value)
    except OverflowError:  # an integer beyond any float
        raise _fail(field, f"must be between -{limit:g} and {limit:g}") from None
    except (TypeError, ValueError):
        raise _fail(field, f"not a number: {value!r}") from None
    if not math.isfinite(number) or abs(number) > limit:
        raise _fail(field, f"must be between -{limit:g} and {limit:g}")
    return number


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
    return str(value)


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
    if value not in REPORT_KINDS:
        raise _fail("kind", f"must be one of {', '.join(REPORT_KINDS)}")
    return str(value)


def photo(data: bytes | None) -> tuple[bytes | None, str | None]:
    """Check a photo's size and format (JPEG, PNG or WebP, by content, not by name).

    Parameters
    ----------
    data
        The uploaded bytes, or None.

    Returns
    -------
    tuple of (bytes or None, str or None)
        The bytes and their media type.

    Raises
    ------
    InputDataError
        Naming ``photo``.
    """
    if not data:
        return None, None
    if len(data) > settings.report_photo_max_bytes:
        limit = settings.report_photo_max_bytes // (1024 * 1024)
        raise _fail("photo", f"larger than {limit} MB")
    for magic, media in PHOTO_MAGIC.items():
        if data.startswith(magic) and (media != "image/webp" or data[8:12] == b"WEBP"):
            return data, media
    raise _fail("photo", "must be a JPEG, PNG or WebP image")
