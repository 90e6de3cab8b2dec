"""Texts of a gap report in a language: numbers, rules, barriers, places, islands and notes."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from babel.numbers import format_decimal, format_percent

from routing_engine.gaps import GapReport, rule_limits
from routing_engine.profile import Profile
from web.places import PlaceIndex


def format_number(value: float, lang: str, digits: int = 0) -> str:
    """A number in a language (``1 234``, ``1,234``; ``digits`` decimals), ``—`` if none."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return str(format_decimal(value, format=pattern, locale=lang))


def format_share(value: float, lang: str) -> str:
    """A share as a percentage in a language (``12,5 %``), ``—`` if none."""
    if value is None or not math.isfinite(value):
        return "—"
    return str(format_percent(value, format="#,##0.0 %", locale=lang))


def rules_text(rules: str, labels: Mapping[str, str], prefix: str) -> str:
    """Rule names (comma-separated) as texts of ``labels`` under ``prefix``, ``;``-separated."""
    return "; ".join(labels.get(f"{prefix}.{r}", r) for r in str(rules).split(",") if r)


def _limit(value: float, lang: str) -> str:
    """A profile's limit as people write it: ``3``, ``1.5`` (``1,5`` in Russian)."""
    return str(format_decimal(value, format="#,##0.##", locale=lang))


def rule_text(
    rule: str, *, hard: bool, profile: Profile, labels: Mapping[str, str], lang: str
) -> str:
    """What a barrier's rule means for the profile, with the limit it breaks.

    A rule that makes the barrier impassable (``hard``) quotes the profile's hard limit
    ("kerb higher than 3 cm": a kerb of exactly 3 cm passes, as ``costs.impassable_reasons``
    compares with ``>``); a rule that only costs time says so and quotes the height from which
    it costs (``routing_engine.gaps.barriers.rule_limits``).

    Parameters
    ----------
    rule
        A rule name of ``routing_engine.gaps.barriers.FIXABLE_RULES``.
    hard
        Whether the rule makes some edge of the barrier impassable for the profile.
    profile
        The profile of the report.
    labels
        Texts (``web.planners_texts.report_labels``): ``rule.<rule>`` and ``rule.<rule>.soft``.
    lang
        Language of the numbers.

    Returns
    -------
    str
        The text (plain text, not HTML).
    """
    key = f"rule.{rule}"
    if not hard and f"{key}.soft" in labels:
        key = f"{key}.soft"
    template = labels.get(key, rule)
    if "%(v)" not in template:
        return template
    limits = rule_limits(profile)
    value = limits["kerb_soft" if key == "rule.kerb.soft" else rule]
    return template % {"v": _limit(value, lang)}


def barrier_what(
    row: Mapping[str, Any], profile: Profile, labels: Mapping[str, str], lang: str
) -> str:
    """All rules of one barrier (a row of ``GapReport.barriers``) as text, ``;``-separated.

    Parameters
    ----------
    row
        The barrier: ``rules`` and ``hard_rules`` (comma-separated rule names).
    profile
        The profile of the report.
    labels
        Texts (``web.planners_texts.report_labels``).
    lang
        Language.

    Returns
    -------
    str
        Plain text.
    """
    hard = set(str(row.get("hard_rules") or "").split(","))
    return "; ".join(
        rule_text(r, hard=r in hard, profile=profile, labels=labels, lang=lang)
        for r in str(row["rules"]).split(",")
        if r
    )


def place_text(
    places: PlaceIndex | None, lat: float, lon: float, *, lang: str, labels: Mapping[str, str]
) -> str:
    """Where a point is, for people: the nearest address, else "near <street>", else "".

    Parameters
    ----------
    places
        The place index of the areas (``web.places``; its reverse lookup: an address within
        ``REVERSE_ADDRESS_M``, else a street within ``REVERSE_STREET_M``); None for none.
    lat, lon
        The point.
    lang
        Language of the street names.
    labels
        Texts (``place.near``).

    Returns
    -------
    str
        Plain text, ``""`` when nothing is that close.
    """
    found = places.reverse(lat, lon) if places is not None else None
    if found is None:
        return ""
    place = found[0]
    if place.kind == "address":
        return place.address(lang) or place.display_name(lang)
    return labels["place.near"] % {"street": place.display_name(lang)}


