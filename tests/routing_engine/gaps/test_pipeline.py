"""``gap_report`` on Moscow: the report of its steps called by hand; points read from a build."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import shapely

from accessroute import settings
from accessroute._errors import InputDataError
from graph_builder.artifact import Artifact, read_pois
from routing_engine.area import AreaGraph
from routing_engine.gaps import (
    analyse_gaps,
    area_origins,
    closed_edges,
    gap_report,
    poi_destinations,
    read_destinations,
)
from routing_engine.overlays import Overlay
from routing_engine.profiles import PROFILES
from tests.data import MOSCOW

WHEELCHAIR = PROFILES["wheelchair_manual"]


@pytest.fixture(scope="module")
def moscow(built: Callable[[str], Artifact]) -> AreaGraph:
    return AreaGraph.from_artifact(built(MOSCOW), name=MOSCOW)


def test_gap_report_is_the_pipeline_by_hand(moscow: AreaGraph, tmp_path: Path) -> None:
    places = tmp_path / "places.csv"
    places.write_text(
        "category,lat,lon,name\nlibrary,55.7605,37.6380,Library\npharmacy,55.757,37.632,Extra\n",
        encoding="utf-8",
    )
    extra, problems = read_destinations(places)
    assert problems == []
    west, south, east, north = moscow.bbox
    cx, cy = (west + east) / 2, (south + north) / 2
    box = shapely.box(cx - 0.003, cy - 0.002, cx + 0.003, cy + 0.002).wkt
    overlays = [Overlay("closure_area", box, MOSCOW, note="roadworks")]
    report = gap_report(
        moscow,
        WHEELCHAIR,
        categories=["pharmacy", "stop"],
        destinations=extra,
        origins="grid",
        grid_spacing=150.0,
        top=3,
        overlays=overlays,
    )
    pois = read_pois(settings.build_dir / MOSCOW)
    destinations = pd.concat(
        [poi_destinations(pois, ["pharmacy", "stop"]), extra], ignore_index=True
    )
    closed = closed_edges(moscow, overlays)
    assert closed
    by_hand = analyse_gaps(
        moscow,
        WHEELCHAIR,
        area_origins(moscow, pois, source="grid", spacing_m=150.0),
        destinations,
        categories=["pharmacy", "stop", "library"],
        top=3,
        closed=closed,
    )
    assert report.categories == ["pharmacy", "stop", "library"]  # the file's new one last
    assert (report.origins["kind"] == "grid").all()
    assert report.barriers["whatif"].sum() == 3
    for name in ("origins", "destinations", "summary", "barriers", "islands"):
        pd.testing.assert_frame_equal(getattr(report, name), getattr(by_hand, name), obj=name)
    assert report.totals == by_hand.totals
    assert report.notes == by_hand.notes
    summary = report.summary.set_index("category")
    pharmacies = int((pois["category"] == "pharmacy").sum())
    assert summary.loc["pharmacy", "destinations"] == pharmacies + 1
    assert summary.loc["library", "destinations"] == 1


def test_gap_report_reads_the_points_of_interest_of_its_build_dir(
    moscow: AreaGraph, tmp_path: Path
) -> None:
    folder = tmp_path / MOSCOW
    shutil.copytree(settings.build_dir / MOSCOW, folder)
    pois = read_pois(settings.build_dir / MOSCOW)
    pharmacies = pois.index[pois["category"] == "pharmacy"]
    assert len(pharmacies) > 2
    pois.drop(pharmacies[2:]).to_parquet(folder / "pois.parquet")
    report = gap_report(moscow, WHEELCHAIR, categories=["pharmacy"], top=0, build_dir=tmp_path)
    assert report.summary["destinations"].tolist() == [2]
    assert report.totals["origins"] == len(area_origins(moscow, pois))
    with pytest.raises(InputDataError, match="categories: unknown category 'casinos'"):
        gap_report(moscow, WHEELCHAIR, categories=["casinos"], build_dir=tmp_path)
    with pytest.raises(InputDataError, match="origins"):
        gap_report(moscow, WHEELCHAIR, categories=["pharmacy"], origins="bus stops")
