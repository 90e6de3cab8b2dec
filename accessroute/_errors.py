"""Errors raised by accessroute: one base class, each mixed with the built-in it refines."""


class AccessRouteError(Exception):
    """Base class of every error accessroute raises on purpose.

    Parameters
    ----------
    *args
        As for `Exception`: the message first.
    field
        The input field at fault (``"from"``, ``"overrides.max_kerb_cm"``, ``"target"``), when
        the error is about one; the web service reports it as the JSON error's ``field``.
    """

    def __init__(self, *args: object, field: str | None = None) -> None:
        super().__init__(*args)
        self.field = field


class InputDataError(AccessRouteError, ValueError):
    """An input file or value cannot be used; the message names the file, line or field."""


class AreaNotFoundError(AccessRouteError, LookupError):
    """No area of that name is configured, or its folder lacks what it needs."""


class BuildArtifactError(AccessRouteError, RuntimeError):
    """A built graph is missing, stale or unreadable; the message says how to rebuild it."""


class FetchError(AccessRouteError, RuntimeError):
    """Fetching OpenStreetMap data over the network failed."""


class RateLimitedError(AccessRouteError, RuntimeError):
    """Too many requests from one client in a time window; the message says when to retry."""


class NotFoundError(AccessRouteError, LookupError):
    """A stored record (a report, an overlay) does not exist."""


class PointOutsideAreaError(AccessRouteError, LookupError):
    """A route end lies outside every loaded area (or the one asked for); names the field."""


class SnapTooFarError(AccessRouteError, LookupError):
    """No way usable with the profile lies near a route end; the message names the field."""
