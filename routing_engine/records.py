"""Typed records of a route answer: barriers, steps, segments, incline rows, snap, walking route.

Each record is a frozen dataclass whose fields, in order, are the keys of its JSON object
(``routing_engine.formats.json`` writes them; orjson writes a dataclass's fields as they are).
They have no ``__slots__``: orjson writes a dataclass from its ``__dict__`` about as fast as
the dicts they replaced, and one with slots 3 times slower (a six-field step: 0.20 µs, a dict
0.16 µs, with slots 0.64 µs; measured 2026-12 with orjson 3.13).
Where a key is no Python name (``class``, ``from``, ``to``) the field has another name and the
class says the key in ``_keys``.

A record is also a read-only mapping of its JSON keys (``entry["text"]``, ``entry.get("step")``,
``dict(entry)``), as the dicts it replaced were: readers not yet moved to attributes (sheet
rendering, templates) keep working.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from shapely.geometry import LineString


class Record(Mapping[str, Any]):
    """A record read as a mapping of its JSON keys (``record["text"]``, ``dict(record)``)."""

    __slots__ = ()
    #: JSON key -> field name, where they differ.
    _keys: ClassVar[dict[str, str]] = {}

    def __getitem__(self, key: str) -> Any:
        name = _key_fields(type(self)).get(key)
        if name is None:
            raise KeyError(key)
        return getattr(self, name)

    def __iter__(self) -> Iterator[str]:
        return iter(_key_fields(type(self)))

    def __len__(self) -> int:
        return len(_key_fields(type(self)))

    def as_dict(self) -> dict[str, Any]:
        """The record as a dict of its JSON keys (values as they are, not copied)."""
        return {key: getattr(self, name) for key, name in _key_fields(type(self)).items()}


#: ``_key_fields`` of each record class, once worked out.
_KEY_FIELDS: dict[type[Record], dict[str, str]] = {}


def _key_fields(cls: type[Record]) -> dict[str, str]:
    """JSON key -> field name of each field of a record class, in order."""
    pairs = _KEY_FIELDS.get(cls)
    if pairs is None:
        keys = {name: key for key, name in cls._keys.items()}
        fields = dataclasses.fields(cls)  # type: ignore[arg-type]
        pairs = _KEY_FIELDS[cls] = {keys.get(f.name, f.name): f.name for f in fields}
    return pairs


@dataclass(frozen=True)
class Barrier(Record):
    """A barrier of an edge (``routing_engine.barriers.barrier_entry``).

    Attributes
    ----------
    type
        ``kerb``, ``crossing``, ``steps``, ``ramp``, ``elevator``, ``incline``, ... (see
        ``barrier_entry``).
    lat, lon
        Where it is (the edge's start, or its end node for node barriers), 7 decimals.
    value, unit
        Its measure (height, count, incline, OSM value...) and unit; None / ``""`` if none.
    source
        Where the value comes from (``osm``, ``survey``, ``dem``, ``none``...).
    text
        Its words, in the answer's language.
    edge
        Edge id.
    osm
        The OSM object (``way/1``, ``node/2``).
    """

    type: str
    lat: float
    lon: float
    value: Any
    unit: str
    source: str
    text: str
    edge: int
    osm: str


@dataclass(frozen=True)
class PassedBarrier(Barrier):
    """A barrier a route passes, with the step of the directions it belongs to (from 1)."""

    step: int


@dataclass(frozen=True)
class BlockingBarrier(Barrier):
    """A barrier that blocks the profile, with the rule it breaks (``reason``)."""

    reason: str


@dataclass(frozen=True)
class BoundaryBarrier(BlockingBarrier):
    """A blocking barrier on the edge of the part an end reaches (``noroute``).

    Attributes
    ----------
    side
        ``from`` or ``to``: whose part it closes.
    distance_m
        Way from that end to it, metres (None: not reached).
    """

    side: str
    distance_m: float | None


@dataclass(frozen=True)
class Step(Record):
    """One step of the turn-by-turn directions (``routing_engine.directions``).

    Attributes
    ----------
    text
        The sentence.
    distance_m
        Length of the stretch that starts here.
    lat, lon
        Where the step starts.
    bearing
        Degrees from north.
    type
        ``depart``, ``turn``, ``crossing``, ``steps``, ``ramp``, ``elevator``, ``escalator``,
        ``arrive``.
    """

    text: str
    distance_m: float
    lat: float
    lon: float
    bearing: float
    type: str


@dataclass(frozen=True)
class Segment(Record):
    """A part of the line coloured alike (``routing_engine.segments``).

    Attributes
    ----------
    coords
        [[lon, lat], ...].
    class_
        JSON ``class``: ok, steep, unknown, kerb, steps, elevator, crossing, carriageway.
    incline_pct, incline_source
        Its incline (None = unknown) and where that comes from.
    kind, name
        Kind of way and street name.
    length_m
        Length, metres.
    """

    _keys: ClassVar[dict[str, str]] = {"class": "class_"}

    coords: list[list[float]]
    class_: str
    incline_pct: float | None
    incline_source: str
    kind: str
    name: str
    length_m: float


@dataclass(frozen=True)
class InclineRow(Record):
    """A row of the incline profile (``routing_engine.incline``).

    Attributes
    ----------
    distance_m
        From the start to where the row starts.
    length_m
        Its length.
    incline_pct
        Percent (None = unknown).
    source
        ``tag``, ``survey``, ``dem`` or ``none``.
    low_confidence
        Whether the incline is a rough guess.
    elevation_m
        Ground height where it starts (None without an elevation model).
    """

    distance_m: float
    length_m: float
    incline_pct: float | None
    source: str
    low_confidence: bool
    elevation_m: float | None


@dataclass(frozen=True)
class SnappedEnd(Record):
    """How one end was snapped: metres moved, and the point on the way (lat, lon)."""

    moved_m: float
    point: tuple[float, float]


@dataclass(frozen=True)
class Snapping(Record):
    """How both ends were snapped (JSON ``from`` and ``to``)."""

    _keys: ClassVar[dict[str, str]] = {"from": "origin", "to": "destination"}

    origin: SnappedEnd
    destination: SnappedEnd


@dataclass(frozen=True)
class Walking(Record):
    """The plain walking route between the same points, for comparison.

    Attributes
    ----------
    length_m, duration_s
        Its length and time on foot.
    geometry
        Its line (lon/lat).
    barriers
        What on it the profile cannot pass.
    """

    length_m: float
    duration_s: float
    geometry: LineString | None
    barriers: list[BlockingBarrier] = field(default_factory=list)
