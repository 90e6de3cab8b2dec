"""Which OSM ways and nodes make up the pedestrian network, and which of their tags are kept.

A way is walkable when its ``highway`` kind is one people on foot use and no access tag forbids
it. Roads are kept even without sidewalks: walking on the carriageway is a cost decided by the
routing engine, not a prohibition. Kerb lines (``barrier=kerb`` ways) are read too, only to put
kerbs on the nodes where footways cross them; they never become walkable edges.
"""

from __future__ import annotations

from collections.abc import Mapping

#: Pedestrian ways proper.
FOOT_HIGHWAYS = frozenset(
    {"footway", "pedestrian", "path", "steps", "corridor", "elevator", "platform", "crossing"}
)
#: Roads a pedestrian may walk along, on a sidewalk or on the carriageway.
ROAD_HIGHWAYS = frozenset(
    {
        "living_street",
        "residential",
        "service",
        "unclassified",
        "road",
        "track",
        "tertiary",
        "tertiary_link",
        "secondary",
        "secondary_link",
        "primary",
        "primary_link",
        "trunk",
        "trunk_link",
    }
)
#: Kept only where pedestrians are explicitly allowed or the way is shared (``segregated=*``).
SHARED_HIGHWAYS = frozenset({"cycleway", "bridleway"})

_FOOT_ALLOWED = frozenset({"yes", "designated", "permissive", "destination", "customers"})
_FOOT_FORBIDDEN = frozenset({"no", "use_sidepath", "private"})
_ACCESS_FORBIDDEN = frozenset({"no", "private"})

#: Way tags copied onto edges (osmnx ``useful_tags_way``).
WAY_TAGS = [
    "highway",
    "footway",
    "sidewalk",
    "sidewalk:both",
    "sidewalk:left",
    "sidewalk:right",
    "area",
    "access",
    "foot",
    "segregated",
    "surface",
    "smoothness",
    "width",
    "est_width",
    "incline",
    "step_count",
    "handrail",
    "handrail:left",
    "handrail:right",
    "handrail:center",
    "ramp",
    "ramp:wheelchair",
    "ramp:stroller",
    "wheelchair",
    "lit",
    "crossing",
    "crossing:markings",
    "crossing:signals",
    "crossing_ref",
    "traffic_signals:sound",
    "tactile_paving",
    "conveying",
    "barrier",
    "kerb",
    "kerb:height",
    "name",
    "name:en",
    "ref",
    "level",
    "indoor",
    "bridge",
    "tunnel",
    "covered",
]

#: Node tags copied onto graph nodes (osmnx ``useful_tags_node``).
NODE_TAGS = [
    "highway",
    "barrier",
    "kerb",
    "kerb:height",
    "sloped_curb",
    "crossing",
    "crossing:markings",
    "crossing:signals",
    "crossing_ref",
    "traffic_signals:sound",
    "tactile_paving",
    "wheelchair",
    "level",
    "name",
    "entrance",
    "door",
]

#: Overpass filters for fetching the same data (a coarse pre-filter: the Python predicates
#: below decide). One query per filter; osmnx unions the results.
OVERPASS_FILTERS = [
    '["highway"]["highway"!~"motorway|motorway_link|proposed|construction|abandoned|'
    'platform|raceway|bus_guideway|escape|razed|disused"]["foot"!~"no|use_sidepath"]',
    '["highway"="platform"]',
    '["barrier"="kerb"]',
]


def is_walkable_way(tags: Mapping[str, str]) -> bool:
    """Tell whether a way with these tags belongs to the pedestrian network.

    Parameters
    ----------
    tags
        The way's OSM tags.

    Returns
    -------
    bool
        True for walkable ways (see the module docstring for the rules).

    Examples
    --------
    >>> is_walkable_way({"highway": "footway"})
    True
    >>> is_walkable_way({"highway": "motorway"})
    False
    >>> is_walkable_way({"highway": "footway", "access": "no"})
    False
    >>> is_walkable_way({"highway": "service", "access": "private", "foot": "yes"})
    True
    """
    highway = tags.get("highway")
    if highway is None:
        return False
    foot = tags.get("foot", "").strip().lower()
    if foot in _FOOT_FORBIDDEN:
        return False
    if tags.get("access", "").strip().lower() in _ACCESS_FORBIDDEN and foot not in _FOOT_ALLOWED:
        return False
    if highway in FOOT_HIGHWAYS or highway in ROAD_HIGHWAYS:
        return True
    if highway in SHARED_HIGHWAYS:
        return foot in _FOOT_ALLOWED or "segregated" in tags
    return False


def is_kerb_line(tags: Mapping[str, str]) -> bool:
    """Tell whether a way is a kerb line (``barrier=kerb`` drawn as a way, not walkable).

    Parameters
    ----------
    tags
        The way's OSM tags.

    Returns
    -------
    bool
        True for kerb lines.
    """
    return tags.get("barrier") == "kerb" and "highway" not in tags
