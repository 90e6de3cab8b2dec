"""Gap reports on the real areas: end to end, and a repair in the data gains what was predicted."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner
from markupsafe import escape

from accessroute import settings
from accessroute.cli import main
from graph_builder.artifact import Artifact, read_pois
from graph_builder.pois import DESTINATION_CATEGORIES
from routing_engine.area import AreaGraph
from routing_engine.gaps import GapReport, analyse_gaps, area_origins, poi_destinations, total_cost
from routing_engine.gaps.search import Access, NearestCosts, usable_vertices
from routing_engine.profiles import PROFILES
from tests.data import BERLIN, LONDON, MOSCOW
from web.gaps_texts import islands_text
from web.planners_texts import report_labels
from web.render.texts import translations

WHEELCHAIR = PROFILES["wheelchair_manual"]
CATEGORIES = list(DESTINATION_CATEGORIES)


@pytest.fixture(scope="module")
def loaded(built: Callable[[str], Artifact]) -> Callable[[str], AreaGraph]:
    cache: dict[str, AreaGraph] = {}

    def load(name: str) -> AreaGraph:
        if name not in cache:
            cache[name] = AreaGraph.from_artifact(built(name), name=name)
        return cache[name]

    return load


def _analyse(area: AreaGraph, *, top: int = 20) -> GapReport:
    from accessroute import settings

    pois = read_pois(settings.build_dir / area.name)
    origins = area_origins(area, pois)
    destinations = poi_destinations(pois, CATEGORIES)
    return analyse_gaps(area, WHEELCHAIR, origins, destinations, categories=CATEGORIES, top=top)


@pytest.mark.parametrize(
    ("name", "homes", "lang", "heading"),
    [
        (MOSCOW, 88, "ru", "Барьеры и разрывы доступности: Москва, Китай-город"),
        (BERLIN, 1286, "en", "Barrier gaps: Berlin, Wittenau"),
    ],
)
def test_report_runs_end_to_end(
    name: str,
    homes: int,
    lang: str,
    heading: str,
    loaded: Callable[[str], AreaGraph],
    tmp_path: Path,
) -> None:
    loaded(name)  # builds the area if stale
    result = CliRunner().invoke(
        main,
        [
            *("gaps", name, "--profile", "wheelchair", "--top", "8", "-o", str(tmp_path)),
            *("--lang", lang, "--tiles", ""),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "best repair:" in result.output
    for file in (
        "barriers.csv",
        "barriers.geojson",
        "origins.csv",
        "origins.geojson",
        "categories.csv",
        "islands.geojson",
        "summary.json",
        "map.html",
        "report.html",
        "report.pdf",
        "leaflet/leaflet.js",
    ):
        assert (tmp_path / file).is_file(), file
    origins = pd.read_csv(tmp_path / "origins.csv")
    assert len(origins) == homes
    assert (origins["kind"] == "home").all()
    categories = pd.read_csv(tmp_path / "categories.csv")
    assert categories["category"].tolist() == CATEGORIES
    for column in ("reach_share", "walk_reach_share", "weight_reach_share"):
        assert categories[column].between(0.9, 1.0).all(), column  # sane: most homes reach
    assert (categories["walk_reach_share"] >= categories["reach_share"]).all()
    assert categories["median_detour"].between(1.0, 2.0).all()
    assert (categories["median_cost_s"] > categories["median_walk_cost_s"]).all()  # 0.8 m/s
    barriers = pd.read_csv(tmp_path / "barriers.csv")
    ranked = barriers[barriers["whatif"]]
    assert ranked["rank"].tolist() == list(range(1, 9))
    assert (ranked["gain_s"].diff().dropna() <= 0).all()
    assert (ranked["gain_s"] >= 0).all()
    assert ranked["gain_s"].iloc[0] > 0
    assert barriers["key"].str.match(r"^(node|way)/\d+$").all()
    geo = gpd.read_file(tmp_path / "barriers.geojson")
    assert len(geo) == len(barriers)
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"]["origins"] == homes
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert heading in html
    # One island count everywhere: islands.geojson, summary.json, the command line, the report.
    islands = gpd.read_file(tmp_path / "islands.geojson")
    cut = islands["cut_by_barriers"].astype(bool) if len(islands) else pd.Series([], dtype=bool)
    assert summary["totals"]["islands"] == int(cut.sum())
    assert summary["totals"]["islands_apart"] == int((~cut).sum())
    english = islands_text(summary["totals"], grid=False, labels=report_labels(str), lang="en")
    assert f"; islands: {english}; " in result.output
    labels = report_labels(translations(lang).gettext)
    said = islands_text(summary["totals"], grid=False, labels=labels, lang=lang)
    assert f'<dd class="islands-total">{escape(said)}</dd>' in html
    # The ranked barriers are named by address or street in the report.
    wheres = re.findall(r'<td class="where">([^<]*)<br>', html)
    assert len(wheres) == 8
    assert sum(w not in {"", "—"} for w in wheres) >= 6
    assert "<iframe" in html
    assert 'src="map.html"' in html
    assert "data:image/png;base64," in html  # the charts
    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', page)
    styles = re.findall(r'<link[^>]+href="([^"]+)"', page)
    assert scripts == ["leaflet/leaflet.js"]  # our vendored Leaflet, no CDN
    assert styles == ["leaflet/leaflet.css"]


def _fix_in_data(edges: gpd.GeoDataFrame, key: str, rules: str) -> gpd.GeoDataFrame:
    """The repair a survey would record, written into the edge table by hand."""
    out = edges.copy()
    _kind, ident = key.split("/")
    if rules == "steps":  # a ramp beside the steps: ramp:wheelchair=yes on the way
        rows = (out["way_id"] == int(ident)) & out["steps"]
        out.loc[rows, ["ramp_wheelchair", "ramp_stroller"]] = True
    elif rules in {"kerb", "kerb_unknown"}:  # a kerb ramp at the node
        assert settings.gap_fix_kerb_cm == 1.5  # the height the report assumes
        rows = (out["v_osm"] == int(ident)) & out["kerb"].notna()
        out.loc[rows, "kerb"] = "lowered"
        out.loc[rows, "kerb_height_cm"] = 1.5
        out.loc[rows, "kerb_height_source"] = "survey"
    else:
        pytest.fail(f"no data fix written for {rules}")
    assert rows.any(), key
    return out


@pytest.mark.parametrize(("name", "rules"), [(MOSCOW, "steps"), (BERLIN, "kerb")])
def test_a_repair_in_the_data_gains_what_the_report_predicted(
    name: str, rules: str, loaded: Callable[[str], AreaGraph], built: Callable[[str], Artifact]
) -> None:
    area = loaded(name)
    before = _analyse(area)
    ranked = before.barriers[before.barriers["whatif"]]
    chosen = ranked[ranked["rules"] == rules].iloc[0]  # the best-ranked of its kind
    if name == MOSCOW:
        assert chosen["rank"] == 1  # Moscow's top-ranked barrier is a flight of steps
    artifact = built(name)
    fixed_edges = _fix_in_data(artifact.edges, chosen["key"], rules)
    repaired = AreaGraph.from_artifact(replace(artifact, edges=fixed_edges), name=name)
    after = _analyse(repaired, top=0)

    cols = [f"{c}_cost_s" for c in before.categories]
    old = before.origins[cols].to_numpy(dtype=float)
    new = after.origins[cols].to_numpy(dtype=float)
    weight = before.origins["weight"].to_numpy(dtype=float)
    was = np.isfinite(old)
    assert np.isfinite(new[was]).all()  # nobody loses a destination
    saved = float(((old - np.where(was, new, 0.0)) * weight[:, None])[was].sum())
    assert saved > 0
    assert saved == pytest.approx(chosen["cost_reduction_s"], rel=1e-9, abs=1e-6)
    newly = float(((np.isfinite(new) & ~was) * weight[:, None]).sum())
    assert newly == pytest.approx(chosen["newly_connected_pair_weight"])
    old_total = total_cost(np.where(was, old, np.inf), weight)
    assert old_total == pytest.approx(before.totals["total_cost_s"])
    gained_pairs = float(np.nansum(np.where(np.isfinite(new) & ~was, new, 0.0) * weight[:, None]))
    assert after.totals["total_cost_s"] == pytest.approx(
        before.totals["total_cost_s"] - chosen["cost_reduction_s"] + gained_pairs, rel=1e-9
    )
    assert not (after.barriers["key"] == chosen["key"]).any() or rules == "kerb_unknown"


def test_many_to_many_equals_searches_one_by_one(loaded: Callable[[str], AreaGraph]) -> None:
    area = loaded(MOSCOW)
    total = area.presets["wheelchair_manual"].costs.total_s
    usable = usable_vertices(area, total)
    rng = np.random.default_rng(7)
    targets = rng.choice(np.flatnonzero(usable), 12, replace=False)
    legs = rng.uniform(0, 30, len(targets))
    access = Access(len(targets), np.arange(len(targets)), targets, legs)
    found = NearestCosts(area.graph, {"x": access}).costs(total, usable, 0.8)[:, 0]
    starts = rng.choice(len(area.lon), 25, replace=False)
    one_by_one = np.asarray(
        area.graph.distances(starts.tolist(), targets.tolist(), weights=total.tolist())
    )
    expected = (one_by_one + legs / 0.8).min(axis=1)
    assert np.allclose(found[starts], expected)
    assert np.isfinite(found[starts]).any()


@pytest.mark.slow
def test_london_has_no_homes_and_uses_the_grid(loaded: Callable[[str], AreaGraph]) -> None:
    from accessroute import settings

    area = loaded(LONDON)
    pois = read_pois(settings.build_dir / LONDON)
    origins = area_origins(area, pois)
    assert (origins["kind"] == "grid").all()
    assert len(origins) > 1000  # 100 m cells along the Northern line
    cats = ["stop", "shop", "bench", "healthcare"]
    report = analyse_gaps(
        area, WHEELCHAIR, origins, poi_destinations(pois, cats), categories=cats, top=3
    )
    assert report.notes[:2] == ["no_destinations:healthcare", "grid_origins"]
    assert report.categories == ["stop", "shop", "bench"]
    stops = report.summary.set_index("category").loc["stop"]
    assert 0.9 < stops["reach_share"] <= stops["walk_reach_share"] <= 1.0
    assert stops["weight_reach_share"] == pytest.approx(stops["reach_share"])  # one per cell
    assert report.barriers["whatif"].sum() == 3
    assert report.timings["many_to_many"] < report.timings["total"]


def test_cli_names_bad_input(loaded: Callable[[str], AreaGraph], tmp_path: Path) -> None:
    loaded(MOSCOW)
    runner = CliRunner()
    unknown = runner.invoke(main, ["gaps", MOSCOW, "--categories", "casinos", "-o", str(tmp_path)])
    assert unknown.exit_code == 2
    assert "categories: unknown category 'casinos'" in unknown.output
    nowhere = runner.invoke(main, ["gaps", "atlantis", "-o", str(tmp_path)])
    assert nowhere.exit_code == 2
    assert "atlantis" in nowhere.output
    places = tmp_path / "places.csv"
    places.write_text(
        "category,lat,lon,name\nlibrary,55.7605,37.6380,Library\nlibrary,55.76,east,Broken\n",
        encoding="utf-8",
    )
    out = tmp_path / "report"
    result = runner.invoke(
        main,
        [
            *("gaps", MOSCOW, "--categories", "pharmacy", "--destinations", str(places)),
            *("--top", "2", "--lang", "en", "--tiles", "", "-o", str(out)),
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"skipped: {places} line 3: lon: 'east' is not a number" in result.output
    categories = pd.read_csv(out / "categories.csv")
    assert categories["category"].tolist() == ["pharmacy", "library"]
    assert categories["destinations"].tolist() == [10, 1]


def test_cli_applies_the_live_overlays_of_the_database(
    loaded: Callable[[str], AreaGraph], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accessroute.store.database import open_engine, session_factory, upgrade
    from accessroute.store.reports import add_overlay

    graph = loaded(MOSCOW)
    url = f"sqlite:///{tmp_path / 'reports.sqlite3'}"
    monkeypatch.setattr(settings, "database_url", url)
    west, south, east, north = graph.bbox
    cx, cy = (west + east) / 2, (south + north) / 2
    box = shapely.box(cx - 0.003, cy - 0.002, cx + 0.003, cy + 0.002).wkt
    engine = open_engine(url)
    upgrade(engine)
    with session_factory(engine)() as session:
        add_overlay(
            session, actor="test", area=MOSCOW, kind="closure_area", target=box, note="roadworks"
        )
    totals = {}
    for flag in ("--live", "--no-live"):
        out = tmp_path / flag
        result = CliRunner().invoke(
            main,
            [
                *("gaps", MOSCOW, "--categories", "pharmacy", "--top", "0", flag),
                *("--lang", "en", "--tiles", "", "-o", str(out)),
            ],
        )
        assert result.exit_code == 0, result.output
        assert ("live overlay applied: closure_area" in result.output) == (flag == "--live")
        totals[flag] = json.loads((out / "summary.json").read_text())["totals"]
    # the closed box changes the costs (its homes join the network elsewhere, others detour)
    assert totals["--live"]["total_cost_s"] != totals["--no-live"]["total_cost_s"]
    assert totals["--live"]["placed"] == totals["--no-live"]["placed"]
