"""Charts of a gap analysis as PNG images (matplotlib, no global state): reach, detours, gains.

Every text on a chart comes from the ``labels`` mapping the caller passes (translated by
``web.planners_texts.report_labels``), so the charts speak the report's language. Texts are drawn as
written, never as matplotlib mathtext (``web.static_map.plain_text``).
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from web.static_map import plain_text

#: Colours of the profile and of the walking reference (distinct also in greyscale).
PROFILE_COLOUR = "#0b57d0"
WALKING_COLOUR = "#9aa0a6"


def _wrap(text: str, width: int = 60) -> str:
    """Break a long title or axis label over lines (translations run longer), as plain text."""
    return plain_text(textwrap.fill(text, width))


def _png(fig: Figure) -> bytes:
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def _category_names(categories: list[str], labels: Mapping[str, str]) -> list[str]:
    return [plain_text(labels.get(f"category.{c}", c)) for c in categories]


def reach_chart(summary: pd.DataFrame, labels: Mapping[str, str], *, dpi: int = 110) -> bytes:
    """Share of residents reaching each category, with the profile and walking.

    Parameters
    ----------
    summary
        ``GapReport.summary``.
    labels
        Texts: ``reach.title``, ``reach.axis``, ``profile``, ``walking``, ``category.<c>``.
    dpi
        Resolution.

    Returns
    -------
    bytes
        PNG image.
    """
    cats = summary["category"].tolist()
    y = np.arange(len(cats))
    fig = Figure(figsize=(7.5, 0.55 * len(cats) + 1.4), dpi=dpi)
    ax = fig.subplots()
    acc = summary["weight_reach_share"].fillna(0).to_numpy() * 100
    walk = summary["walk_weight_reach_share"].fillna(0).to_numpy() * 100
    ax.barh(y - 0.2, acc, height=0.4, color=PROFILE_COLOUR, label=plain_text(labels["profile"]))
    walking = plain_text(labels["walking"])
    ax.barh(y + 0.2, walk, height=0.4, color=WALKING_COLOUR, hatch="//", label=walking)
    for yy, value in zip(y - 0.2, acc, strict=True):
        ax.annotate(
            f"{value:.0f} %",
            (value, yy),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(y, _category_names(cats, labels))
    ax.invert_yaxis()
    ax.set_xlim(0, 110)
    ax.set_xlabel(_wrap(labels["reach.axis"], 55))
    fig.suptitle(_wrap(labels["reach.title"], 70), fontsize=11)
    ax.legend(loc="lower right", fontsize=8)
    return _png(fig)


def detour_chart(
    origins: pd.DataFrame, categories: list[str], labels: Mapping[str, str], *, dpi: int = 110
) -> bytes:
    """Detour factors per category (accessible route length / walking route length).

    Parameters
    ----------
    origins
        ``GapReport.origins``.
    categories
        The categories.
    labels
        Texts: ``detour.title``, ``detour.axis``, ``no_data``, ``category.<c>``.
    dpi
        Resolution.

    Returns
    -------
    bytes
        PNG image.
    """
    data = [origins[f"{c}_detour"].dropna().to_numpy() for c in categories]
    fig = Figure(figsize=(7.5, 0.55 * len(categories) + 1.4), dpi=dpi)
    ax = fig.subplots()
    if not any(len(d) for d in data):
        no_data = plain_text(labels["no_data"])
        ax.text(0.5, 0.5, no_data, ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
    else:
        names = _category_names(categories, labels)
        ax.boxplot(
            [d if len(d) else np.array([np.nan]) for d in data],
            orientation="horizontal",
            tick_labels=names,
            whis=(5, 95),
            showfliers=False,
            patch_artist=True,
            boxprops={"facecolor": "#d2e3fc", "edgecolor": PROFILE_COLOUR},
            medianprops={"color": "#12284c", "linewidth": 2},
        )
        ax.invert_yaxis()
        ax.axvline(1.0, color="#595959", linewidth=0.8, linestyle="--")
        ax.set_xlabel(_wrap(labels["detour.axis"], 55))
    fig.suptitle(_wrap(labels["detour.title"], 70), fontsize=11)
    return _png(fig)


def gain_chart(barriers: pd.DataFrame, labels: Mapping[str, str], *, dpi: int = 110) -> bytes:
    """Gain of the re-routed barriers, in resident-hours, best first.

    Parameters
    ----------
    barriers
        ``GapReport.barriers``.
    labels
        Texts: ``gain.title``, ``gain.axis``, ``no_data``.
    dpi
        Resolution.

    Returns
    -------
    bytes
        PNG image.
    """
    ranked = barriers[barriers["whatif"]].sort_values("rank")
    fig = Figure(figsize=(7.5, 0.3 * max(len(ranked), 3) + 1.4), dpi=dpi)
    ax = fig.subplots()
    if ranked.empty:
        no_data = plain_text(labels["no_data"])
        ax.text(0.5, 0.5, no_data, ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
    else:
        y = np.arange(len(ranked))
        hours = ranked["gain_s"].to_numpy(dtype=float) / 3600
        bars = ax.barh(y, hours, color=PROFILE_COLOUR)
        ax.bar_label(bars, fmt="%.1f", padding=3, fontsize=8)
        ax.set_xlim(0, max(float(hours.max()), 1e-9) * 1.15)
        ax.set_yticks(y, [f"{int(r)}" for r in ranked["rank"]])
        ax.invert_yaxis()
        ax.set_xlabel(_wrap(labels["gain.axis"], 55))
    fig.suptitle(_wrap(labels["gain.title"], 70), fontsize=11)
    return _png(fig)
