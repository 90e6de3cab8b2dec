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
tile_url : str
    Map tile URL template of the map page, the report and operators' maps and the planners'
    map (``https://tile.openstreetmap.org/{z}/{x}/{y}.png``; env ``ACCESSROUTE_TILE_URL``;
    ``""``: no tiles, our own streets only). The web app's ``TILE_URL`` config defaults to it.
overpass_url : str
    Overpass API endpoint used by ``accessroute build --place/--bbox`` (osmnx's setting).
nominatim_url : str
    Nominatim endpoint used to geocode ``--place`` (osmnx's setting).
fetch_timeout_s : int
    Timeout of one Overpass or Nominatim request, 180 s.
survey_snap_tolerance_m : float
    A survey record snaps to the nearest graph element of its kind (kerb node, steps segment,
    elevator, ...) only within this distance, 5 m: about the horizontal error of a phone GPS in
    a street (and of Project Sidewalk's positions, estimated from street-level imagery).
survey_value_tolerance : dict[str, float]
    How far a surveyed number may differ from a tagged OSM value before the survey report calls
    it a conflict: kerb height 1 cm, incline 1 %, width 0.1 m, step count 0 (any difference).
kerb_flush_max_cm, kerb_lowered_max_cm : float
    Kerb type given to a surveyed height: up to 0.5 cm flush, up to 3 cm lowered, above that
    raised (the OSM wiki's ``kerb=*`` values: flush ~0, lowered ~3 cm, raised > 3 cm).
project_sidewalk_barrier_severity : int
    A Project Sidewalk ``CurbRamp`` label of this severity or worse (1-5 scale: 1 passable,
    5 not passable) counts as a raised kerb instead of a lowered one: 4.
severity_smoothness : dict[int, str]
    OSM ``smoothness`` value given to a surveyed surface problem of each severity (1-5):
    intermediate, bad, very_bad, horrible, impassable (our own mapping of Project Sidewalk's
    scale onto the OSM wiki's smoothness ladder).
dem_short_edge_cells : float
    Window of a DEM incline, in DEM cells (1 cell: about 90 m for SRTM3): an edge's incline is
    measured along its way over at least this length centred on the edge, which damps the
    cell-to-cell noise, so short pieces of a long way are measured like a long edge. Edges of
    ways shorter than the window are measured over a straight baseline of that length centred
    on them and are marked low-confidence.
dem_sample_spacing_m : float
    Distance between the DEM samples taken along a way (bilinear), 10 m at most; the incline is
    the least-squares slope of those samples.
dem_void : float
    Void value of SRTM tiles, -32768: treated as missing, as is the file's own nodata value.
floor_area_per_resident_m2 : float
    Floor area per resident used to estimate how many people live in a residential building
    (footprint x levels / this), 35 m²: our assumption, between Russian (~27 m²) and
    German (~47 m²) averages of living space per person.
instance_dir : pathlib.Path
    Folder of the running service's own files (database, secret key). Default ``instance/``
    beside the packages; env ``ACCESSROUTE_INSTANCE_DIR``.
database_url : str
    SQLAlchemy URL of the reports database: SQLite file ``<instance_dir>/accessroute.sqlite3``
    by default (WAL mode), or ``postgresql+psycopg://user@host/db``; env
    ``ACCESSROUTE_DATABASE_URL``.
sqlite_busy_timeout_ms : int
    How long a SQLite writer waits for another one, 10 000 ms.
secure_cookies : bool
    Send the session and language cookies with ``Secure`` (HTTPS only): set it when the
    service is reached over TLS (behind a proxy, see ``proxy_hops``). Default False, so that a
    login works over plain HTTP on a local machine; env ``ACCESSROUTE_SECURE_COOKIES`` (``1``,
    ``true``, ``yes`` or ``on`` for True).
proxy_hops : int
    Number of reverse proxies in front of the service that each set ``X-Forwarded-For``,
    ``X-Forwarded-Proto`` and ``X-Forwarded-Host``. Above 0 the service trusts that many of
    their values (werkzeug's ``ProxyFix``), so the client address (which the report rate limit
    keys on), scheme and host are the real client's. Default 0: those headers are ignored, as
    any client can send them; env ``ACCESSROUTE_PROXY_HOPS``.
report_rate_limit : tuple[int, int]
    At most this many reports (5) per client in this many seconds (600).
report_photo_max_bytes : int
    Largest photo accepted with a report, 5 MiB.
report_photo_max_pixels : int
    A photo of more pixels is refused before it is decoded, 50 megapixels: the full resolution
    of a 48 or 50 MP phone camera (8160 x 6120), about 200 MB once decoded. Pillow's own
    decompression-bomb limit (``PIL.Image.MAX_IMAGE_PIXELS``) is set to it as well.
report_photo_max_side_px : int
    A photo is stored re-encoded (no metadata), scaled down so that its longer side is at most
    4096 px: a 12 MP phone photo (4032 x 3024) keeps its size.
report_thumbnail_px : int
    Longer side of the thumbnail made once from each photo and shown in the operators' list of
    reports, 320 px.
request_max_bytes : int
    Largest request body of every endpoint but the two that take a report (``POST
    /api/reports``, ``POST /report``), 16 KiB: a route request is a few hundred bytes, an
    operator's closure with a polygon a few KiB. Those two take the photo as well: its limit in
    base64 (4/3 of ``report_photo_max_bytes``) plus this. A larger body is refused with 413
    before it is read; so is a form field (not a file) larger than this.
request_max_query_bytes : int
    Longest query string of any request, 8 KiB (a route sheet with ten stops named in Cyrillic
    needs about 5 KiB); longer: 414 before the request is served.
database_connect_timeout_s : int
    How long opening a PostgreSQL connection may take before it counts as down, 3 s.
database_retry_after_s : int
    Seconds a client is told to wait (``Retry-After`` of a 503) when the reports database is
    down or locked past ``sqlite_busy_timeout_ms``, 30 s.
overlay_retry_s : float
    After the overlay store failed to read the database, routes use the overlays it read last
    (their age is in the route's warnings) and the store tries the database again only after
    this long, 5 s, so that routes do not wait on a database that is down.
overlay_read_timeout_s : float
    Longest a route waits for PostgreSQL to read the live overlays (its statement and lock
    timeout for that read), 2 s; past it the database counts as down (see ``overlay_retry_s``).
operator_session_idle_s : int
    An operator's login session ends after this long without a request, 8 h (28 800 s): the
    signed session cookie is renewed on each request and refused once older than this.
operator_session_max_s : int
    An operator's login session ends this long after logging in, whatever the activity, 12 h
    (43 200 s): one working day; a copied cookie is of no use the next morning.
login_failure_limit : tuple[int, int]
    After this many failed logins (5) for one operator name in this many seconds (900), further
    attempts for that name are refused (429, password not checked) until the oldest of them is
    that old; a successful login starts the count again.
login_client_failure_limit : tuple[int, int]
    The same per client address, over every name: 20 failures in 900 s (several staff behind
    one office address can still mistype).
api_token_lifetime_days : int
    An API token made by ``accessroute operator token`` is valid this many days, 365, unless
    ``--days`` says otherwise; a feed needs a new token before then.
max_snap_m : float
    A route end (or a gap-analysis origin) farther than this from any way usable with the
    profile is an error, 250 m: a few minutes on foot, beyond which "the nearest way" is
    probably not what the person meant.
snap_first_radius_m : float
    Snapping looks this far first, 60 m, then up to ``max_snap_m``.
snap_warn_m : float
    A route end that snapping moved off a fragment of the network onto a way that connects
    (``routing_engine.snap.connect_ends``) is mentioned in the route's warnings when it lies
    farther than this from the point given, 25 m.
sheet_bench_radius_m : float
    OSM benches this close to a route (metres) are listed on a route sheet as places to rest, 30.
sheet_barrier_group_m : float
    Barriers this close to the first of a group (metres) share one number on a route sheet's map
    and list (a crossing and its two kerbs), 15.
sheet_snap_note_m : float
    A route sheet mentions a start or stop moved farther than this onto the network, 20 m.
overlay_warn_m : float
    A live overlay (a closure, an elevator out of service) is named in a route's warnings when
    its ways pass within this distance of the route, 150 m (about a block: a closure the route
    walks around stays mentioned); without a route, of the plain walking route or the straight
    line between the ends.
area_margin_m : float
    A point this far outside an area's node bbox still counts as inside it, 100 m.
custom_cache_size : int
    Weights of this many custom (tuned) profiles, or sets of edges closed by live overlays,
    are kept per area, 32.
planners_cache_size : int
    Planners' reports kept in memory per service process (one per area, profile and set of
    live overlays), 12.
planners_disk_cache_size : int
    Planners' report folders kept in ``<instance>/planners-cache`` (the oldest are removed
    beyond this), 48.
street_name_radius_m, street_parallel_deg : float
    A sidewalk without a name takes the name of a road within 25 m that runs within 30 degrees
    of it ("the sidewalk of Maroseyka street").
small_component_vertices : int
    A way in a piece of the graph with fewer vertices than this, 200 (an indoor corridor, a
    fenced yard), counts ``small_component_penalty_m`` = 100 m farther when snapping.
carriageway_penalty_m : float
    A carriageway whose sidewalks are mapped separately counts 10 m farther when snapping, so
    that a point on a street snaps to its sidewalk.
max_blocking : int
    At most this many blocking barriers are reported with "no route", 10.
gap_access_slack_m : float
    Gap reports: an origin or destination joins the network at the best vertex usable with the
    profile no farther than its nearest walking-network vertex plus this, 30 m (the door may be
    on another side).
gap_unreachable_cost_s : float
    Gap reports: connecting an origin to a category it could not reach counts as much as
    saving its residents this much time on that trip, 3600 s.
gap_top_candidates : int
    Gap reports: barriers re-routed for real after the cheap estimate, 20.
gap_grid_spacing_m : float
    Gap reports: cell size of the population grid used when an area has no homes, 100 m.
gap_fix_kerb_cm, gap_fix_incline_pct, gap_fix_width_m : float
    Gap reports: what a repair achieves. A kerb ramp leaves 1.5 cm (kerb drop at crossings
    <= 0.015 m, SP 59.13330 as often quoted), a regraded way 5 % (SP 59: walkways <= 50
    permille), a widened way 2.0 m (SP 59 where wheelchairs pass); see
    ``docs/accessibility-norms.md``.
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

tile_url: str = os.environ.get(
    "ACCESSROUTE_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
overpass_url: str = "https://overpass-api.de/api"
nominatim_url: str = "https://nominatim.openstreetmap.org/"
fetch_timeout_s: int = 180

survey_snap_tolerance_m: float = 5.0
survey_value_tolerance: dict[str, float] = {
    "kerb_height_cm": 1.0,
    "incline_pct": 1.0,
    "width_m": 0.1,
    "step_count": 0.0,
}
kerb_flush_max_cm: float = 0.5
kerb_lowered_max_cm: float = 3.0
project_sidewalk_barrier_severity: int = 4
severity_smoothness: dict[int, str] = {
    1: "intermediate",
    2: "bad",
    3: "very_bad",
    4: "horrible",
    5: "impassable",
}

dem_short_edge_cells: float = 1.0
dem_sample_spacing_m: float = 10.0
dem_void: float = -32768.0

instance_dir: Path = Path(os.environ.get("ACCESSROUTE_INSTANCE_DIR", _PACKAGE_ROOT / "instance"))
database_url: str = os.environ.get(
    "ACCESSROUTE_DATABASE_URL", f"sqlite:///{instance_dir / 'accessroute.sqlite3'}"
)
sqlite_busy_timeout_ms: int = 10_000
secure_cookies: bool = os.environ.get("ACCESSROUTE_SECURE_COOKIES", "").strip().lower() in {
    "1",
    "true",
    "yes",
    "on",
}
proxy_hops: int = int(os.environ.get("ACCESSROUTE_PROXY_HOPS", "0"))
report_rate_limit: tuple[int, int] = (5, 600)
report_photo_max_bytes: int = 5 * 1024 * 1024
report_photo_max_pixels: int = 50_000_000
report_photo_max_side_px: int = 4096
report_thumbnail_px: int = 320
request_max_bytes: int = 16 * 1024
request_max_query_bytes: int = 8 * 1024
database_connect_timeout_s: int = 3
database_retry_after_s: int = 30
overlay_retry_s: float = 5.0
overlay_read_timeout_s: float = 2.0
operator_session_idle_s: int = 8 * 3600
operator_session_max_s: int = 12 * 3600
login_failure_limit: tuple[int, int] = (5, 900)
login_client_failure_limit: tuple[int, int] = (20, 900)
api_token_lifetime_days: int = 365
floor_area_per_resident_m2: float = 35.0

max_snap_m: float = 250.0
snap_first_radius_m: float = 60.0
snap_warn_m: float = 25.0
overlay_warn_m: float = 150.0
sheet_bench_radius_m: float = 30.0
sheet_barrier_group_m: float = 15.0
sheet_snap_note_m: float = 20.0
area_margin_m: float = 100.0
custom_cache_size: int = 32
planners_cache_size: int = 12
planners_disk_cache_size: int = 48
street_name_radius_m: float = 25.0
street_parallel_deg: float = 30.0
small_component_vertices: int = 200
small_component_penalty_m: float = 100.0
carriageway_penalty_m: float = 10.0
max_blocking: int = 10

gap_access_slack_m: float = 30.0
gap_unreachable_cost_s: float = 3600.0
gap_top_candidates: int = 20
gap_grid_spacing_m: float = 100.0
gap_fix_kerb_cm: float = 1.5
gap_fix_incline_pct: float = 5.0
gap_fix_width_m: float = 2.0
