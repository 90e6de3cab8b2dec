"""The answer to a route request and its formats: dict/JSON, GeoJSON, GPX, plain text."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import gpxpy
import gpxpy.gpx
import orjson
import shapely
from shapely.geometry import LineString

from routing_engine.explain import barrier_groups
from routing_engine.profiles import Profile
from routing_engine.texts import duration_text, length_text, text

CREDIT = "© OpenStreetMap contributors, ODbL 1.0"


@dataclass
class RouteResult:
    """A route (``status="ok"``) or the explanation why there is none (``"no_route"``).

    Attributes
    ----------
    status
        ``"ok"`` or ``"no_route"``.
    area
        Area name.
    profile
        The profile used (with overrides).
    lang
        Language of the texts.
    length_m, duration_s
        Length and expected travel time (0 without a route).
    cost_s
        The search's cost (travel time plus the profile's penalties).
    geometry
        The line (lon/lat), or None without a route.
    snap
        ``{"from": {"moved_m", "point": (lat, lon)}, "to": {...}}``.
    barriers
        Barriers passed (see ``explain.barrier_entry``).
    warnings
        Localised warnings.
    steps
        Turn-by-turn directions.
    elevation
        Incline profile along the route.
    segments
        Parts of the line for colouring.
    walking
        The plain walking route for comparison: ``length_m``, ``duration_s``, ``geometry``
        (LineString), ``barriers`` (what on it this profile cannot pass or must take).
    detour_m
        Route length minus walking length.
    no_route
        Without a route: ``enclosed``, ``island``, ``summary``, ``blocking_barriers``,
        ``more_blocking``, ``nearest_reachable``, ``nearest_connected``, ``looser``
        (``routing_engine.noroute.explain_no_route``).
    overlays
        Overlays in force for this request (kind, target, note).
    """

    status: str
    area: str
    profile: Profile
    lang: str
    length_m: float = 0.0
    duration_s: float = 0.0
    cost_s: float = 0.0
    geometry: LineString | None = None
    snap: dict[str, Any] = field(default_factory=dict)
    barriers: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    elevation: list[dict[str, Any]] = field(default_factory=list)
    segments: list[dict[str, Any]] = field(default_factory=list)
    walking: dict[str, Any] | None = None
    detour_m: float | None = None
    no_route: dict[str, Any] | None = None
    overlays: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self, *, safe: bool = True) -> dict[str, Any]:
        """Return the result as JSON-safe data (geometries as GeoJSON).

        Parameters
        ----------
        safe
            True: made JSON-safe by ``_clean`` (copies throughout). False, the API's fast path:
            only for serialising with `json_bytes`, which makes the data JSON-safe by the same
            rules while writing. The result's own lists and dicts are shared and left as they
            are (tuples, NaN, numpy scalars), the lines' coordinates are JSON already written
            (``orjson.Fragment``): no cleaned copy of every step, segment and point.

        Returns
        -------
        dict
            Every attribute; ``profile`` as ``Profile.to_dict()``. Also ``length_text`` and
            ``duration_text`` (the length and time as every page shows them, "1,3 км",
            "2 ч 19 мин"; None without a route; the walking route's too) and
            ``barrier_groups`` (repeats of one barrier as one line: ``text``, ``type``,
            ``count``, ``steps``, in the order first met; ``explain.barrier_groups``).
        """
        walking = None
        if self.walking is not None:
            walking = {
                **self.walking,
                "geometry": None,
                "length_text": length_text(self.walking["length_m"], self.lang),
                "duration_text": duration_text(self.walking["duration_s"], self.lang),
            }
        found = self.status == "ok"
        data: dict[str, Any] = {
            "status": self.status,
            "area": self.area,
            "profile": self.profile.to_dict(),
            "lang": self.lang,
            "length_m": round(self.length_m, 2),
            "duration_s": round(self.duration_s, 1),
            "length_text": length_text(self.length_m, self.lang) if found else None,
            "duration_text": duration_text(self.duration_s, self.lang) if found else None,
            "cost_s": round(self.cost_s, 1),
            "geometry": None,
            "snap": self.snap,
            "barriers": self.barriers,
            "barrier_groups": self.barrier_groups(),
            "warnings": self.warnings,
            "steps": self.steps,
            "elevation": self.elevation,
            "segments": self.segments,
            "walking": walking,
            "detour_m": None if self.detour_m is None else round(self.detour_m, 2),
            "no_route": self.no_route,
            "overlays": self.overlays,
            "credit": CREDIT,
        }
        if safe:
            data = _clean(data)
        # The lines are made JSON-safe by _geojson itself, not walked point by point.
        data["geometry"] = _geojson(self.geometry, lists=safe)
        if self.walking is not None:
            data["walking"]["geometry"] = _geojson(self.walking.get("geometry"), lists=safe)
        return data

    def barrier_groups(self) -> list[dict[str, Any]]:
        """The barriers passed, repeats of one as one group (``explain.barrier_groups``).

        Returns
        -------
        list of dict
            ``text`` ("9 бордюров неизвестной высоты: шаги 3, 5, 8"), ``type``, ``count``,
            ``steps``, in the order first met.
        """
        keys = ("text", "type", "count", "steps")
        return [{k: g[k] for k in keys} for g in barrier_groups(self.barriers, self.lang)]

    def to_geojson(self, data: dict[str, Any] | None = None) -> dict[str, Any]:
        """Return a GeoJSON FeatureCollection: route, one point per barrier, walking route.

        Parameters
        ----------
        data
            ``to_dict()`` of this result if already made (default: made here). The collection
            is built from it and shares its parts; from ``to_dict(safe=False)``, it is as safe
            as that (for `json_bytes`).

        Returns
        -------
        dict
            The FeatureCollection (``role`` property: ``route``, ``barrier``, ``walking``,
            ``blocking``, ``nearest_reachable``).
        """
        if data is None:
            data = self.to_dict()
        features: list[dict[str, Any]] = []
        walking = data["walking"]
        summary = None
        if walking is not None:
            summary = {k: v for k, v in walking.items() if k not in {"geometry", "barriers"}}
        if data["geometry"] is not None:
            features.append(
                _feature(
                    data["geometry"],
                    {
                        "role": "route",
                        "status": data["status"],
                        "length_m": data["length_m"],
                        "duration_s": data["duration_s"],
                        "length_text": data["length_text"],
                        "duration_text": data["duration_text"],
                        "profile": _clean(self.profile.name),
                        "steps": data["steps"],
                        "barrier_groups": data["barrier_groups"],
                        "elevation": data["elevation"],
                        "warnings": data["warnings"],
                        "walking": summary,
                        "detour_m": _clean(self.detour_m),
                    },
                )
            )
        for barrier in data["barriers"]:
            features.append(_point(barrier, "barrier"))
        if walking is not None and walking["geometry"] is not None:
            features.append(_feature(walking["geometry"], {"role": "walking", **(summary or {})}))
            for barrier in walking.get("barriers", []):
                features.append(_point(barrier, "walking_barrier"))
        if data["no_route"] is not None:
            for barrier in data["no_route"].get("blocking_barriers", []):
                features.append(_point(barrier, "blocking"))
            near = data["no_route"].get("nearest_reachable")
            if near:
                features.append(_point(near, "nearest_reachable"))
        return {
            "type": "FeatureCollection",
            "features": features,
            "properties": {"status": data["status"], "area": data["area"], "credit": CREDIT},
        }

    def to_gpx(self) -> str:
        """Return the route as GPX 1.1: a track, and barriers as waypoints.

        Returns
        -------
        str
            The GPX document.
        """
        doc = gpxpy.gpx.GPX()
        doc.creator = "accessroute"
        doc.name = text(
            self.lang, "text.title", profile=self.profile.title.get(self.lang, self.profile.name)
        )
        doc.description = CREDIT
        if self.geometry is not None:
            track = gpxpy.gpx.GPXTrack(name=doc.name)
            seg = gpxpy.gpx.GPXTrackSegment()
            for lon, lat in self.geometry.coords:
                seg.points.append(gpxpy.gpx.GPXTrackPoint(latitude=lat, longitude=lon))
            track.segments.append(seg)
            doc.tracks.append(track)
        for barrier in self.barriers:
            doc.waypoints.append(
                gpxpy.gpx.GPXWaypoint(
                    latitude=barrier["lat"],
                    longitude=barrier["lon"],
                    name=barrier["text"],
                    type=barrier["type"],
                )
            )
        return str(doc.to_xml(version="1.1"))

    def to_text(self) -> str:
        """Return a readable route sheet in ``lang``.

        Returns
        -------
        str
            Lines of text.
        """
        lang = self.lang
        title = self.profile.title.get(lang, self.profile.name)
        lines = [text(lang, "text.title", profile=title)]
        if self.status != "ok":
            lines.append(text(lang, "no_route", profile=title))
            info = self.no_route or {}
            if info.get("summary"):
                lines.append(info["summary"])
            blocking = info.get("blocking_barriers") or []
            if blocking:
                what = "; ".join(
                    b["text"]
                    + (f" ({length_text(b['distance_m'], lang)})" if b.get("distance_m") else "")
                    for b in blocking
                )
                lines.append(text(lang, "no_route.blocking", what=what))
            near = info.get("nearest_reachable")
            if near:
                lines.append(
                    text(
                        lang,
                        "no_route.nearest",
                        lat=f"{near['lat']:.6f}",
                        lon=f"{near['lon']:.6f}",
                        m=f"{near['distance_to_destination_m']:.0f}",
                    )
                )
            looser = [x for x in info.get("looser", []) if x.get("connects")]
            if looser:
                lines.append(text(lang, "no_route.looser"))
                lines.extend(
                    f"- {x['text']} ({length_text(x['length_m'], lang)})"
                    if x.get("length_m") is not None
                    else f"- {x['text']}"
                    for x in looser
                )
        else:
            lines.append(
                text(
                    lang,
                    "text.summary",
                    length=length_text(self.length_m, lang),
                    duration=duration_text(self.duration_s, lang),
                )
            )
            if self.walking is not None and self.detour_m is not None:
                # The walking route minimises time on foot (crossing waits included), so it
                # may be the longer one.
                key = (
                    "text.walking"
                    if self.detour_m >= 0.5
                    else "text.walking_shorter"
                    if self.detour_m <= -0.5
                    else "text.walking_same"
                )
                lines.append(
                    text(
                        lang,
                        key,
                        length=length_text(self.walking["length_m"], lang),
                        detour=length_text(abs(self.detour_m), lang),
                    )
                )
                if self.walking.get("barriers"):
                    what = "; ".join(b["text"] for b in self.walking["barriers"][:5])
                    lines.append(text(lang, "text.walking_barriers", what=what))
            lines.append("")
            lines.append(text(lang, "text.steps"))
            lines.extend(f"{n}. {s['text']}" for n, s in enumerate(self.steps, 1))
            if self.barriers:
                lines.append("")
                lines.append(text(lang, "text.barriers"))
                lines.extend(f"- {group['text']}" for group in self.barrier_groups())
        if self.warnings:
            lines.append("")
            lines.append(text(lang, "text.warnings"))
            lines.extend(f"- {w}" for w in self.warnings)
        if self.snap:
            lines.append("")
            lines.append(
                text(
                    lang,
                    "text.snap",
                    a=f"{self.snap['from']['moved_m']:.0f}",
                    b=f"{self.snap['to']['moved_m']:.0f}",
                )
            )
        lines.append(text(lang, "text.credit"))
        return "\n".join(lines) + "\n"


def _geojson(geometry: LineString | None, *, lists: bool = True) -> dict[str, Any] | None:
    """GeoJSON of a line, coordinates snapped to 1e-7 degrees.

    Coordinates as plain lists, or (``lists=False``, for `json_bytes`) as their JSON already
    written from the array: the same bytes, without a Python list per point.
    """
    if geometry is None:
        return None
    snapped = shapely.set_precision(geometry, 1e-7)
    coords = shapely.get_coordinates(snapped)
    if lists:
        return {"type": snapped.geom_type, "coordinates": coords.tolist()}
    written = orjson.dumps(coords, option=orjson.OPT_SERIALIZE_NUMPY)
    return {"type": snapped.geom_type, "coordinates": orjson.Fragment(written)}


def _feature(geometry: dict[str, Any] | None, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _point(item: dict[str, Any], role: str) -> dict[str, Any]:
    # A copy less lat/lon: faster than a filtering comprehension (tens of barriers a route).
    props = {"role": role, **item}
    del props["lat"], props["lon"]
    return _feature({"type": "Point", "coordinates": [item["lon"], item["lat"]]}, props)


#: Types that are JSON-safe as they are (exactly these types: subclasses such as numpy's are not).
_SAFE = frozenset({str, int, bool, type(None)})


def _clean(value: Any) -> Any:
    """Make data JSON-safe: tuples to lists, NaN/inf to None, numpy scalars to Python.

    Plain dicts and lists pass their safe items (``_SAFE`` and finite floats, for which
    ``x - x == 0.0``) straight through instead of recursing: the bulk of a route is these.
    """
    kind = type(value)
    if kind is dict:
        return {
            str(k): v if type(v) in _SAFE or (type(v) is float and v - v == 0.0) else _clean(v)
            for k, v in value.items()
        }
    if kind is list or kind is tuple:
        return [
            v if type(v) in _SAFE or (type(v) is float and v - v == 0.0) else _clean(v)
            for v in value
        ]
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, LineString):
        return _geojson(value)
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def json_bytes(value: Any) -> bytes:
    """Serialise data as JSON made safe by the rules of `_clean`, without a cleaned copy.

    The bytes are those of ``orjson.dumps(_clean(value))``: orjson itself writes NaN/inf as
    null and tuples as arrays, and hands what it cannot write (numpy scalars, LineStrings,
    tuple subclasses) to `_clean`. Cleaning a route first copies its ~200 dicts and ~500
    small lists in Python; this does the walk in C. No ``OPT_SERIALIZE_NUMPY``: numpy scalars
    are written as `_clean` makes them (``.item()``; a float32 as the Python float it is).

    Parameters
    ----------
    value
        Data as ``to_dict(safe=False)`` gives it (or any data `_clean` accepts).

    Returns
    -------
    bytes
        UTF-8 JSON.
    """
    try:
        return orjson.dumps(value, default=_clean)
    except TypeError:
        # A dict key that is not a string (orjson takes none): clean first, keys become str(k).
        return orjson.dumps(_clean(value))