def grid_origins(report: GapReport) -> bool:
    """Whether the report's origins are grid cells (no homes mapped), not homes.

    Parameters
    ----------
    report
        The analysis.

    Returns
    -------
    bool
        True when there are origins and every one is a grid cell.
    """
    return bool(len(report.origins)) and bool((report.origins["kind"] == "grid").all())


def chart_texts(report: GapReport, *, labels: Mapping[str, str], lang: str) -> dict[str, str]:
    """The texts of a report's charts: ``labels`` plus the profile's name and the reach axis.

    The reach chart's axis speaks of grid cells only where the analysis had no homes to start
    from (``grid_origins``), else of residents.

    Parameters
    ----------
    report
        The analysis.
    labels
        Texts (``web.planners_texts.report_labels``).
    lang
        Language.

    Returns
    -------
    dict
        ``labels`` with ``profile`` and ``reach.axis`` set.
    """
    grid = grid_origins(report)
    return {
        **labels,
        "profile": report.profile.title.get(lang) or report.profile.name,
        "reach.axis": labels["reach.axis.grid" if grid else "reach.axis.homes"],
    }


def islands_text(
    totals: Mapping[str, float], *, grid: bool, labels: Mapping[str, str], lang: str
) -> str:
    """The island counts (``routing_engine.gaps.island_totals``) as one sentence.

    The page, the PDF and the command line all say this, so they give the same numbers
    with the same meaning: islands cut off by barriers, then those apart in the walking
    network too (when there are any).

    Parameters
    ----------
    totals
        ``GapReport.totals``.
    grid
        Whether weights are grid cells (``grid_origins``) rather than residents.
    labels
        Texts: ``islands.cut``, ``islands.apart``, ``unit.homes``, ``unit.grid``.
    lang
        Language of the numbers.

    Returns
    -------
    str
        E.g. "3 cut off by barriers (residents: 491); 3 more apart in the walking network
        too (residents: 12)".
    """
    unit = labels["unit.grid" if grid else "unit.homes"]
    parts = [
        labels["islands.cut"]
        % {
            "n": format_number(totals.get("islands", 0.0), lang),
            "unit": unit,
            "w": format_number(totals.get("island_weight", 0.0), lang),
        }
    ]
    if totals.get("islands_apart", 0.0):
        parts.append(
            labels["islands.apart"]
            % {
                "n": format_number(totals["islands_apart"], lang),
                "unit": unit,
                "w": format_number(totals.get("islands_apart_weight", 0.0), lang),
            }
        )
    return "; ".join(parts)


def note_text(code: str, labels: Mapping[str, str]) -> str:
    """A note of the analysis (``code[:values]``) as a sentence of ``labels``."""
    name, _, rest = code.partition(":")
    parts = rest.split(":") if rest else []
    template = labels.get(f"note.{name}", code)
    values: dict[str, Any] = {}
    if name in {"no_destinations", "destinations_not_placed"} and parts:
        values["category"] = labels.get(f"category.{parts[0]}", parts[0])
        values["n"] = parts[1] if len(parts) > 1 else ""
    elif parts:
        values["n"] = parts[0]
    try:
        return template % values if values else template
    except (KeyError, ValueError, TypeError):
        return template


def barrier_details(row: pd.Series, labels: Mapping[str, str], lang: str) -> str:
    """A barrier's measures that its rules are about (kerb, steps, incline, width, length)."""
    out = []
    if np.isfinite(row.get("kerb_height_cm", np.nan)):
        out.append(labels["detail.kerb"] % {"v": _limit(row["kerb_height_cm"], lang)})
    if np.isfinite(row.get("step_count", np.nan)):
        out.append(labels["detail.steps"] % {"v": format_number(row["step_count"], lang)})
    if "incline" in str(row["rules"]) and np.isfinite(row.get("incline_pct", np.nan)):
        out.append(labels["detail.incline"] % {"v": _limit(round(row["incline_pct"], 1), lang)})
    if "width" in str(row["rules"]) and np.isfinite(row.get("width_m", np.nan)):
        out.append(labels["detail.width"] % {"v": format_number(row["width_m"], lang, 2)})
    if row["kind"] == "way" and row.get("length_m", 0) > 0:
        out.append(labels["detail.length"] % {"v": format_number(row["length_m"], lang)})
    return ", ".join(out)
