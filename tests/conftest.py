"""Shared fixtures: paths to the shipped data and the built areas (read-only for tests)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from accessroute import settings
from accessroute.areas import list_areas
from graph_builder.artifact import Artifact, read_artifact
from graph_builder.build import build_area, is_up_to_date
from tests.data import ARTIFACTS_DIR, DATA_DIR

_CACHE: dict[str, Artifact] = {}


def pytest_configure(config: pytest.Config) -> None:
    """Point the tests at current builds without writing into the shared ``data/build``.

    ``make test`` builds the shipped areas first, so the tests read ``data/build`` as it is.
    When a build there is missing or stale (a test run without ``make``, a changed builder), the
    stale areas are built into a temporary folder of this process, the current ones linked in,
    and ``settings.build_dir`` (and ``ACCESSROUTE_BUILD_DIR``, for the command lines tests run)
    point there. Under pytest-xdist each worker does this, the controller does not.
    """
    if getattr(config.option, "numprocesses", None) and "PYTEST_XDIST_WORKER" not in os.environ:
        return
    areas = list_areas(DATA_DIR)
    stale = [area for area in areas if not is_up_to_date(area, settings.build_dir)]
    if not stale:
        return
    folder = Path(tempfile.mkdtemp(prefix="accessroute-test-build-"))
    for area in areas:
        if area in stale:
            build_area(area, build_dir=folder, progress=lambda _: None)
        else:
            (folder / area.name).symlink_to(settings.build_dir / area.name)
    settings.build_dir = folder
    os.environ["ACCESSROUTE_BUILD_DIR"] = str(folder)
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the browser tests (``test_browser*.py``: real Chromium) ``slow`` as well.

    ``make test`` runs every test; ``pytest -m "not slow"`` is the quick loop while editing.
    """
    for item in items:
        if item.path.name.startswith("test_browser"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def built() -> Callable[[str], Artifact]:
    """Return a loader of built areas from ``settings.build_dir`` (current: `pytest_configure`)."""

    def load(name: str) -> Artifact:
        if name not in _CACHE:
            _CACHE[name] = read_artifact(settings.build_dir / name)
        return _CACHE[name]

    return load


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Folder for files tests keep for people to look at (screenshots, PDFs)."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR
