"""Helpers the command modules share: profile overrides, built areas, the reports database."""

from __future__ import annotations

from typing import Any

from accessroute import settings
from accessroute._errors import BuildArtifactError, InputDataError
from accessroute.areas import get_area


def parse_overrides(items: tuple[str, ...]) -> dict[str, str]:
    """Read repeated ``--set NAME=VALUE`` options into profile overrides.

    Parameters
    ----------
    items
        The values of the ``--set`` options, in order.

    Returns
    -------
    dict[str, str]
        Threshold name to value (both stripped; a later value wins), checked by the engine.

    Raises
    ------
    InputDataError
        An item without ``=`` or without a name.
    """
    overrides: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            msg = f"--set: expected NAME=VALUE, got {item!r}"
            raise InputDataError(msg)
        overrides[name.strip()] = value.strip()
    return overrides


def require_built(area: str) -> None:
    """Check that AREA has a build folder under ``settings.build_dir``.

    Parameters
    ----------
    area
        An area name.

    Raises
    ------
    AreaNotFoundError
        No such area (from ``accessroute.areas.get_area``).
    BuildArtifactError
        A known area that was not built yet; the message says the command that builds it.
    """
    if not (settings.build_dir / area).is_dir():
        get_area(area)  # a clear error for an unknown name
        msg = f"{settings.build_dir / area}: not built yet (run: accessroute build {area})"
        raise BuildArtifactError(msg)


def store_sessions() -> Any:
    """Sessions on the reports database (``settings.database_url``), migrated first.

    Returns
    -------
    Any
        A SQLAlchemy ``sessionmaker``.
    """
    from accessroute.store.database import open_engine, session_factory, upgrade

    engine = open_engine()
    upgrade(engine)
    return session_factory(engine)


def store_session() -> Any:
    """A session on the reports database (``settings.database_url``), migrated first.

    Returns
    -------
    Any
        A SQLAlchemy ``Session``, to use in a ``with`` block.
    """
    return store_sessions()()
