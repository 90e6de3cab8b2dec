"""Settings with documented defaults, in one place.

Every default can be overridden by assigning to the module attribute before use (tests do),
and the paths by environment variables.

Attributes
----------
data_dir : pathlib.Path
    Folder holding ``areas/`` (inputs, one sub-folder per area with an ``area.toml``).
    Default: ``data/`` beside the packages; env ``ACCESSROUTE_DATA_DIR``.
build_dir : pathlib.Path
    Folder where ``accessroute build`` writes one artifact folder per area.
    Default: ``<data_dir>/build``; env ``ACCESSROUTE_BUILD_DIR``.
kerb_type_height_cm : dict[str, float]
    Height assumed for a kerb whose ``kerb=*`` type is tagged but not its ``kerb:height``.
    raised 15, lowered 3, flush 0 follow openrouteservice's value mapping (see
    ``docs/accessibility-norms.md``); rolled 4 is our own assumption (OSM wiki: "a kerb with a
    rounded edge ... can be overcome with some effort"), above the manual wheelchair limit of
    3 cm and below the powered wheelchair limit of 6 cm.
incline_up_down_pct : float
    Magnitude given to ``incline=up`` / ``incline=down`` (no number): 10 %, openrouteservice's
    mapping. Such inclines are marked low-confidence.
max_plausible_incline_pct : float
    Tagged inclines above this (in %) are treated as unparseable (a typo or degrees), 100 %.
max_plausible_width_m : float
    Widths above this are treated as unparseable for a walkway, 50 m.
max_plausible_kerb_cm : float
    Kerb heights above this are treated as unparseable, 50 cm.
overpass_url : str
    Overpass API endpoint used by ``accessroute build --place/--bbox`` (osmnx's setting).
nominatim_url : str
    Nominatim endpoint used to geocode ``--place`` (osmnx's setting).
fetch_timeout_s : int
    Timeout of one Overpass or Nominatim request, 180 s.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_ROOT = Path(__file__).resolve().parent.parent

data_dir: Path = Path(os.environ.get("ACCESSROUTE_DATA_DIR", _PACKAGE_ROOT / "data"))
build_dir: Path = Path(os.environ.get("ACCESSROUTE_BUILD_DIR", data_dir / "build"))

kerb_type_height_cm: dict[str, float] = {
    "raised": 15.0,
    "lowered": 3.0,
    "flush": 0.0,
    "rolled": 4.0,
}
incline_up_down_pct: float = 10.0
max_plausible_incline_pct: float = 100.0
max_plausible_width_m: float = 50.0
max_plausible_kerb_cm: float = 50.0

overpass_url: str = "https://overpass-api.de/api"
nominatim_url: str = "https://nominatim.openstreetmap.org/"
fetch_timeout_s: int = 180
