"""Compute accessible routes per mobility profile on built accessibility graphs (igraph)."""

from routing_engine.area import AreaGraph
from routing_engine.costs import EdgeArrays, EdgeCosts, edge_costs, impassable_reasons
from routing_engine.engine import Engine
from routing_engine.overlays import MemoryOverlayStore, Overlay, OverlayStore
from routing_engine.profiles import PROFILES, Profile, get_profile
from routing_engine.result import RouteResult

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
