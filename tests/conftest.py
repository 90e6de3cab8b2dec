"""Shared fixtures: paths to the shipped data and the built areas (built once if missing)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from accessroute import settings
from accessroute.areas import get_area
from graph_builder.artifact import Artifact, read_artifact
from graph_builder.build import build_area, is_up_to_date
from tests.data import ARTIFACTS_DIR, DATA_DIR

_CACHE: dict[str, Artifact] = {}


@pytest.fixture(scope="session")
def built() -> Callable[[str], Artifact]:
    """Return a loader of built areas from ``settings.build_dir`` (building any stale one)."""

    def load(name: str) -> Artifact:
        if name not in _CACHE:
            area = get_area(name, DATA_DIR)
            if not is_up_to_date(area, settings.build_dir):
                build_area(area, build_dir=settings.build_dir, progress=lambda _: None)
            _CACHE[name] = read_artifact(settings.build_dir / name)
        return _CACHE[name]

    return load


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Folder for files tests keep for people to look at (screenshots, PDFs)."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR
