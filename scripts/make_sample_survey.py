"""Make the synthetic sample surveys of the shipped areas from their OSM data, with a fixed seed.

The samples are NOT measurements: they place made-up values on real OSM features (kerbs at
crossings, steps, elevators, walkways, dead ends) to show the survey formats, the matching and
the survey report on every shipped area. Each area gets two files, listed in its area.toml:

- ``sample-survey.csv``: our schema (docs/survey-format.md), with a header comment saying it is
  synthetic; includes two records far from the network (unmatched) and one kerb surveyed twice
  (the older record becomes a conflict);
- ``sample-sidewalk.geojson``: labels in Project Sidewalk's v2 access-attribute format.

Positions are jittered by at most 1.5 m, and only features with no other candidate of their
kind within 6 m are chosen, so every record but the deliberately far ones snaps where it was
made. Kerbs are chosen among crossing ends whose kerb, if any, is tagged on the node.

Usage: .venv/bin/python scripts/make_sample_survey.py [AREA ...] [--seed 3]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
from typing import Any

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from accessroute.areas import Area, list_areas
from graph_builder.assemble import accessibility_tables
from graph_builder.osm_reader import read_osm

CSV_NAME = "sample-survey.csv"
GEOJSON_NAME = "sample-sidewalk.geojson"
FIELDS = [
    "id",
    "kind",
    "lon",
    "lat",
    "kerb_height_cm",
    "ramp_slope_pct",
    "ramp_length_m",
    "width_m",
    "handrail",
    "step_count",
    "elevator_status",
    "surface",
    "severity",
    "surveyed_at",
    "source",
]
SOURCE = "synthetic sample (scripts/make_sample_survey.py)"
JITTER_M = 1.5
CLEARANCE_M = 6.0
WALKWAYS = ("sidewalk", "footway", "path", "pedestrian")


class _Maker:
    """Chooses features and writes records for one area."""

    def __init__(self, area: Area, seed: int) -> None:
        self.area = area
        self.rng = np.random.default_rng(seed)
        graph, _ = read_osm(area.source)
        self.nodes, self.edges = accessibility_tables(graph)
        lat0 = float(self.nodes["y"].mean())
        self.mx = 111_320.0 * math.cos(math.radians(lat0))  # metres per degree of longitude
        self.my = 110_540.0  # metres per degree of latitude
        self.xy = np.column_stack([self.nodes["x"] * self.mx, self.nodes["y"] * self.my])
        forward = self.edges[~self.edges["reversed"].to_numpy(dtype=bool)]
        self.segments = forward
        u, v = forward["u"].to_numpy(), forward["v"].to_numpy()
        self.mid = (self.xy[u] + self.xy[v]) / 2

    def date(self) -> str:
        start = pd.Timestamp("2023-03-01")
        return str((start + pd.Timedelta(days=int(self.rng.integers(0, 900)))).date())

    def lonlat(self, x: float, y: float) -> tuple[float, float]:
        angle = self.rng.uniform(0, 2 * math.pi)
        dist = self.rng.uniform(0, JITTER_M)
        return (
            round((x + dist * math.cos(angle)) / self.mx, 7),
            round((y + dist * math.sin(angle)) / self.my, 7),
        )

    def isolated(self, points: np.ndarray, among: np.ndarray) -> np.ndarray:
        """Which points have no other point of ``among`` within the clearance."""
        if len(among) < 2:
            return np.ones(len(points), dtype=bool)
        dist, _ = cKDTree(among).query(points, k=2)
        return np.asarray(dist[:, 1] >= CLEARANCE_M)

    def pick(self, candidates: np.ndarray, count: int) -> list[int]:
        """Up to ``count`` of the candidate positions (sorted first, so the choice is stable)."""
        candidates = np.sort(candidates)
        if len(candidates) == 0:
            return []
        chosen = self.rng.choice(candidates, size=min(count, len(candidates)), replace=False)
        return [int(c) for c in chosen]

    def kerb_nodes(self) -> np.ndarray:
        crossing = self.edges[self.edges["kind"] == "crossing"]
        ends = np.union1d(crossing["u"], crossing["v"])
        candidates = np.union1d(ends, np.flatnonzero(self.nodes["kerb"].notna()))
        usable = ends[(self.nodes.loc[ends, "kerb_source"] != "kerb_line").fillna(True).to_numpy()]
        keep = self.isolated(self.xy[usable], self.xy[candidates])
        return np.asarray(usable[keep])

    def segment_rows(self, kinds: tuple[str, ...], clear_of: tuple[str, ...]) -> np.ndarray:
        own = np.flatnonzero(self.segments["kind"].isin(kinds).to_numpy())
        others = np.flatnonzero(self.segments["kind"].isin(clear_of).to_numpy())
        keep = self.isolated(self.mid[own], self.mid[others])
        long_enough = self.segments["length_m"].to_numpy()[own] >= 4.0
        return np.asarray(own[keep & long_enough])

    def row(self, kind: str, x: float, y: float, **values: Any) -> dict[str, Any]:
        lon, lat = self.lonlat(x, y)
        record = dict.fromkeys(FIELDS, "")
        record.update(kind=kind, lon=lon, lat=lat, surveyed_at=self.date(), source=SOURCE)
        record.update({k: v for k, v in values.items() if v is not None})
        return record

    def own_records(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        kerbs = self.pick(self.kerb_nodes(), 14)
        for vertex in kerbs[:12]:
            kerb = self.nodes.at[vertex, "kerb"]
            kerb = None if pd.isna(kerb) else str(kerb)
            if kerb == "raised":
                height = self.rng.uniform(9, 16)
            elif kerb in {"lowered", "flush"}:
                height = self.rng.choice([0.0, 1.0, 2.0, 2.5, 3.0, 4.0, 6.0])
            else:
                height = self.rng.choice([0.0, 2.0, 3.0, 5.0, 8.0, 12.0, 15.0])
            x, y = self.xy[vertex]
            rows.append(self.row("kerb", x, y, kerb_height_cm=round(float(height), 1)))
        if len(kerbs) > 12:  # one kerb surveyed twice: the newer record wins
            x, y = self.xy[kerbs[12]]
            old = self.row("kerb", x, y, kerb_height_cm=2.0)
            new = self.row("kerb", x, y, kerb_height_cm=7.0)
            old["surveyed_at"], new["surveyed_at"] = "2023-04-12", "2025-06-03"
            rows += [old, new]
        elevator_nodes = np.flatnonzero(self.nodes["elevator"].to_numpy(dtype=bool))
        for n, vertex in enumerate(self.pick(elevator_nodes, 6)):
            status = ("in_service", "out_of_service", "in_service", "unknown")[n % 4]
            x, y = self.xy[vertex]
            rows.append(self.row("elevator", x, y, elevator_status=status))
        steps = self.segments.iloc[self.segment_rows(("steps",), ("steps",))]
        for _, way in (
            steps.drop_duplicates("way_id")
            .sample(n=min(6, steps["way_id"].nunique()), random_state=self.rng)
            .iterrows()
        ):
            x, y = self.mid[self.segments.index.get_loc(way.name)]
            count = way["step_count"]
            if math.isnan(count) or self.rng.random() < 0.3:
                count = float(self.rng.integers(3, 25))
            handrail = str(self.rng.choice(["yes", "no"]))
            if not pd.isna(way["handrail"]) and self.rng.random() < 0.7:
                handrail = "yes" if way["handrail"] else "no"
            rows.append(
                self.row(
                    "steps",
                    x,
                    y,
                    step_count=int(count),
                    handrail=handrail,
                    width_m=round(float(self.rng.uniform(1.2, 3.0)), 2),
                )
            )
        walk = self.segment_rows(WALKWAYS, (*WALKWAYS, "crossing", "road", "steps"))
        chosen = self.pick(walk, 14)
        for n, position in enumerate(chosen):
            x, y = self.mid[position]
            if n < 4:
                rows.append(
                    self.row(
                        "ramp",
                        x,
                        y,
                        ramp_slope_pct=round(float(self.rng.uniform(3, 11)), 1),
                        ramp_length_m=round(float(self.rng.uniform(2, 12)), 1),
                        width_m=round(float(self.rng.uniform(0.9, 2.0)), 2),
                    )
                )
            elif n < 9:
                surface = str(self.rng.choice(["asphalt", "paving_stones", "concrete", "sett"]))
                mapped = self.segments["surface"].iloc[position]
                if not pd.isna(mapped) and self.rng.random() < 0.6:
                    surface = str(mapped)  # mostly confirms OSM; sometimes contradicts it
                rows.append(self.row("surface", x, y, surface=surface))
            else:
                rows.append(
                    self.row(
                        "obstacle",
                        x,
                        y,
                        width_m=round(float(self.rng.uniform(0.5, 1.4)), 2),
                        severity=int(self.rng.integers(1, 6)),
                    )
                )
        rows += self.entrances()
        rows += self.far_away()
        for n, record in enumerate(rows, start=1):
            record["id"] = f"{self.area.name[:3]}-{n:03d}"
        return rows

    def entrances(self) -> list[dict[str, Any]]:
        """Dead ends of footways (degree 1, no kerb): where a path meets a door."""
        footway = self.edges[self.edges["kind"].isin(("footway", "path")).to_numpy()]
        degree = np.bincount(self.edges["u"], minlength=len(self.nodes))
        ends = np.unique(footway["u"].to_numpy()[degree[footway["u"].to_numpy()] == 1])
        ends = ends[self.nodes.loc[ends, "kerb"].isna().to_numpy()]
        ends = ends[self.isolated(self.xy[ends], self.xy)]
        rows = []
        for vertex in self.pick(ends, 3):
            x, y = self.xy[vertex]
            height = round(float(self.rng.choice([0.0, 2.0, 4.0, 12.0])), 1)
            width = round(float(self.rng.uniform(0.8, 1.4)), 2)
            rows.append(self.row("entrance", x, y, kerb_height_cm=height, width_m=width))
        return rows

    def far_away(self) -> list[dict[str, Any]]:
        """Two records at least 25 m from every node and segment middle (unmatched)."""
        tree = cKDTree(np.vstack([self.xy, self.mid]))
        low, high = self.xy.min(axis=0), self.xy.max(axis=0)
        rows: list[dict[str, Any]] = []
        for _ in range(2000):
            x, y = self.rng.uniform(low, high)
            if tree.query([x, y])[0] >= 25.0:
                kind = ("kerb", "surface")[len(rows)]
                values = {"kerb_height_cm": 6.0} if kind == "kerb" else {"surface": "gravel"}
                rows.append(self.row(kind, x, y, **values))
                if len(rows) == 2:
                    break
        return rows

    def sidewalk_features(self) -> list[dict[str, Any]]:
        """Project Sidewalk labels (v2 access attributes) on kerbs and sidewalks."""
        features = []
        title = self.area.title.get("en", self.area.name)

        def feature(label_type: str, x: float, y: float, severity: int, way: int) -> None:
            lon, lat = self.lonlat(x, y)
            day = self.date()
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": {
                        "attribute_id": int(self.rng.integers(10_000, 99_999)),
                        "label_type": label_type,
                        "street_edge_id": int(self.rng.integers(1000, 9999)),
                        "osm_street_id": way,
                        "neighborhood": title,
                        "avg_image_capture_date": f"{day} 00:00:00.0",
                        "avg_label_date": f"{day} 12:00:00.0",
                        "severity": severity,
                        "is_temporary": False,
                        "agree_count": int(self.rng.integers(0, 4)),
                        "disagree_count": 0,
                        "notsure_count": 0,
                        "cluster_size": 1,
                        "users": ["synthetic"],
                    },
                }
            )

        kerbs = self.pick(self.kerb_nodes(), 12)
        for n, vertex in enumerate(kerbs):
            x, y = self.xy[vertex]
            way = int(self.edges.loc[self.edges["v"] == vertex, "way_id"].iloc[0])
            if n < 8:
                feature("CurbRamp", x, y, int(self.rng.choice([1, 1, 2, 2, 3, 4, 5])), way)
            else:
                feature("NoCurbRamp", x, y, int(self.rng.integers(2, 6)), way)
        walk = self.segment_rows(("sidewalk", "footway"), (*WALKWAYS, "crossing", "road", "steps"))
        for n, position in enumerate(self.pick(walk, 8)):
            x, y = self.mid[position]
            way = int(self.segments["way_id"].iloc[position])
            label = "Obstacle" if n < 4 else "SurfaceProblem"
            feature(label, x, y, int(self.rng.integers(1, 6)), way)
        return features


def write_area(area: Area, seed: int) -> None:
    """Write the two sample files of one area."""
    maker = _Maker(area, seed)
    rows = maker.own_records()
    out = area.folder / CSV_NAME
    with out.open("w", encoding="utf-8", newline="") as handle:
        handle.write(
            f"# SYNTHETIC SAMPLE SURVEY of {area.name}: made-up values, NOT measurements.\n"
            f"# Made by scripts/make_sample_survey.py (seed {seed}) on real OpenStreetMap\n"
            "# features to show the survey format (docs/survey-format.md) and report.\n"
            "# Positions from OpenStreetMap data, © OpenStreetMap contributors, ODbL 1.0.\n"
        )
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    features = maker.sidewalk_features()
    doc = {
        "type": "FeatureCollection",
        "name": f"SYNTHETIC sample of Project Sidewalk labels for {area.name}",
        "description": (
            "Made-up labels, NOT real Project Sidewalk data: scripts/make_sample_survey.py "
            f"(seed {seed}) placed them on OpenStreetMap features (© OpenStreetMap "
            "contributors, ODbL 1.0) in Project Sidewalk's v2 access-attribute format."
        ),
        "features": features,
    }
    geojson = area.folder / GEOJSON_NAME
    geojson.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{area.name}: {len(rows)} records, {len(features)} Project Sidewalk labels")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("areas", nargs="*", help="area names (default: all)")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    for area in list_areas():
        if not args.areas or area.name in args.areas:
            write_area(area, args.seed)


if __name__ == "__main__":
    main()
