"""What live overlays apply to in an area: their targets checked and resolved to edges.

An overlay (``routing_engine.overlays``) names its target as an OSM node or way, an edge of
the built area or a polygon; here that target becomes the area's edges it closes, the lines
those edges draw (to warn of overlays near a route), and the edge costs routing then uses.
Nothing here is cached: the engine keeps the results per set of overlays.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, NoReturn

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import LineString

from accessroute import settings
from accessroute._errors import InputDataError
from routing_engine.area import AreaGraph
from routing_engine.overlays import Overlay

log = logging.getLogger(__name__)

#: Each usable overlay with the ways it applies to, in the area's metres.
Shapes = list[tuple[Overlay, Any]]


def target_edges(area: AreaGraph, kind: str, target: str) -> npt.NDArray[np.bool_]:
    """The edges of an area an overlay applies to: its target checked, and found there.

    Parameters
    ----------
    area
        The area.
    kind
        Overlay kind (``routing_engine.overlays.KINDS``).
    target
        ``node/<id>`` or ``way/<id>`` (an OSM id in ASCII digits, negative for an editor's
        new element) on some way of the area's graph: a node closes the edges that start,
        end or cross a kerb at it, a way its edges, and for ``elevator_out_of_service`` the
        elevator of that id (``elevator_id``) or the elevator edges at that node;
        ``edge:<area>:<edge number>`` (this area); or for ``closure_area`` a WKT polygon
        (lon lat) over some way of the area.

    Returns
    -------
    numpy.ndarray
        True for each edge the overlay applies to (at least one).

    Raises
    ------
    InputDataError
        With ``field`` = ``"target"``, saying what is wrong: malformed, or nothing of the
        area matches it.
    """

    def fail(message: str) -> NoReturn:
        raise InputDataError(f"target: {message}", field="target")

    edges = area.edges
    target = target.strip()
    mask = np.zeros(len(edges), dtype=bool)
    if kind == "closure_area":
        try:
            polygon = shapely.from_wkt(target)
        except (shapely.errors.ShapelyError, ValueError, TypeError):
            fail("not a WKT polygon, e.g. POLYGON((lon lat, lon lat, lon lat, lon lat))")
        if polygon is None or polygon.geom_type not in ("Polygon", "MultiPolygon"):
            fail("closure_area needs a WKT POLYGON or MULTIPOLYGON (lon lat)")
        mask[edges.sindex.query(polygon, predicate="intersects")] = True
        if not mask.any():
            fail(f"the polygon covers no way of {area.name} (coordinates are lon lat)")
        return mask
    if target.startswith("edge:"):
        name, _, number = target.removeprefix("edge:").rpartition(":")
        if name != area.name or not (number.isascii() and number.isdigit()):
            fail(f"expected edge:{area.name}:<edge number>, got {target!r}")
        if len(number) > 18 or int(number) >= len(edges):
            fail(f"{area.name} has edges 0 to {len(edges) - 1}, not {number}")
        mask[int(number)] = True
        if area.twin[int(number)] >= 0:
            mask[area.twin[int(number)]] = True
        return mask
    element, slash, digits = target.partition("/")
    unsigned = digits.removeprefix("-")
    if element not in ("node", "way") or not slash or not unsigned.isascii():
        fail(f"expected node/<id>, way/<id> or edge:<area>:<number>, got {target!r}")
    if not unsigned.isdigit() or len(unsigned) > 18:
        fail(f"expected {element}/<id> with a whole number as id, got {target!r}")
    osm_id = int(digits)
    at_node = (edges["u_osm"].to_numpy() == osm_id) | (edges["v_osm"].to_numpy() == osm_id)
    mask = np.asarray(area.elevator_ids == target, dtype=bool)
    if kind == "elevator_out_of_service":
        if element == "node":
            mask |= area.attrs.elevator & at_node
        if not mask.any():
            fail(f"no elevator {target} in {area.name}")
        return mask
    if element == "way":
        mask = np.asarray(area.way_ids == osm_id, dtype=bool)
    else:
        kerb = edges["kerb_node"].eq(osm_id).fillna(False).to_numpy(dtype=bool)
        mask = at_node | kerb
    if not mask.any():
        fail(f"{target} is on no way of {area.name}")
    return mask


def closed_edges(area: AreaGraph, overlays: Sequence[Overlay]) -> dict[int, tuple[str, str]]:
    """The edges a set of overlays closes; an overlay whose target is not usable is skipped.

    A stored overlay's target was checked when it was set (``target_edges``), but the area may
    have been rebuilt since, and older overlays were never checked: none may break routing.
    A skipped overlay is logged (a warning naming it and why).

    Parameters
    ----------
    area
        The area.
    overlays
        Overlays active there.

    Returns
    -------
    dict
        Edge -> (barrier type, note): ``"elevator_down"`` for an elevator out of service,
        else ``"closed"``, with the overlay's note; empty without overlays.
    """
    closed: dict[int, tuple[str, str]] = {}
    for o in overlays:
        try:
            mask = target_edges(area, o.kind, o.target)
        except InputDataError as exc:
            log.warning("overlay %s %r in %s ignored: %s", o.kind, o.target, area.name, exc)
            continue
        label = "elevator_down" if o.kind == "elevator_out_of_service" else "closed"
        for e in np.flatnonzero(mask):
            closed[int(e)] = (label, o.note)
    return closed


def overlay_shapes(area: AreaGraph, overlays: Sequence[Overlay]) -> Shapes:
    """Each usable overlay with the ways it applies to, as lines in the area's metres.

    Parameters
    ----------
    area
        The area.
    overlays
        Overlays active there (one whose target is not usable is left out, silently:
        ``closed_edges`` logs it).

    Returns
    -------
    list of tuple
        (overlay, shapely MultiLineString of its edges), in the order given.
    """
    x, y = area.xy
    shapes: Shapes = []
    for o in overlays:
        try:
            edges = np.flatnonzero(target_edges(area, o.kind, o.target))
        except InputDataError:
            continue
        u, v = area.u[edges], area.v[edges]
        lines = np.stack([np.column_stack([x[u], y[u]]), np.column_stack([x[v], y[v]])], 1)
        shapes.append((o, shapely.multilinestrings(lines)))
    return shapes


def overlays_near(area: AreaGraph, shapes: Shapes, line: LineString | None) -> list[Overlay]:
    """The overlays within ``settings.overlay_warn_m`` of a line (lon/lat).

    Parameters
    ----------
    area
        The area.
    shapes
        The overlays active there with their ways (``overlay_shapes``).
    line
        The route (or, without one, the line the traveller would follow), lon/lat.

    Returns
    -------
    list of Overlay
        Those whose ways pass that close to the line, in the order given; none without a
        line.
    """
    if line is None or line.is_empty or not shapes:
        return []
    coords = np.asarray(line.coords)
    x, y = area.project(coords[:, 0], coords[:, 1])
    near = (
        shapely.linestrings(np.column_stack([x, y])) if len(x) > 1 else shapely.points(x[0], y[0])
    )
    return [o for o, shape in shapes if shapely.distance(shape, near) <= settings.overlay_warn_m]
