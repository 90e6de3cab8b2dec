"""Hand-drawn OSM cases for the tag semantics tests: drawn side by side, built once, routed.

``Layout`` draws a table of cases in one file and routes each; ``Corridor`` is the 60 m way
A—X—B that most tag cases are drawn as.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, Literal, Protocol, TypeVar

from accessroute._errors import PointOutsideAreaError, SnapTooFarError
from routing_engine.engine import Engine
from tests.tiny_osm import TinyOsm, build_engine, route

#: Which way(s) a route exists between A (west) and B (east): A→B is "fwd", B→A is "back".
Expect = Literal["both", "fwd", "back", "none"]
#: Expected route length range in metres (low, high); None = no route.
Span = tuple[float, float] | None
Tags = Mapping[str, str]

PROFILES = ("walking", "wheelchair_manual")
#: Distance between the drawings sharing one file: well beyond the 250 m snapping reach.
SPACING_M = 600.0
FOOTWAY: Tags = {"highway": "footway"}


def about(metres: float, share: float = 0.03) -> tuple[float, float]:
    """A length within ``share`` (default 3 %) of ``metres``."""
    return metres * (1 - share), metres * (1 + share)


# --------------------------------------------------------------------------------------------
# Routing a drawing: length of the route, or None when there is none for the profile
# --------------------------------------------------------------------------------------------


#: A route end put farther than this from its node (onto another piece of the network, which
#: the engine does for ends on fragments) does not reach that node.
MOVED_M = 5.0


def reach(engine: Engine, osm: TinyOsm, start: int, end: int, profile: str) -> float | None:
    """Length of the route between two nodes, or None.

    None: no route, no usable way near an end, or an end moved off its node onto a piece of
    the network that connects (the route then does not go between the two nodes).
    """
    try:
        result = route(engine, osm, start, end, profile)
    except (SnapTooFarError, PointOutsideAreaError):
        return None
    if result.status != "ok":
        return None
    moved = [
        float(result.snap.get(end_name, {}).get("moved_m", 0.0)) for end_name in ("from", "to")
    ]
    return float(result.length_m) if max(moved) <= MOVED_M else None


def directions(fwd: float | None, back: float | None) -> Expect:
    """Summarise the two directions of a corridor as an ``Expect`` value."""
    if fwd is not None and back is not None:
        return "both"
    if fwd is not None:
        return "fwd"
    return "back" if back is not None else "none"


class Case(Protocol):
    @property
    def id(self) -> str: ...


C = TypeVar("C", bound=Case)
Draw = Callable[[C, TinyOsm, float, float, int], tuple[int, int]]


def anchor(osm: TinyOsm, x: float, y: float, base: int) -> None:
    """A plain footway far from every case: the file always holds a walkable way."""
    osm.node(base + 1, x, y).node(base + 2, x + 60, y)
    osm.way(base + 1, [base + 1, base + 2], FOOTWAY)


class Layout(Generic[C]):
    """Draw a table of cases side by side in one file (600 m apart), build once, route each.

    Should the shared build fail, each case is built alone, so that one broken drawing only
    fails its own case.
    """

    def __init__(self, tmp: Path, cases: Sequence[C], draw: Draw[C]) -> None:
        self.tmp, self.cases, self.draw = tmp, list(cases), draw
        self._shared: tuple[Engine, TinyOsm, dict[str, tuple[int, int]]] | None = None
        self._failed = False

    def _build(
        self, cases: Sequence[C], name: str
    ) -> tuple[Engine, TinyOsm, dict[str, tuple[int, int]]]:
        osm = TinyOsm()
        ends: dict[str, tuple[int, int]] = {}
        columns = 10
        for i, case in enumerate(cases):
            x, y = (i % columns) * SPACING_M, (i // columns) * SPACING_M
            ends[case.id] = self.draw(case, osm, x, y, (i + 1) * 1000)
        rows = (len(cases) - 1) // columns + 1
        anchor(osm, -SPACING_M, -SPACING_M, 10_000_000)
        anchor(osm, columns * SPACING_M, rows * SPACING_M, 10_000_100)
        folder = self.tmp / name
        folder.mkdir(parents=True)
        return build_engine(folder, osm, name=name), osm, ends

    def get(self, case: C) -> tuple[Engine, TinyOsm, int, int]:
        """Engine, drawing and the two end nodes of a case."""
        if self._shared is None and not self._failed:
            try:
                self._shared = self._build(self.cases, "shared")
            except Exception:  # fall back to one build per case
                self._failed = True
        if self._shared is not None:
            engine, osm, ends = self._shared
        else:
            engine, osm, ends = self._build([case], f"alone-{self.cases.index(case)}")
        start, end = ends[case.id]
        return engine, osm, start, end


# --------------------------------------------------------------------------------------------
# Corridors: a 60 m way A—X—B (X in the middle), the tags under test on the way or on X
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Corridor:
    """One corridor case.

    Attributes
    ----------
    id
        Readable test id.
    wiki
        The OSM wiki page the expectation comes from.
    way
        Tags of the way A—X—B.
    walking, wheelchair
        Expected routes for ``walking`` and ``wheelchair_manual``.
    node
        Tags of the middle node X.
    kerb_line
        Tags of a ``barrier=kerb`` way crossing the corridor at X (None: no kerb line).
    reverse
        The way is drawn from B to A.
    ring
        The way is closed: A—X—B—C—A (C 30 m north of X).
    """

    id: str
    wiki: str
    way: Tags
    walking: Expect
    wheelchair: Expect
    node: Tags = field(default_factory=dict)
    kerb_line: Tags | None = None
    reverse: bool = False
    ring: bool = False


def draw_corridor(case: Corridor, osm: TinyOsm, x: float, y: float, base: int) -> tuple[int, int]:
    a, mid, b, c = base + 1, base + 2, base + 3, base + 4
    osm.node(a, x, y).node(mid, x + 30, y).node(b, x + 60, y)
    osm.tag("node", mid, case.node)
    refs = [a, mid, b]
    if case.ring:
        osm.node(c, x + 30, y + 30)
        refs = [a, mid, b, c, a]
    osm.way(base + 1, refs[::-1] if case.reverse else refs, case.way)
    if case.kerb_line is not None:
        osm.node(base + 5, x + 30, y - 10).node(base + 6, x + 30, y + 10)
        osm.way(base + 2, [base + 5, mid, base + 6], {"barrier": "kerb", **case.kerb_line})
    return a, b


def way_case(
    id: str, wiki: str, way: Tags, walking: Expect, wheelchair: Expect | None = None
) -> Corridor:
    """A case about way tags (wheelchair expectation defaults to the walking one)."""
    return Corridor(id, wiki, way, walking, walking if wheelchair is None else wheelchair)


def node_case(
    id: str,
    wiki: str,
    node: Tags,
    walking: Expect,
    wheelchair: Expect | None = None,
    way: Tags = FOOTWAY,
) -> Corridor:
    """A case about the tags of the middle node X of a footway."""
    return Corridor(id, wiki, way, walking, walking if wheelchair is None else wheelchair, node)


def kerb_case(id: str, node: Tags, wheelchair: Expect, line: Tags | None = None) -> Corridor:
    """A kerb at X (walking passes any kerb; wheelchair_manual only up to 3 cm)."""
    return Corridor(id, "Key:kerb", FOOTWAY, "both", wheelchair, node, kerb_line=line)


def oneway_case(
    id: str,
    wiki: str,
    way: Tags,
    walking: Expect,
    wheelchair: Expect | None = None,
    *,
    reverse: bool = False,
) -> Corridor:
    """A case about one-way tags (``reverse``: the way is drawn from B to A)."""
    expected = walking if wheelchair is None else wheelchair
    return Corridor(id, wiki, way, walking, expected, reverse=reverse)


OPEN = ("yes", "designated", "permissive")


def fits(length: float | None, span: Span) -> bool:
    """Whether a route length is in the expected span (both None: no route, as expected)."""
    if span is None or length is None:
        return span is None and length is None
    return span[0] <= length <= span[1]
