"""Route sheets in bulk: a CSV of trips (one person each) gives one PDF per row and a summary.

The columns are described in ``docs/sheets.md``. A bad row (bad coordinates, unknown profile
or area, a stop far from any usable way, ...) is reported with its line number and skipped;
the other rows are still printed. A trip with a leg that has no route is printed too (the sheet
says so) and marked ``no_route`` in the summary. ``AreaPlanner`` plans sheets outside the
service (the command line): it loads an area's graph, places and benches only when a sheet
first needs them.
"""

from __future__ import annotations

import csv
import logging
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from anyascii import anyascii

from accessroute._errors import AccessRouteError, BuildArtifactError, InputDataError
from accessroute.spreadsheet import escape_cell
from routing_engine import Engine
from web.render.sheet import render_html, render_pdf
from web.sheet import Namer, Sheet, bench_table, place_namer, plan_sheet
from web.sheet_request import SheetRequest, sheet_request

log = logging.getLogger(__name__)

#: Columns of a trips file; only ``person``, ``from`` and ``to`` must have a value.
COLUMNS = (
    "person",
    "area",
    "profile",
    "lang",
    "from",
    "via",
    "to",
    "labels",
    "title",
    "from_name",
    "to_name",
)
REQUIRED = ("person", "from", "to")
#: Name of the summary written next to the PDFs.
SUMMARY_FILE = "summary.csv"
SUMMARY_COLUMNS = (
    "line",
    "person",
    "status",
    "file",
    "legs",
    "legs_without_route",
    "length_m",
    "minutes",
    "error",
)


@dataclass
class TripOutcome:
    """What became of one row of the trips file.

    Attributes
    ----------
    line
        Line number in the trips file (the header is line 1).
    person
        The ``person`` column.
    status
        ``ok`` (every leg has a route), ``no_route`` (printed, but some leg has none) or
        ``error`` (nothing printed: see ``error``).
    file
        Name of the PDF written ("" on error).
    legs, legs_without_route
        Number of legs, and of those without a route.
    length_m, minutes
        Total length and time of the legs with a route.
    error
        Why the row was not printed ("" otherwise).
    """

    line: int
    person: str
    status: str
    file: str = ""
    legs: int = 0
    legs_without_route: int = 0
    length_m: int = 0
    minutes: int = 0
    error: str = ""


@dataclass
class BatchReport:
    """The outcome of a batch.

    Attributes
    ----------
    outcomes
        One per data row, in file order.
    summary
        Path of the summary CSV.
    """

    outcomes: list[TripOutcome] = field(default_factory=list)
    summary: Path = Path(SUMMARY_FILE)

    @property
    def made(self) -> list[TripOutcome]:
        """Rows that gave a PDF."""
        return [o for o in self.outcomes if o.status != "error"]

    @property
    def bad(self) -> list[TripOutcome]:
        """Rows that gave none."""
        return [o for o in self.outcomes if o.status == "error"]


