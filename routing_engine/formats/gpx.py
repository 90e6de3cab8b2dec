"""A route answer as GPX 1.1: the route as a track, the barriers passed as waypoints."""

from __future__ import annotations

from typing import TYPE_CHECKING

import gpxpy
import gpxpy.gpx

from routing_engine.formats import CREDIT
from routing_engine.texts import text

if TYPE_CHECKING:
    from routing_engine.result import RouteResult


def route_gpx(result: RouteResult) -> str:
    """Return the route as GPX 1.1: a track, and barriers as waypoints.

    Parameters
    ----------
    result
        The answer (without a route: no track).

    Returns
    -------
    str
        The GPX document.
    """
    doc = gpxpy.gpx.GPX()
    doc.creator = "accessroute"
    profile = result.profile
    doc.name = text(result.lang, "text.title", profile=profile.title.get(result.lang, profile.name))
    doc.description = CREDIT
    if result.geometry is not None:
        track = gpxpy.gpx.GPXTrack(name=doc.name)
        seg = gpxpy.gpx.GPXTrackSegment()
        for lon, lat in result.geometry.coords:
            seg.points.append(gpxpy.gpx.GPXTrackPoint(latitude=lat, longitude=lon))
        track.segments.append(seg)
        doc.tracks.append(track)
    for barrier in result.barriers:
        doc.waypoints.append(
            gpxpy.gpx.GPXWaypoint(
                latitude=barrier.lat, longitude=barrier.lon, name=barrier.text, type=barrier.type
            )
        )
    return str(doc.to_xml(version="1.1"))
