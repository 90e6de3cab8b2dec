"""accessroute: accessible routes for people with limited mobility, from OpenStreetMap.

The distribution holds three packages, one per part of the product:

- ``graph_builder``: OSM extracts (plus surveys and elevation) -> weighted accessibility graphs;
- ``routing_engine``: routes per mobility profile on those graphs (igraph);
- ``web``: the Flask service (map page, JSON API, printable sheets, planners' reports).

This package holds what they share: settings, errors, the area registry and the command line.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("accessroute")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0.0.0"
