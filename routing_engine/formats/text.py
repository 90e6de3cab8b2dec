"""A route answer as plain text: the readable route sheet, or why there is no route."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from routing_engine.barrier_groups import group_barriers
from routing_engine.texts import duration_text, length_text, text

if TYPE_CHECKING:
    from routing_engine.result import RouteResult


def route_text(result: RouteResult) -> str:
    """Return a readable route sheet in the answer's language.

    Parameters
    ----------
    result
        The answer.

    Returns
    -------
    str
        Lines of text: title, then the route (summary, walking comparison, steps, barriers)
        or why there is none, warnings, how the ends were snapped, the data credit.
    """
    lang = result.lang
    title = result.profile.title.get(lang, result.profile.name)
    lines = [text(lang, "text.title", profile=title)]
    if result.status != "ok":
        lines += _no_route_lines(result.no_route or {}, title, lang)
    else:
        lines += _route_lines(result)
    if result.warnings:
        lines.append("")
        lines.append(text(lang, "text.warnings"))
        lines.extend(f"- {w}" for w in result.warnings)
    if result.snap is not None:
        lines.append("")
        a, b = result.snap.origin.moved_m, result.snap.destination.moved_m
        lines.append(text(lang, "text.snap", a=f"{a:.0f}", b=f"{b:.0f}"))
    lines.append(text(lang, "text.credit"))
    return "\n".join(lines) + "\n"


def _no_route_lines(info: dict[str, Any], title: str, lang: str) -> list[str]:
    """Why there is no route: summary, blocking barriers, nearest point, looser settings."""
    lines = [text(lang, "no_route", profile=title)]
    if info.get("summary"):
        lines.append(info["summary"])
    blocking = info.get("blocking_barriers") or []
    if blocking:
        what = "; ".join(
            b.text + (f" ({length_text(b.distance_m, lang)})" if b.distance_m else "")
            for b in blocking
        )
        lines.append(text(lang, "no_route.blocking", what=what))
    near = info.get("nearest_reachable")
    if near:
        lines.append(
            text(
                lang,
                "no_route.nearest",
                lat=f"{near['lat']:.6f}",
                lon=f"{near['lon']:.6f}",
                m=f"{near['distance_to_destination_m']:.0f}",
            )
        )
    looser = [x for x in info.get("looser", []) if x.get("connects")]
    if looser:
        lines.append(text(lang, "no_route.looser"))
        lines.extend(
            f"- {x['text']} ({length_text(x['length_m'], lang)})"
            if x.get("length_m") is not None
            else f"- {x['text']}"
            for x in looser
        )
    return lines


def _route_lines(result: RouteResult) -> list[str]:
    """The route: summary, the walking route beside it, the steps, the barriers passed."""
    lang = result.lang
    length, duration = length_text(result.length_m, lang), duration_text(result.duration_s, lang)
    lines = [text(lang, "text.summary", length=length, duration=duration)]
    walking, detour = result.walking, result.detour_m
    if walking is not None and detour is not None:
        # The walking route minimises time on foot (crossing waits included), so it may be
        # the longer one.
        key = (
            "text.walking"
            if detour >= 0.5
            else "text.walking_shorter"
            if detour <= -0.5
            else "text.walking_same"
        )
        lines.append(
            text(
                lang,
                key,
                length=length_text(walking.length_m, lang),
                detour=length_text(abs(detour), lang),
            )
        )
        if walking.barriers:
            what = "; ".join(b.text for b in walking.barriers[:5])
            lines.append(text(lang, "text.walking_barriers", what=what))
    lines.append("")
    lines.append(text(lang, "text.steps"))
    lines.extend(f"{n}. {s.text}" for n, s in enumerate(result.steps, 1))
    if result.barriers:
        lines.append("")
        lines.append(text(lang, "text.barriers"))
        lines.extend(f"- {line}" for line in group_barriers(result.barriers, lang))
    return lines
