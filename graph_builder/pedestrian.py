"""Which OSM ways and nodes make up the pedestrian network, and which of their tags are kept.

A way is walkable when its ``highway`` kind is one people on foot use (or it is a station
platform or a pier without ``highway``) and no access tag forbids it (OSM wiki Key:access,
Key:foot, Key:motorroad). Roads are kept even without sidewalks: walking on the carriageway is a
cost decided by the routing engine, not a prohibition. Kerb lines (``barrier=kerb`` ways) are
read too, only to put kerbs on the nodes where footways cross them; they never become walkable
edges. Closed ways and multipolygons that are walkable *areas* (a pedestrian square, a platform)
are recognised here and made walkable across in ``walkable_areas``. Access on nodes (a private
gate, a wall drawn as a node) is read by ``node_closed``.
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

#: Kept only with an explicit ``foot=yes|designated|permissive`` (Key:foot: a motorway is closed
#: to pedestrians by default, but some short stretches are signed otherwise).
EXPLICIT_FOOT_HIGHWAYS = frozenset({"motorway", "motorway_link"})
#: Ways without ``highway=*`` that people walk on: station platforms and piers
#: (Tag:railway=platform, Tag:public_transport=platform, Tag:man_made=pier); read as
#: ``highway=platform`` / ``highway=pier``.
PLATFORM_TAGS = {"railway": "platform", "public_transport": "platform"}
PIER_TAGS = {"man_made": "pier"}

#: ``foot=*`` values that open a way or barrier whatever ``access=*`` says.
FOOT_OPEN = frozenset({"yes", "designated", "permissive"})
#: ``foot=*`` values that keep a way open (customers and destination are people on foot too).
_FOOT_ALLOWED = FOOT_OPEN | frozenset({"destination", "customers"})
#: ``foot=*`` / ``access=*`` values that close a way or barrier to the public on foot
#: (Key:access: agricultural, forestry and delivery allow only those vehicles or purposes).
ACCESS_CLOSED = frozenset({"no", "private", "agricultural", "forestry", "delivery"})
_FOOT_FORBIDDEN = ACCESS_CLOSED | frozenset({"use_sidepath"})

#: Tags the reader adds to the ways it writes: the original OSM way id (a clipped way split in
#: parts, and edges across an area, get ids of their own) and, on edges across a walkable area,
#: the area (``way/ID`` or ``relation/ID``).
WAY_ID_TAG = "accessroute:way"
AREA_ID_TAG = "accessroute:area"

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
    "oneway:foot",
    "motorroad",
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
    WAY_ID_TAG,
    AREA_ID_TAG,
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
    "access",
    "foot",
    "locked",
]

#: Overpass filters for fetching the same data (a coarse pre-filter: the Python predicates
#: below decide). One query per filter; osmnx unions the results.
OVERPASS_FILTERS = [
    '["highway"]["highway"!~"motorway|motorway_link|proposed|construction|abandoned|'
    'platform|raceway|bus_guideway|escape|razed|disused"]["foot"!~"no|use_sidepath"]',
    '["highway"="platform"]',
    '["highway"~"motorway|motorway_link"]["foot"~"yes|designated|permissive"]',
    '["railway"="platform"]',
    '["public_transport"="platform"]',
    '["man_made"="pier"]',
    '["barrier"="kerb"]',
]


def _word(tags: Mapping[str, str], key: str) -> str:
    """First ``;``-separated value of a tag, stripped and lowercased ("" when absent)."""
    return tags.get(key, "").split(";")[0].strip().lower()


def highway_of(tags: Mapping[str, str]) -> str | None:
    """The ``highway`` kind a way is walked as: its own, or platform / pier for untagged ones.

    Parameters
    ----------
    tags
        The way's OSM tags.

    Returns
    -------
    str or None
        ``highway=*`` if present, ``platform`` for ``railway=platform`` or
        ``public_transport=platform``, ``pier`` for ``man_made=pier``, else None.

    Examples
    --------
    >>> highway_of({"railway": "platform"})
    'platform'
    >>> highway_of({"man_made": "pier"})
    'pier'
    >>> highway_of({"building": "yes"}) is None
    True
    """
    if "highway" in tags:
        return _word(tags, "highway")
    if any(_word(tags, k) == v for k, v in PLATFORM_TAGS.items()):
        return "platform"
    if any(_word(tags, k) == v for k, v in PIER_TAGS.items()):
        return "pier"
    return None


def foot_closed(tags: Mapping[str, str]) -> bool:
    """Tell whether access tags close a way or a barrier to the public on foot.

    ``foot`` decides when it is given; else ``access``. Closed: ``no``, ``private``,
    ``agricultural``, ``forestry``, ``delivery`` (and ``foot=use_sidepath``); open:
    ``customers``, ``destination``, ``permissive``, ``yes``, ``designated`` (OSM wiki
    Key:access, Key:foot).

    Parameters
    ----------
    tags
        OSM tags of a way or a node.

    Returns
    -------
    bool
        True when pedestrians may not pass.

    Examples
    --------
    >>> foot_closed({"access": "private"})
    True
    >>> foot_closed({"access": "private", "foot": "yes"})
    False
    >>> foot_closed({"access": "customers"})
    False
    """
    foot = _word(tags, "foot")
    if foot in _FOOT_FORBIDDEN:
        return True
    return _word(tags, "access") in ACCESS_CLOSED and foot not in _FOOT_ALLOWED


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
    >>> is_walkable_way({"highway": "motorway", "foot": "yes"})
    True
    >>> is_walkable_way({"highway": "footway", "access": "no"})
    False
    >>> is_walkable_way({"highway": "service", "access": "private", "foot": "yes"})
    True
    >>> is_walkable_way({"highway": "trunk", "motorroad": "yes"})
    False
    >>> is_walkable_way({"railway": "platform"})
    True
    """
    highway = highway_of(tags)
    if highway is None or foot_closed(tags):
        return False
    foot = _word(tags, "foot")
    if _word(tags, "motorroad") == "yes" and foot not in FOOT_OPEN:
        return False
    if highway in FOOT_HIGHWAYS or highway in ROAD_HIGHWAYS or highway == "pier":
        return True
    if highway in SHARED_HIGHWAYS:
        return foot in _FOOT_ALLOWED or "segregated" in tags
    if highway in EXPLICIT_FOOT_HIGHWAYS:
        return foot in FOOT_OPEN
    return False


#: Highway kinds that are walkable areas when drawn closed with ``area=yes`` (Key:area,
#: Tag:highway=pedestrian); platforms and piers are areas when closed unless ``area=no``
#: (Tag:railway=platform, Tag:man_made=pier).
AREA_HIGHWAYS = frozenset({"pedestrian", "footway", "path", "living_street", "service"})
_AREA_BY_DEFAULT = frozenset({"platform", "pier"})


def is_walkable_area(tags: Mapping[str, str], *, closed: bool = True) -> bool:
    """Tell whether a closed way or a multipolygon is a walkable area (walked across).

    Parameters
    ----------
    tags
        Tags of the closed way or of the multipolygon relation.
    closed
        Whether the way is closed (a multipolygon's rings are).

    Returns
    -------
    bool
        True for ``highway=pedestrian|footway|...`` with ``area=yes`` (a multipolygon needs no
        ``area=yes``) and for closed platforms and piers without ``area=no``.

    Examples
    --------
    >>> is_walkable_area({"highway": "pedestrian", "area": "yes"})
    True
    >>> is_walkable_area({"highway": "pedestrian"})
    False
    >>> is_walkable_area({"railway": "platform"})
    True
    >>> is_walkable_area({"type": "multipolygon", "highway": "pedestrian"})
    True
    """
    if not closed or not is_walkable_way(tags):
        return False
    highway = highway_of(tags)
    area = _word(tags, "area")
    if area == "no":
        return False
    if _word(tags, "type") == "multipolygon":
        return highway in AREA_HIGHWAYS or highway in _AREA_BY_DEFAULT
    if highway in _AREA_BY_DEFAULT:
        return True
    return area == "yes" and highway in AREA_HIGHWAYS


#: Barriers that are lines across the way: drawn as a node on a way they close it
#: (Key:barrier; a mapper who drew the gap would have put a gate there).
LINEAR_BARRIERS = frozenset(
    {
        "wall",
        "fence",
        "retaining_wall",
        "city_wall",
        "hedge",
        "guard_rail",
        "ditch",
        "hampshire_gate",
    }
)
#: Line barriers that also block walking across a walkable area (visibility edges avoid them).
AREA_OBSTACLE_BARRIERS = LINEAR_BARRIERS | frozenset({"handrail", "jersey_barrier", "wire_fence"})


def node_closed(tags: Mapping[str, str]) -> bool:
    """Tell whether a node on a way stops pedestrians (OSM wiki Key:barrier, Key:access).

    A barrier node with access tags closed to the public on foot (``access=private``,
    ``foot=no``, ...), a ``locked=yes`` barrier, and a line barrier drawn as a node (wall,
    fence, hedge, ...) close it; ``foot=yes|designated|permissive`` (or ``access=yes`` on a line
    barrier) open it again. Access tags on a node that is no barrier are ignored.

    Parameters
    ----------
    tags
        The node's OSM tags.

    Returns
    -------
    bool
        True when no pedestrian passes the node.

    Examples
    --------
    >>> node_closed({"barrier": "gate", "access": "private"})
    True
    >>> node_closed({"barrier": "gate", "access": "private", "foot": "yes"})
    False
    >>> node_closed({"barrier": "gate"})
    False
    >>> node_closed({"barrier": "wall"})
    True
    >>> node_closed({"access": "no"})
    False
    """
    barrier = _word(tags, "barrier")
    if not barrier or barrier == "kerb":
        return False
    foot = _word(tags, "foot")
    if foot in FOOT_OPEN:
        return False
    if foot_closed(tags) or _word(tags, "locked") == "yes":
        return True
    if barrier in LINEAR_BARRIERS:
        return _word(tags, "access") not in {"yes", "permissive", "designated"}
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
    return tags.get("barrier") == "kerb" and highway_of(tags) is None
