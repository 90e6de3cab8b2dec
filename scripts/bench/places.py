"""Place search figures: places per area, build time and artifact size, start-up load, latency.

For each shipped area it prints:

- the places the build holds, by kind (``places.parquet`` of the build folder);
- the seconds ``graph_builder.places.read_places`` takes on the area's OSM extract (the time
  the build spends on them; best of ``--runs``), beside the build's whole ``build_seconds``;
- the size of ``places.parquet``;
- the seconds ``web.places.load_index`` takes to load that area's table (what the service
  spends at start instead of reading the OSM extract).

Then the search: ``--queries`` queries drawn (fixed seed) from the areas' own places: whole
names, their first four letters, names with one letter dropped (a misspelling), addresses
(street and number, in the ``д. N`` and ``N стр. M`` forms too) and category words in Russian
and English, each searched in its area with ``near`` set to a random point of the area; p50
and p95 of ``PlaceIndex.search`` (milliseconds), and the share whose wanted place (for the
name and address queries) comes first. Last, p50/p95 of ``PlaceIndex.reverse`` on random
points of each area.

Run: ``.venv/bin/python scripts/bench/places.py [--queries 300] [--runs 3] [--seed 17]``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Stats

from accessroute import settings
from accessroute.areas import get_area, list_areas
from graph_builder.artifact import PLACES_FILE, read_meta, read_places
from graph_builder.places import read_places as read_osm_places
from web.places import CATEGORY_WORDS, load_index

_CATEGORY_QUERIES = ("аптека", "кафе", "туалет", "метро", "dentist", "pharmacy", "cafe", "toilets")


def _queries(
    tables: dict[str, object], count: int, rng: random.Random
) -> list[tuple[str, str, str | None]]:
    """(area, query, the osm id or address wanted first or None) drawn from the places."""
    drawn: list[tuple[str, str, str | None]] = []
    areas = sorted(tables)
    while len(drawn) < count:
        area = rng.choice(areas)
        table = tables[area]
        row = table.iloc[rng.randrange(len(table))]  # type: ignore[attr-defined]
        form = rng.randrange(5)
        if row["kind"] == "address":
            number = row["housenumber"]
            query = rng.choice(
                [f"{row['street']} {number}", f"{row['street']}, д. {number}"]
            ).replace(" с", " стр. ")
            drawn.append((area, query, f"{row['street']}, {number}"))
        elif form == 4:
            drawn.append((area, rng.choice(_CATEGORY_QUERIES), None))
        elif row["name"]:
            name = str(row["name"])
            if form == 1 and len(name) >= 4:
                drawn.append((area, name[:4], None))
            elif form == 2 and len(name) >= 6:
                cut = rng.randrange(1, len(name) - 1)
                drawn.append((area, name[:cut] + name[cut + 1 :], None))
            else:
                drawn.append((area, name, name))
    return drawn


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    build = settings.build_dir
    names = [area.name for area in list_areas() if (build / area.name / PLACES_FILE).is_file()]
    tables = {}
    print("area                  places  by kind")
    for name in names:
        read_meta(build / name)
        tables[name] = read_places(build / name)
        kinds = tables[name]["kind"].value_counts().to_dict()
        print(f"{name:22} {len(tables[name]):6}  {kinds}")
    print("\narea                  extract s  build s  parquet KiB  load s")
    for name in names:
        area = get_area(name)
        extract = []
        for _ in range(args.runs):
            start = time.perf_counter()
            read_osm_places(area.source, title=area.title, language=area.language)
            extract.append(time.perf_counter() - start)
        load = []
        for _ in range(args.runs):
            start = time.perf_counter()
            load_index(build, [name])
            load.append(time.perf_counter() - start)
        size = (build / name / PLACES_FILE).stat().st_size / 1024
        whole = read_meta(build / name).get("build_seconds", float("nan"))
        print(f"{name:22} {min(extract):9.2f}  {whole:7.1f}  {size:11.0f}  {min(load):6.2f}")
    start = time.perf_counter()
    index = load_index(build, names)
    print(
        f"\nevery area's index: {len(index)} places loaded in {time.perf_counter() - start:.2f} s"
    )

    bounds = {
        name: (table["lat"].min(), table["lat"].max(), table["lon"].min(), table["lon"].max())
        for name, table in tables.items()
    }
    queries = _queries(tables, args.queries, rng)
    seconds, first, wanted = [], 0, 0
    for area, query, expected in queries:
        south, north, west, east = bounds[area]
        near = (rng.uniform(south, north), rng.uniform(west, east))
        start = time.perf_counter()
        found = index.search(query, area=area, limit=8, near=near)
        seconds.append(time.perf_counter() - start)
        if expected is not None:
            wanted += 1
            if found and expected in {found[0].names.get("name"), found[0].address("ru")}:
                first += 1
    stats = Stats.of(seconds)
    print(
        f"search: {stats.n} queries, p50/p95 {stats} ms; the place wanted first in "
        f"{first}/{wanted} ({100 * first / max(wanted, 1):.0f} %) name and address queries"
    )
    print(f"  category words known: {len(CATEGORY_WORDS)}")
    reverse = []
    for _ in range(args.queries):
        area = rng.choice(names)
        south, north, west, east = bounds[area]
        lat, lon = rng.uniform(south, north), rng.uniform(west, east)
        start = time.perf_counter()
        index.reverse(lat, lon)
        reverse.append(time.perf_counter() - start)
    print(f"reverse: {len(reverse)} points, p50/p95 {Stats.of(reverse)} ms")


if __name__ == "__main__":
    main()
