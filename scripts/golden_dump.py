"""Dump the product's outputs on the shipped areas into a folder, to compare two revisions.

A refactoring should not change what users get. Run this before and after and compare::

    .venv/bin/python scripts/golden_dump.py /tmp/golden/before
    # ... change the code ...
    .venv/bin/python scripts/golden_dump.py /tmp/golden/after
    diff -r /tmp/golden/before /tmp/golden/after

For each shipped area it writes, for seeded pairs of points and every profile, in Russian and
English: the API's route answer (GeoJSON, re-indented so a diff is readable), the GPX track, the
route text, the route sheet's HTML; and the planners' gap CSV and GeoJSON files of the
wheelchair profile (``accessroute gaps --no-live``). Dates of the day are replaced by ``<today>``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from accessroute.areas import list_areas  # noqa: E402
from routing_engine.profiles import PROFILES  # noqa: E402
from web import create_app  # noqa: E402

#: Pairs of points per area (seeded: the same pairs on every run).
PAIRS = 6
LANGS = ("ru", "en")


def _today_free(text: str) -> str:
    """``text`` with today's date (in the forms the pages print) replaced by ``<today>``."""
    today = dt.date.today()
    for form in (today.isoformat(), today.strftime("%d.%m.%Y")):
        text = text.replace(form, "<today>")
    return re.sub(r"\d{1,2}:\d{2}(:\d{2})? ?(UTC|MSK|CET|GMT)?", "<time>", text)


def _pairs(app_engine: object, area: str, rng: np.random.Generator) -> list[tuple[float, ...]]:
    """Seeded (lat, lon, lat, lon) pairs: graph vertices, nudged by up to ~20 m to test snapping."""
    graph = app_engine.areas[area]  # type: ignore[attr-defined]
    parts = graph.graph.connected_components(mode="weak")
    biggest = np.asarray(parts[int(np.argmax(parts.sizes()))], dtype=np.int64)
    chosen = rng.choice(biggest, size=(PAIRS, 2))
    nudge = rng.uniform(-0.0002, 0.0002, size=(PAIRS, 4))
    out: list[tuple[float, ...]] = []
    for (a, b), d in zip(chosen, nudge, strict=True):
        out.append(
            (
                round(float(graph.lat[a]) + d[0], 6),
                round(float(graph.lon[a]) + d[1], 6),
                round(float(graph.lat[b]) + d[2], 6),
                round(float(graph.lon[b]) + d[3], 6),
            )
        )
    return out


def dump(out: Path, *, gaps: bool = True) -> int:
    """Write every output under ``out``; return how many files were written."""
    data_dir = ROOT / "data"
    instance = Path(tempfile.mkdtemp(prefix="golden-instance-"))
    app = create_app(
        {
            "TESTING": True,
            "TILE_URL": "",
            "DATA_DIR": data_dir,
            "INSTANCE_DIR": instance,
            "DATABASE_URL": f"sqlite:///{instance / 'reports.sqlite3'}",
        }
    )
    client = app.test_client()
    from web.resources import get_resources

    written = 0
    with app.app_context():
        engine = get_resources().engine
    rng = np.random.default_rng(20261203)
    for area in sorted(a.name for a in list_areas(data_dir)):
        folder = out / area
        folder.mkdir(parents=True, exist_ok=True)
        for i, (lat1, lon1, lat2, lon2) in enumerate(_pairs(engine, area, rng)):
            for profile in sorted(PROFILES):
                for lang in LANGS:
                    stem = folder / f"{i}-{profile}-{lang}"
                    body = {
                        "from": {"lat": lat1, "lon": lon1},
                        "to": {"lat": lat2, "lon": lon2},
                        "profile": profile,
                        "area": area,
                        "lang": lang,
                    }
                    answer = client.post("/api/route", json=body)
                    data = answer.get_json()
                    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
                    stem.with_suffix(".json").write_text(f"{answer.status_code}\n{text}\n")
                    written += 1
                    props = (data or {}).get("properties", {})
                    if "text" in props:
                        stem.with_suffix(".txt").write_text(_today_free(str(props["text"])))
                        written += 1
                    if answer.status_code == 200 and props.get("status") == "ok":
                        gpx = client.post("/api/route?format=gpx", json=body)
                        stem.with_suffix(".gpx").write_bytes(gpx.data)
                        written += 1
                    if profile in ("wheelchair_manual", "blind"):
                        sheet = client.get(
                            "/sheet",
                            query_string={
                                "from": f"{lat1},{lon1}",
                                "to": f"{lat2},{lon2}",
                                "profile": profile,
                                "area": area,
                                "lang": lang,
                            },
                        )
                        html = _today_free(sheet.get_data(as_text=True))
                        stem.with_suffix(".sheet.html").write_text(f"{sheet.status_code}\n{html}")
                        written += 1
        if gaps:
            target = folder / "gaps"
            subprocess.run(
                [
                    str(ROOT / ".venv" / "bin" / "accessroute"),
                    "gaps",
                    area,
                    "--no-live",
                    "--lang",
                    "en",
                    "--tiles",
                    "",
                    "-o",
                    str(target),
                ],
                check=True,
                capture_output=True,
            )
            for other in list(target.iterdir()):
                if other.is_dir():
                    shutil.rmtree(other)
                elif other.suffix not in (".csv", ".geojson"):
                    other.unlink()
            written += len(list(target.iterdir()))
    return written


def main() -> None:
    """Command line: the output folder; ``--no-gaps`` skips the planners' CSV files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--no-gaps", action="store_true")
    args = parser.parse_args()
    count = dump(args.out, gaps=not args.no_gaps)
    print(f"{count} files in {args.out}")


if __name__ == "__main__":
    main()