def read_trips(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Read a trips file: UTF-8 (a BOM is fine), comma- or semicolon-separated, with a header.

    Parameters
    ----------
    path
        The CSV file.

    Returns
    -------
    list of (int, dict)
        Line number and values (stripped; missing ones ""). A row with more fields than the
        header gets the key ``"?"`` with the extra values.

    Raises
    ------
    InputDataError
        If the file cannot be read, has no header, or its header lacks a required column or
        names one not in ``COLUMNS`` (the message gives file and line).
    """
    try:
        content = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"{path}: cannot read the trips file ({exc})"
        raise InputDataError(msg) from None
    lines = content.splitlines()
    if not lines or not lines[0].strip():
        msg = f"{path}:1: no header line (expected columns: {', '.join(COLUMNS)})"
        raise InputDataError(msg)
    header = lines[0]
    delimiter = ";" if ";" in header and "," not in header else ","
    reader = csv.DictReader(content.splitlines(keepends=True), delimiter=delimiter, restkey="?")
    columns = [str(c).strip().lower() for c in reader.fieldnames or []]
    unknown = [c for c in columns if c not in COLUMNS]
    missing = [c for c in REQUIRED if c not in columns]
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    if unknown or missing or duplicated:
        problems = []
        if missing:
            problems.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown column(s) {', '.join(unknown)}")
        if duplicated:
            problems.append(f"repeated column(s) {', '.join(duplicated)}")
        msg = f"{path}:1: {'; '.join(problems)} (columns: {', '.join(COLUMNS)})"
        raise InputDataError(msg)
    reader.fieldnames = columns
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for raw in reader:
            row = {
                key: (", ".join(value) if isinstance(value, list) else (value or "")).strip()
                for key, value in raw.items()
            }
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        msg = f"{path}:{reader.line_num}: not valid CSV ({exc})"
        raise InputDataError(msg) from None
    return rows


def trip_request(row: dict[str, str], *, areas: Sequence[str] | None = None) -> SheetRequest:
    """Make the sheet request of one row of a trips file.

    Parameters
    ----------
    row
        Column to value, as ``read_trips`` gives it.
    areas
        Known area names.

    Returns
    -------
    SheetRequest
        The checked request.

    Raises
    ------
    AccessRouteError
        Naming the column at fault (``from``, ``via.0``, ``profile``, ``area``, ...).
    """
    if row.get("?"):
        msg = f"more fields than columns (extra: {row['?']}); quote values that hold commas"
        raise InputDataError(msg)
    if not row.get("person"):
        raise InputDataError("person: this field is required")
    via = [part for part in row.get("via", "").split("|") if part.strip()]
    return sheet_request(
        origin=row.get("from"),
        destination=row.get("to"),
        via=via,
        profile=row.get("profile") or None,
        lang=row.get("lang") or None,
        area=row.get("area") or None,
        labels=row.get("labels") or None,
        title=row.get("title") or None,
        from_name=row.get("from_name") or None,
        to_name=row.get("to_name") or None,
        areas=areas,
    )


def file_name(line: int, person: str) -> str:
    """The PDF's name for a row: line number and the person in plain ASCII.

    Parameters
    ----------
    line
        Line number of the row.
    person
        The ``person`` column.

    Returns
    -------
    str
        E.g. ``"003-ivanova-a-p.pdf"`` for "Иванова А. П." on line 3.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", anyascii(person).lower()).strip("-")[:40].strip("-")
    return f"{line:03d}-{slug or 'trip'}.pdf"


def run_batch(
    trips: Path,
    out_dir: Path,
    *,
    plan: Callable[[SheetRequest], Sheet],
    areas: Sequence[str] | None = None,
    progress: Callable[[TripOutcome], None] | None = None,
) -> BatchReport:
    """Print one sheet per row of a trips file into a folder, with a summary CSV.

    Parameters
    ----------
    trips
        The trips file (``read_trips``).
    out_dir
        Folder for the PDFs and ``summary.csv`` (created if needed; files of the same name
        are replaced).
    plan
        Plans a sheet for a request (an ``AreaPlanner``, or ``web.sheet_views.plan`` in the
        service).
    areas
        Known area names, to report an unknown ``area`` clearly.
    progress
        Called with each row's outcome as it is done.

    Returns
    -------
    BatchReport
        One outcome per row.

    Raises
    ------
    InputDataError
        If the trips file as a whole is unusable (see ``read_trips``): nothing is written.
    """
    rows = read_trips(trips)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = BatchReport(summary=out_dir / SUMMARY_FILE)
    for line, row in rows:
        person = row.get("person", "")
        try:
            sheet = plan(trip_request(row, areas=areas))
            pdf = render_pdf(render_html(sheet))
        except AccessRouteError as exc:
            outcome = TripOutcome(line, person, "error", error=str(exc))
        except Exception as exc:  # one broken row must not stop the others
            log.debug("%s:%d failed", trips, line, exc_info=True)
            outcome = TripOutcome(line, person, "error", error=f"{type(exc).__name__}: {exc}")
        else:
            name = file_name(line, person)
            (out_dir / name).write_bytes(pdf)
            outcome = TripOutcome(
                line,
                person,
                sheet.status,
                file=name,
                legs=len(sheet.legs),
                legs_without_route=sum(not leg.ok for leg in sheet.legs),
                length_m=round(sheet.length_m),
                minutes=math.ceil(sheet.duration_s / 60),  # as the sheet says
            )
        report.outcomes.append(outcome)
        if progress is not None:
            progress(outcome)
    with report.summary.open("w", encoding="utf-8-sig", newline="") as f:  # BOM: Excel reads UTF-8
        writer = csv.DictWriter(f, fieldnames=SUMMARY_COLUMNS)
        writer.writeheader()
        writer.writerows({k: escape_cell(v) for k, v in asdict(o).items()} for o in report.outcomes)
    return report


def built_areas(build_dir: Path) -> list[str]:
    """Names of the areas built under a folder (those with a ``meta.json``).

    Parameters
    ----------
    build_dir
        Folder of the built areas.

    Returns
    -------
    list of str
        Area names, sorted.
    """
    if not build_dir.is_dir():
        return []
    return sorted(p.name for p in build_dir.iterdir() if (p / "meta.json").is_file())


class AreaPlanner:
    """Plans sheets without the service: each area loaded when a sheet first needs it.

    One area's graph, places (to name unnamed stops) and benches are read for a sheet that
    names its area; a request without one loads every built area once (to find the area
    holding its start). No profile is weighed at load: a profile's weights are made when a
    sheet first uses it (``Engine.load(..., profiles=())``). No reports database is read: the
    sheets say that temporary changes are not included.

    Parameters
    ----------
    build_dir
        Folder of the built areas.
    """

    def __init__(self, build_dir: Path) -> None:
        self.build_dir = build_dir
        self.areas = built_areas(build_dir)
        self._engines: dict[str | None, Engine] = {}
        self._namers: dict[str, Namer] = {}

    def engine(self, area: str | None) -> Engine:
        """The engine holding ``area`` (None: every built area), loaded once.

        Parameters
        ----------
        area
            Area name, or None.

        Returns
        -------
        Engine
            The engine.

        Raises
        ------
        BuildArtifactError
            If the area is not built or cannot be read.
        """
        found = self._engines.get(area) or self._engines.get(None)
        if found is not None and (area is None or area in found.areas):
            return found
        names = None if area is None else [area]
        # no profile weighed at load: each is weighed when a sheet first uses it
        engine = Engine.load(self.build_dir, names=names, profiles=())
        if area is not None and area not in engine.areas:
            why = engine.load_errors.get(area, f"not built yet (run: accessroute build {area})")
            msg = f"area: {self.build_dir / area}: {why}"
            raise BuildArtifactError(msg)
        self._engines[area] = engine
        return engine

    def _namer(self, area: str) -> Namer:
        from web.places import load_index  # only when a stop has no name

        if area not in self._namers:
            self._namers[area] = place_namer(load_index(self.build_dir, [area]))
        return self._namers[area]

    def _name(self, lat: float, lon: float, lang: str, *, area: str) -> str | None:
        return self._namer(area)(lat, lon, lang)

    def __call__(self, wanted: SheetRequest) -> Sheet:
        """Plan a sheet (``web.sheet.plan_sheet``) with the engine of its area.

        Parameters
        ----------
        wanted
            The checked request.

        Returns
        -------
        Sheet
            The planned sheet.
        """
        engine = self.engine(wanted.area)
        first = wanted.stops[0]
        area = wanted.area or engine.area_for(first.lat, first.lon) or ""
        return plan_sheet(
            engine,
            wanted,
            benches=partial(bench_table, self.build_dir),
            namer=partial(self._name, area=area),
        )
