"""A route answer written out, one module per format: ``json`` (and GeoJSON), ``gpx``, ``text``."""

from __future__ import annotations

#: The data credit every format carries.
CREDIT = "© OpenStreetMap contributors, ODbL 1.0"
