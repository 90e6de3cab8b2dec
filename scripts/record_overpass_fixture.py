"""Make the recorded Overpass response used by the fetch tests, from the shipped Moscow extract.

The tests never reach the internet: a local HTTP server plays this file back to osmnx. It holds
what Overpass returns for ``way[...](bbox); >; out;``: every way with a node in the box, complete
with all its nodes, in Overpass JSON.

Usage: .venv/bin/python scripts/record_overpass_fixture.py
"""

from __future__ import annotations

import json
from pathlib import Path

import osmium

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "data/areas/moscow-kitay-gorod/moscow-kitay-gorod.osm.pbf"
OUT = REPO / "tests/graph_builder/fixtures/overpass-kitay.json"
BBOX = (37.6350, 55.7600, 37.6380, 55.7620)  # west, south, east, north: by Китайгородский проезд


def main() -> None:
    west, south, east, north = BBOX
    nodes = {}
    inside = set()
    for node in osmium.FileProcessor(str(SOURCE), osmium.osm.NODE):
        lon, lat = node.location.lon, node.location.lat
        nodes[node.id] = {"type": "node", "id": node.id, "lat": lat, "lon": lon}
        if node.tags:
            nodes[node.id]["tags"] = dict(node.tags)
        if west <= lon <= east and south <= lat <= north:
            inside.add(node.id)
    ways = []
    used: set[int] = set()
    for way in osmium.FileProcessor(str(SOURCE), osmium.osm.WAY):
        refs = [n.ref for n in way.nodes]
        tags = dict(way.tags)
        if ("highway" in tags or tags.get("barrier") == "kerb") and inside.intersection(refs):
            ways.append({"type": "way", "id": way.id, "nodes": refs, "tags": tags})
            used.update(refs)
    response = {
        "version": 0.6,
        "generator": "accessroute test fixture from the shipped Moscow extract (OSM 2020-07)",
        "osm3s": {"copyright": "© OpenStreetMap contributors, ODbL 1.0"},
        "bbox": list(BBOX),
        "elements": [nodes[i] for i in sorted(used)] + ways,
    }
    OUT.write_text(json.dumps(response, ensure_ascii=False, separators=(",", ":")), "utf-8")
    print(f"{OUT}: {len(used)} nodes, {len(ways)} ways")


if __name__ == "__main__":
    main()
