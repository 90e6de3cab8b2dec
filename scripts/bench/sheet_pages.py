"""Route sheets of one-leg trips of 0.5 to 2 km: how many pages each takes (issue #18: one).

For every shipped area, random vertex pairs of its largest connected piece (fixed seed) are
routed in turn for the profiles of ``PROFILES`` until each band of route length (``BANDS``: 0.5
to 1, 1 to 1.5 and 1.5 to 2 km) holds ``--per-band`` routes. Each route's sheet is planned as
the command line plans it (``web.batch.AreaPlanner``: stops named by their nearest address),
in Russian and English, typeset as ``/sheet.pdf`` typesets it (``web.render.sheet``) and its
pages counted by ``pdfinfo``. One line per sheet (area, profile, language, length, steps,
warnings, lines of the barrier list, places to rest, pages, ``fit``: the density level it was
typeset at, and ``free``: the room left on the last page between the lowest printed line and
the page's footer, millimetres, as ``pdftoppm`` draws it), then per area and language the
sheets over one page, the sheets at each level and the least room left on a one-page sheet.

``--keep DIR`` writes the PDFs there (``<area>-<n>-<lang>.pdf``) to look at. A checkout
without density levels (``web.render.sheet.typeset``, before issue #18's fitting) is measured
too, its sheets at level 0: to compare, run this script from that checkout::

    git archive <commit> | tar -x -C /tmp/before
    cp scripts/bench/sheet_pages.py /tmp/before/scripts/bench/
    cd /tmp/before
    export ACCESSROUTE_BUILD_DIR=$OLDPWD/data/build PYTHONPATH=.
    $OLDPWD/.venv/bin/python scripts/bench/sheet_pages.py

Run alone: ``.venv/bin/python scripts/bench/sheet_pages.py [--per-band 8] [--seed 18]``
(8 routes a band, the default: 144 sheets, about 5 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import io
import math
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from common import point, vertex_pairs
from PIL import Image

from accessroute import settings
from routing_engine.area import AreaGraph
from web.batch import AreaPlanner
from web.render import sheet as render
from web.sheet import Sheet
from web.sheet_request import sheet_request

AREAS = ("moscow-kitay-gorod", "berlin-wittenau", "london-northern-line")
#: Profiles the routes are drawn for, in turn.
PROFILES = ("wheelchair_manual", "blind", "walker", "elderly", "wheelchair_powered", "stroller")
#: Bands of route length, metres: each gets ``--per-band`` routes.
BANDS = ((500.0, 1000.0), (1000.0, 1500.0), (1500.0, 2000.0))
LANGS = ("ru", "en")
#: Pairs drawn per area, and their distance as the crow flies (metres), before routing.
DRAWN = 4000
CROW_M = (300.0, 1800.0)
#: Resolution of the page drawn to find its lowest line, dots per inch.
FREE_DPI = 100
_PAGES = re.compile(r"^Pages:\s+(\d+)$", re.M)


@dataclass(frozen=True)
class Trip:
    """A one-leg trip of a band: its area, ends ("lat,lon") and profile."""

    area: str
    number: int
    origin: str
    destination: str
    profile: str


@dataclass(frozen=True)
class Row:
    """One typeset sheet and what fills it."""

    trip: Trip
    lang: str
    length_m: float
    steps: int
    warnings: int
    groups: int
    rests: int
    pages: int
    fit: int
    free_mm: float
    seconds: float


def _crow_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance between two (lat, lon) points as the crow flies, metres (equirectangular)."""
    mean = math.radians((a[0] + b[0]) / 2)
    dy = math.radians(b[0] - a[0])
    dx = math.radians(b[1] - a[1]) * math.cos(mean)
    return 6_371_000 * math.hypot(dx, dy)


def _band(length: float) -> int | None:
    for i, (low, high) in enumerate(BANDS):
        if low <= length <= high:
            return i
    return None


def draw_trips(planner: AreaPlanner, name: str, per_band: int, seed: int) -> list[Trip]:
    """Routes of each length band for one area, profiles taken in turn.

    Parameters
    ----------
    planner
        Plans sheets (its engine routes the candidates).
    name
        Area name.
    per_band
        Routes wanted in each band of ``BANDS``.
    seed
        Seed of the vertex draw.

    Returns
    -------
    list of Trip
        The trips, fewer than asked when the draw does not fill a band.
    """
    engine = planner.engine(name)
    area: AreaGraph = engine.areas[name]
    counts = [0] * len(BANDS)
    trips: list[Trip] = []
    for u, v in vertex_pairs(area, DRAWN, seed=seed):
        if min(counts) >= per_band:
            break
        a, b = point(area, int(u)), point(area, int(v))
        if not CROW_M[0] <= _crow_m(a, b) <= CROW_M[1]:
            continue
        profile = PROFILES[len(trips) % len(PROFILES)]
        result = engine.route(a, b, profile=profile, area=name, lang="en")
        band = _band(result.length_m) if result.status == "ok" else None
        if band is None or counts[band] >= per_band:
            continue
        counts[band] += 1
        origin, destination = f"{a[0]:.7f},{a[1]:.7f}", f"{b[0]:.7f},{b[1]:.7f}"
        trips.append(Trip(name, len(trips) + 1, origin, destination, profile))
    return sorted(trips, key=lambda t: t.number)


def pdf_pages(pdf: bytes) -> int:
    """Number of pages of a PDF, as ``pdfinfo`` counts them."""
    done = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    found = _PAGES.search(done.stdout.decode("utf-8"))
    if found is None:
        msg = f"pdfinfo gave no page count: {done.stdout[:500]!r}"
        raise RuntimeError(msg)
    return int(found.group(1))


def free_mm(pdf: bytes, page: int) -> float:
    """Room left on a page between its lowest printed line and its footer, millimetres.

    The page is drawn in grey (``pdftoppm``); from the bottom, the first rows with ink are the
    footer, and the next ones up end the page's content.
    """
    where = ["-f", str(page), "-l", str(page), "-singlefile", "-"]
    done = subprocess.run(
        ["pdftoppm", "-gray", "-r", str(FREE_DPI), *where],
        input=pdf,
        capture_output=True,
        check=True,
    )
    grey = np.asarray(Image.open(io.BytesIO(done.stdout)).convert("L"))
    inked = np.flatnonzero((grey < 160).any(axis=1))
    if inked.size == 0:
        return float("nan")
    gaps = np.flatnonzero(np.diff(inked) > 1)  # blank rows between ink
    if gaps.size == 0:
        return float("nan")
    footer_top, content_bottom = inked[gaps[-1] + 1], inked[gaps[-1]]
    return float(footer_top - content_bottom) * 25.4 / FREE_DPI


def typeset_trip(planner: AreaPlanner, trip: Trip, lang: str, keep: Path | None) -> Row:
    """Plan and typeset one trip's sheet and count its pages."""
    wanted = sheet_request(
        origin=trip.origin,
        destination=trip.destination,
        profile=trip.profile,
        lang=lang,
        area=trip.area,
    )
    start = time.perf_counter()
    sheet: Sheet = planner(wanted)
    html = render.render_html(sheet)
    if hasattr(render, "typeset"):
        done = render.typeset(html)
        pdf, fit = done.pdf, done.fit
    else:  # a checkout before the density levels
        pdf, fit = render.render_pdf(html), 0
    seconds = time.perf_counter() - start
    if keep is not None:
        (keep / f"{trip.area}-{trip.number}-{lang}.pdf").write_bytes(pdf)
    leg = sheet.legs[0]
    pages = pdf_pages(pdf)
    return Row(
        trip=trip,
        lang=lang,
        length_m=leg.result.length_m,
        steps=len(leg.steps),
        warnings=len(leg.result.warnings),
        groups=len(leg.groups),
        rests=len(leg.rests),
        pages=pages,
        fit=fit,
        free_mm=free_mm(pdf, pages),
        seconds=seconds,
    )


def main() -> None:
    """Draw the trips, typeset their sheets and print the pages of each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-band", type=int, default=8, help="routes per length band")
    parser.add_argument("--seed", type=int, default=18, help="seed of the vertex draw")
    parser.add_argument("--areas", nargs="+", default=list(AREAS), help="areas to draw from")
    parser.add_argument("--keep", type=Path, help="write the PDFs into this folder")
    options = parser.parse_args()
    render.quiet_libraries()
    if options.keep is not None:
        options.keep.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    head = "area                  #  profile             lang  length  steps  warn  groups  rests"
    print(f"{head}  pages  fit  free")
    for name in options.areas:
        planner = AreaPlanner(settings.build_dir)  # one area loaded at a time
        for trip in draw_trips(planner, name, options.per_band, options.seed):
            for lang in LANGS:
                row = typeset_trip(planner, trip, lang, options.keep)
                rows.append(row)
                print(
                    f"{name:21} {trip.number:2}  {trip.profile:18}  {lang:4}  "
                    f"{row.length_m:6.0f}  {row.steps:5}  {row.warnings:4}  {row.groups:6}  "
                    f"{row.rests:5}  {row.pages:5}  {row.fit:3}  {row.free_mm:4.0f}",
                    flush=True,
                )
    print()
    over = Counter((r.trip.area, r.lang) for r in rows if r.pages > 1)
    total = Counter((r.trip.area, r.lang) for r in rows)
    for (name, lang), n in sorted(total.items()):
        levels = Counter(r.fit for r in rows if (r.trip.area, r.lang) == (name, lang))
        at = ", ".join(f"{levels[k]} at {k}" for k in sorted(levels))
        print(f"{name:21} {lang}: {over[name, lang]} of {n} sheets over one page; fit: {at}")
    spilled = sum(over.values())
    most = max((r.pages for r in rows), default=0)
    seconds = sorted(r.seconds for r in rows)
    median = seconds[len(seconds) // 2] if seconds else float("nan")
    print(f"all: {spilled} of {len(rows)} sheets over one page (most pages {most})")
    ones = [r.free_mm for r in rows if r.pages == 1]
    if ones:
        print(
            f"one-page sheets: least room left {min(ones):.0f} mm, median {np.median(ones):.0f} mm"
        )
    print(f"plan + typeset: median {median:.1f} s per sheet")


if __name__ == "__main__":
    main()
