"""The route's barrier list for reading: repeats of one barrier as one line, with steps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from routing_engine.records import Barrier
from routing_engine.texts import plural, text


def barrier_groups(barriers: Sequence[Barrier], lang: str) -> list[dict[str, Any]]:
    """The route's barrier list for reading: repeats of one barrier as one group, with steps.

    Barriers of one text are one group, counted (Russian plurals through Babel where the table
    has them, "×n" otherwise) and listed with the steps they belong to, in the order first met.

    Parameters
    ----------
    barriers
        Barriers (``passed_barriers``: with their ``step``).
    lang
        ``"ru"`` or ``"en"``.

    Returns
    -------
    list of dict
        ``text`` (the line to show: "9 бордюров неизвестной высоты: шаги 3, 5, 8"), ``type``
        (of the first barrier), ``count``, ``steps`` (sorted, each once), ``label`` (the text
        of each barrier of the group).
    """
    groups: dict[str, dict[str, Any]] = {}
    for entry in barriers:
        group = groups.setdefault(
            entry.text, {"type": entry.type, "count": 0, "steps": set(), "label": entry.text}
        )
        group["count"] += 1
        step = getattr(entry, "step", None)
        if step is not None:
            group["steps"].add(int(step))
        if entry.type == "kerb" and entry.value is None:
            group["unknown_kerb"] = True
    out = []
    for label, group in groups.items():
        count = group["count"]
        if count == 1:
            what = label.strip()  # "лифт " of an elevator without an id
        elif group.get("unknown_kerb"):
            what = plural(lang, "group.kerb_unknown", count)
        else:
            what = text(lang, "group.times", what=label.strip(), n=count)
        numbers = sorted(group["steps"])
        if numbers:
            key = "group.step" if len(numbers) == 1 else "group.steps"
            what = text(lang, key, what=what, steps=", ".join(map(str, numbers)))
        out.append(
            {"text": what, "type": group["type"], "count": count, "steps": numbers, "label": label}
        )
    return out


def group_barriers(barriers: Sequence[Barrier], lang: str) -> list[str]:
    """The lines of ``barrier_groups``.

    ``["9 бордюров неизвестной высоты: шаги 3, 5, 8, ...", "лестница: шаг 4"]``.

    Parameters
    ----------
    barriers
        Barriers (``passed_barriers``: with their ``step``).
    lang
        ``"ru"`` or ``"en"``.

    Returns
    -------
    list of str
        One line per kind of barrier.
    """
    return [group["text"] for group in barrier_groups(barriers, lang)]
