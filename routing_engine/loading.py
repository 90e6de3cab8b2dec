"""Find the built areas and load them for routing: everything for a server, or what one needs.

A server loads every area with the weights of every preset profile, then ``looser_weights``
(the weights a "no route" answer tries), before its workers fork, so that they share them.
A one-off request (the command line) loads its one area and weighs profiles as it uses them.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from accessroute import settings
from accessroute._errors import AccessRouteError
from routing_engine.area import AreaGraph, Weights
from routing_engine.noroute import looser_profiles
from routing_engine.profile import Profile

log = logging.getLogger(__name__)


def area_folders(build_dir: Path | None = None) -> list[Path]:
    """The folders of built areas, sorted by name (hidden folders left out).

    Parameters
    ----------
    build_dir
        Folder of built areas; default ``accessroute.settings.build_dir``.

    Returns
    -------
    list of pathlib.Path
        One folder per area; none if ``build_dir`` does not exist.
    """
    root = Path(build_dir or settings.build_dir)
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def load_areas(
    build_dir: Path | None = None,
    *,
    names: Sequence[str] | None = None,
    profiles: Collection[str] | None = None,
) -> tuple[dict[str, AreaGraph], dict[str, str]]:
    """Load the built areas under ``build_dir`` (a bad one is logged and skipped).

    Parameters
    ----------
    build_dir
        Folder of built areas; default ``accessroute.settings.build_dir``.
    names
        Load only these areas (default: all).
    profiles
        Preset profiles to weigh at load (``AreaGraph.from_artifact``); default all, with
        every index ready, as a server needs.

    Returns
    -------
    tuple of dict
        The areas by name, and the areas skipped with why.
    """
    areas: dict[str, AreaGraph] = {}
    errors: dict[str, str] = {}
    for folder in area_folders(build_dir):
        if names is not None and folder.name not in names:
            continue
        try:
            areas[folder.name] = AreaGraph.load(folder, profiles=profiles)
        except AccessRouteError as exc:
            errors[folder.name] = str(exc)
            log.warning("area %s skipped: %s", folder.name, exc)
        except Exception as exc:  # a broken build must not stop the others
            errors[folder.name] = f"{type(exc).__name__}: {exc}"
            log.warning("area %s skipped: %s", folder.name, exc)
    return areas, errors


def looser_weights(areas: Mapping[str, AreaGraph]) -> dict[str, dict[Profile, Weights]]:
    """Weights of each looser threshold of every preset an area holds, per area.

    A "no route" answer searches again with each looser threshold of the profile
    (``routing_engine.noroute.looser_profiles``); a server computes these weights before its
    workers fork, so that they share them instead of each computing them on its first such
    answers.

    Parameters
    ----------
    areas
        Loaded areas by name.

    Returns
    -------
    dict
        Area name -> looser profile -> its weights.
    """
    return {
        name: {
            looser: area.compute_weights(looser)
            for weights in area.presets.values()
            for looser in looser_profiles(weights.profile)
        }
        for name, area in areas.items()
    }
