"""Compute accessible routes per mobility profile on built accessibility graphs (igraph).

The names below are imported on first use (PEP 562), so that ``import routing_engine`` stays
quick: loading and searching pull in geopandas, igraph and NetworKit, which take seconds.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from routing_engine.area import AreaGraph
    from routing_engine.costs import EdgeCosts, edge_costs, impassable_reasons
    from routing_engine.edge_arrays import EdgeArrays
    from routing_engine.engine import Engine
    from routing_engine.overlays import MemoryOverlayStore, Overlay, OverlayStore
    from routing_engine.profile import Profile
    from routing_engine.profiles import PROFILES, get_profile
    from routing_engine.result import RouteResult

#: Where each public name lives.
_MODULES = {
    "PROFILES": "profiles",
    "AreaGraph": "area",
    "EdgeArrays": "edge_arrays",
    "EdgeCosts": "costs",
    "Engine": "engine",
    "MemoryOverlayStore": "overlays",
    "Overlay": "overlays",
    "OverlayStore": "overlays",
    "Profile": "profile",
    "RouteResult": "result",
    "edge_costs": "costs",
    "get_profile": "profiles",
    "impassable_reasons": "costs",
}

__all__ = [
    "PROFILES",
    "AreaGraph",
    "EdgeArrays",
    "EdgeCosts",
    "Engine",
    "MemoryOverlayStore",
    "Overlay",
    "OverlayStore",
    "Profile",
    "RouteResult",
    "edge_costs",
    "get_profile",
    "impassable_reasons",
]


def __getattr__(name: str) -> Any:
    """Import a public name's module when the name is first read."""
    module = _MODULES.get(name)
    if module is None:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names with the module's own."""
    return sorted([*globals(), *__all__])
