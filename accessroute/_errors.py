"""Errors raised by accessroute: one base class, each mixed with the built-in it refines."""


class AccessRouteError(Exception):
    """Base class of every error accessroute raises on purpose."""


class InputDataError(AccessRouteError, ValueError):
    """An input file or value cannot be used; the message names the file, line or field."""


class AreaNotFoundError(AccessRouteError, LookupError):
    """No area of that name is configured, or its folder lacks what it needs."""


class BuildArtifactError(AccessRouteError, RuntimeError):
    """A built graph is missing, stale or unreadable; the message says how to rebuild it."""


class FetchError(AccessRouteError, RuntimeError):
    """Fetching OpenStreetMap data over the network failed."""
