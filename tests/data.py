"""Paths and names of the shipped test data, importable by any test module."""

from __future__ import annotations

from pathlib import Path

from accessroute.areas import get_area

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "data"
AREAS_DIR = DATA_DIR / "areas"
ARTIFACTS_DIR = REPO / "test-artifacts"

MOSCOW = "moscow-kitay-gorod"
BERLIN = "berlin-wittenau"
LONDON = "london-northern-line"


def area_source(name: str) -> Path:
    """Path of the shipped OSM extract of an area."""
    return get_area(name, DATA_DIR).source
