"""Stored times read as UTC: SQLite gives naive values back, PostgreSQL aware ones."""

from __future__ import annotations

import datetime as dt


def as_utc(moment: dt.datetime) -> dt.datetime:
    """Read a stored time as UTC (SQLite gives naive values back).

    Parameters
    ----------
    moment
        A time read from the database.

    Returns
    -------
    datetime
        The same time, aware (a naive one is taken as UTC).
    """
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def as_utc_or_none(moment: dt.datetime | None) -> dt.datetime | None:
    """`as_utc` for a time that may be missing.

    Parameters
    ----------
    moment
        A time read from the database, or None.

    Returns
    -------
    datetime or None
        The same time, aware; None for None.
    """
    return None if moment is None else as_utc(moment)
