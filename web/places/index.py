"""The place index: search by name, address or category, and reverse lookup of a point."""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
import shapely.ops
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from scipy.spatial import cKDTree

from graph_builder.place_categories import KINDS
from web.places.categories import CATEGORY_WORDS
from web.places.place import EARTH_M, Place, distance_m
from web.places.words import core, house_number, parse_query, transliterate, words_of

#: Reverse lookup: the nearest address this close (metres), else the nearest street this close.
REVERSE_ADDRESS_M, REVERSE_STREET_M = 60.0, 150.0


def _metres(lat: np.ndarray, lon: np.ndarray, lat0: float) -> np.ndarray:
    x = np.radians(lon) * math.cos(math.radians(lat0)) * EARTH_M
    return np.column_stack([x, np.radians(lat) * EARTH_M])


@dataclass
class _Vocabulary:
    """Words of the indexed names, each with the keys (entry, key number) holding it."""

    holders: dict[str, set[int]] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)
    prefixes: dict[int, list[str]] = field(default_factory=dict)

    def add(self, word: str, entry: int) -> None:
        self.holders.setdefault(word, set()).add(entry)

    def freeze(self) -> None:
        self.words = sorted(self.holders)
        for n in range(4, 13):
            self.prefixes[n] = [w[:n] for w in self.words]

    def costs(self, word: str, *, last: bool) -> dict[str, int]:
        """Vocabulary words a query word meets, with a cost: 0 same, 1 start, 3+ misspelt."""
        found: dict[str, int] = {}
        if word in self.holders:
            found[word] = 0
        if last or len(word) >= 3:
            lo = bisect.bisect_left(self.words, word)
            hi = bisect.bisect_left(self.words, word + "\U0010ffff")
            for other in self.words[lo:hi]:
                found.setdefault(other, 1)
        if len(word) >= 4:
            k = 1 if len(word) < 7 else 2
            for other, d, _ in process.extract(
                word, self.words, scorer=Levenshtein.distance, score_cutoff=k, limit=None
            ):
                found[other] = min(found.get(other, 9), 2 + int(d))
            prefixes = self.prefixes.get(len(word))
            if last and prefixes is not None:
                for _, d, i in process.extract(
                    word, prefixes, scorer=Levenshtein.distance, score_cutoff=1, limit=None
                ):
                    other = self.words[i]
                    found[other] = min(found.get(other, 9), 3 + int(d))
        return found


@dataclass
class _Keys:
    """Word tuples an entry is found by, with a penalty each (name 0, name + street 1)."""

    direct: list[tuple[tuple[str, ...], int]]
    loose: list[tuple[tuple[str, ...], int]]


@dataclass
class _AreaLookup:
    """Per area: address points and street lines in metres, for reverse lookup."""

    lat0: float
    addresses: list[int]
    address_tree: Any
    streets: list[int]
    street_lines: Any
    street_tree: Any


class PlaceIndex:
    """Places of every area, searchable by name, address or category, and by position.

    Parameters
    ----------
    places
        The places.
    lines
        Per street place (its position in ``places``), its ways (WGS84), for reverse lookup.
    """

    def __init__(self, places: Iterable[Place], lines: Mapping[int, Any] | None = None) -> None:
        self.places: list[Place] = list(places)
        self._lines = dict(lines or {})
        self._keys: list[_Keys] = []
        self._direct, self._loose = _Vocabulary(), _Vocabulary()
        street_names: dict[tuple[str, str], Place] = {}
        for place in self.places:
            if place.kind == "street":
                street_names.setdefault(
                    (place.area, " ".join(words_of(place.names["name"]))), place
                )
        for i, place in enumerate(self.places):
            texts = [v for k, v in place.names.items() if v and k != "other_names"]
            texts += [p for p in place.names.get("other_names", "").split(";") if p]
            if place.kind == "address":
                street = street_names.get((place.area, " ".join(words_of(place.street))))
                texts = [place.street]
                if street is not None:
                    texts += [v for k, v in street.names.items() if v and k != "other_names"]
            direct = [(_core_of(t), 0) for t in dict.fromkeys(texts)]
            if place.street and place.kind != "address":
                direct += [(key + _core_of(place.street), 1) for key, _ in direct[:1]]
            loose = [(_loose_of(k), p) for k, p in direct]
            keys = _Keys([k for k in direct if k[0]], [k for k in loose if k[0]])
            self._keys.append(keys)
            for key, _ in keys.direct:
                for word in key:
                    self._direct.add(word, i)
            for key, _ in keys.loose:
                for word in key:
                    self._loose.add(word, i)
        self._direct.freeze()
        self._loose.freeze()
        self._lat = np.array([p.lat for p in self.places], dtype=float)
        self._lon = np.array([p.lon for p in self.places], dtype=float)
        self._numbers = [house_number(p.housenumber) for p in self.places]
        self._lookups = self._reverse_lookups()
        self._category_words = {" ".join(words_of(w)): cats for w, cats in CATEGORY_WORDS.items()}

    def __len__(self) -> int:
        return len(self.places)

    # Search -------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        area: str | None = None,
        limit: int = 10,
        near: tuple[float, float] | None = None,
    ) -> list[Place]:
        """Find places by name, address or category, best first.

        Parameters
        ----------
        query
            A name or part of one, an address, or a category word; any case, Cyrillic or Latin.
        area
            Only places of this area (default: every area).
        limit
            At most this many results.
        near
            (lat, lon) of the map view's centre: among equal matches the nearest first.

        Returns
        -------
        list of Place
            One per place: the addresses asked first, then places by match quality (every word
            the same, the name no longer; a word's start; a letter or two wrong; across
            scripts), then distance to ``near``, then kind.
        """
        words, number = parse_query(query)
        if not words:
            return []
        categories = self._categories(words)
        if categories and not number:
            named = {  # a place called just that (``Bank`` station) before the category
                i: (-1.0, 0.0)
                for i in self._match(core(words), area, addresses=False)
                if not _as_asked(self.places[i], words)[0]
            }
            listed = self._of_categories(categories, area=area, limit=limit, near=near)
            first = self._best(named, limit=limit, near=near)
            return [*first, *(p for p in listed if p not in first)][:limit]
        for split in (1, len(words) - 1) if len(words) > 1 else ():
            for kind_words, rest in (
                (words[:split], words[split:]),
                (words[split:], words[:split]),
            ):
                categories = self._categories(kind_words)
                if categories and not number:  # ``аптека маросейка``: one of those there
                    within = {
                        i: (cost, 0.0)
                        for i, cost in self._match(core(rest), area, addresses=False).items()
                        if self.places[i].category in categories
                    }
                    if within:
                        return self._best(within, limit=limit, near=near)
        ranked: dict[int, tuple[float, ...]] = {}
        name_words = words
        if number:
            for i, cost in self._match(core(words), area, addresses=True).items():
                found = self._numbers[i]
                if found == number:
                    ranked[i] = (-2.0, cost)
                elif found.startswith(number) and not found[len(number)].isdigit():
                    ranked[i] = (-1.0, cost)
                elif _leading(found) == _leading(number):
                    ranked[i] = (-0.5, cost)  # 20 when 20с1 is not on the map
            words = [*words, *words_of(number)]
        for i, cost in self._match(core(words), area, addresses=False).items():
            ranked.setdefault(i, (cost, 0.0))
        if number and not ranked:  # no such house: the street, the place
            ranked = {
                i: (c, 0.0) for i, c in self._match(core(name_words), area, addresses=False).items()
            }
        return self._best(ranked, limit=limit, near=near, words=words)

    def _categories(self, words: list[str]) -> tuple[str, ...]:
        phrase = " ".join(words)
        if phrase in self._category_words:
            return self._category_words[phrase]
        for key, cats in self._category_words.items():
            if len(phrase) >= 4 and key.startswith(phrase):
                return cats
            if len(phrase) >= 5 and Levenshtein.distance(phrase, key, score_cutoff=1) <= 1:
                return cats
        return ()

    def _of_categories(
        self,
        categories: tuple[str, ...],
        *,
        area: str | None,
        limit: int,
        near: tuple[float, float] | None,
    ) -> list[Place]:
        ranked = {
            i: (0.0, 0.0)
            for i, p in enumerate(self.places)
            if p.category in categories and (area is None or p.area == area)
        }
        return self._best(ranked, limit=limit, near=near, named_first=True)

    def _match(
        self, words: tuple[str, ...], area: str | None, *, addresses: bool
    ) -> dict[int, float]:
        """Entries whose keys every query word meets, with the match's cost (lower better)."""
        found: dict[int, float] = {}
        loose_words = tuple(transliterate(" ".join(words)).split())
        for vocabulary, query, loose in (
            (self._direct, words, False),
            (self._loose, loose_words, True),
        ):
            if not query:
                continue
            costs = [vocabulary.costs(w, last=n == len(query) - 1) for n, w in enumerate(query)]
            candidates: set[int] | None = None
            for per_word in costs:
                holders: set[int] = set()
                for word in per_word:
                    holders |= vocabulary.holders[word]
                candidates = holders if candidates is None else candidates & holders
                if not candidates:
                    break
            for i in candidates or ():
                place = self.places[i]
                if (place.kind == "address") != addresses or (area and place.area != area):
                    continue
                keys = self._keys[i].loose if loose else self._keys[i].direct
                best = min((_key_cost(key, costs) + penalty for key, penalty in keys), default=None)
                if best is None or not math.isfinite(best):
                    continue
                best += 0.5 if loose else 0.0
                if best < found.get(i, math.inf):
                    found[i] = best
        return found

    def _best(
        self,
        ranked: Mapping[int, tuple[float, ...]],
        *,
        limit: int,
        near: tuple[float, float] | None,
        named_first: bool = False,
        words: list[str] | None = None,
    ) -> list[Place]:
        """Sort matches by rank, whole name as asked, distance, kind, name; one per place."""
        if not ranked:
            return []
        index = np.fromiter(ranked, dtype=np.int64, count=len(ranked))
        if near is not None:
            lat0 = math.radians(near[0])
            dx = np.radians(self._lon[index] - near[1]) * math.cos(lat0)
            dy = np.radians(self._lat[index] - near[0])
            far = np.hypot(dx, dy) * EARTH_M
        else:
            far = np.zeros(len(index))
        rows = []
        for n, i in enumerate(index.tolist()):
            place = self.places[i]
            name = place.names.get("name", "")
            unnamed = named_first and not any(c.isalpha() for c in name)
            whole, shared = _as_asked(place, words)
            key = (*ranked[i], unnamed, whole, shared, far[n], KINDS.index(place.kind), len(name))
            rows.append((key, i))
        rows.sort()
        results: list[Place] = []
        seen: list[Place] = []
        for _, i in rows:
            place = self.places[i]
            if any(_same(place, other) for other in seen):
                continue
            seen.append(place)
            results.append(place)
            if len(results) >= limit:
                break
        return results

    # Reverse lookup -----------------------------------------------------------------------

    def _reverse_lookups(self) -> dict[str, _AreaLookup]:
        lookups = {}
        for area in dict.fromkeys(p.area for p in self.places):
            members = [i for i, p in enumerate(self.places) if p.area == area]
            lat0 = float(np.mean(self._lat[members]))
            addresses = [i for i in members if self.places[i].kind == "address"]
            streets = [i for i in members if i in self._lines]
            scale = math.cos(math.radians(lat0)) * EARTH_M * math.pi / 180
            y_scale = EARTH_M * math.pi / 180
            lines = [
                shapely.transform(self._lines[i], lambda c, s=scale, y=y_scale: c * [s, y])
                for i in streets
            ]
            xy = _metres(self._lat[addresses], self._lon[addresses], lat0)
            lookups[area] = _AreaLookup(
                lat0=lat0,
                addresses=addresses,
                address_tree=cKDTree(xy) if addresses else None,
                streets=streets,
                street_lines=lines,
                street_tree=shapely.STRtree(lines) if lines else None,
            )
        return lookups

    def reverse(self, lat: float, lon: float) -> tuple[Place, float, float, float] | None:
        """The nearest address within ``REVERSE_ADDRESS_M``, else the nearest street.

        Parameters
        ----------
        lat, lon
            A point (a click on the map).

        Returns
        -------
        tuple or None
            The place, the point found on it (lat, lon: the address, or the street's point
            nearest the click) and the distance in metres; None when nothing is that close.
        """
        best: tuple[Place, float, float, float] | None = None
        for look in self._lookups.values():
            point = _metres(np.array([lat]), np.array([lon]), look.lat0)[0]
            if look.address_tree is not None:
                d, k = look.address_tree.query(point, distance_upper_bound=REVERSE_ADDRESS_M)
                if math.isfinite(d) and (best is None or d < best[3]):
                    place = self.places[look.addresses[int(k)]]
                    best = (place, place.lat, place.lon, float(d))
        if best is not None:
            return best
        for look in self._lookups.values():
            if look.street_tree is None:
                continue
            point = _metres(np.array([lat]), np.array([lon]), look.lat0)[0]
            click = shapely.Point(point)
            hits, dist = look.street_tree.query_nearest(
                click, max_distance=REVERSE_STREET_M, return_distance=True
            )
            if not len(hits):
                continue
            j, d = int(hits[0]), float(dist[0])
            if best is None or d < best[3]:
                on = shapely.ops.nearest_points(look.street_lines[j], click)[0]
                scale = math.cos(math.radians(look.lat0)) * EARTH_M * math.pi / 180
                y_scale = EARTH_M * math.pi / 180
                best = (self.places[look.streets[j]], on.y / y_scale, on.x / scale, d)
        return best


def _key_cost(key: tuple[str, ...], costs: list[dict[str, int]]) -> float:
    """Cost of a key: each query word's best word of it, plus a little per word left over."""
    total = 0.0
    used: set[str] = set()
    for per_word in costs:
        best = min((per_word[w] for w in key if w in per_word), default=None)
        if best is None:
            return math.inf
        total += best
        used.update(w for w in key if per_word.get(w) == best)
    left = len([w for w in key if w not in used])
    return total + (0.25 if left else 0.0) + 0.01 * left


@functools.lru_cache(maxsize=1 << 16)
def _core_of(text: str) -> tuple[str, ...]:
    """:func:`core` of a name's words (many addresses share their street's)."""
    return core(words_of(text))


@functools.lru_cache(maxsize=1 << 16)
def _loose_of(key: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(transliterate(" ".join(key)).split())


def _as_asked(place: Place, words: list[str] | None) -> tuple[bool, int]:
    """Whether no name is the query word for word, and minus the query words a name holds."""
    if not words:
        return False, 0
    names = [words_of(v) for k, v in place.names.items() if v and k != "other_names"]
    if place.kind == "address":
        names = [words_of(place.street) + words_of(place.housenumber)]
    whole = any(n == words for n in names)
    shared = max((sum(w in n for w in words) for n in names), default=0)
    return not whole, -shared


def _leading(number: str) -> str:
    """The number a house number starts with (``20`` of ``20с1``)."""
    match = re.match(r"\d+", number)
    return match.group(0) if match else number


def _same(a: Place, b: Place) -> bool:
    """Two results that would read the same and lie within 60 m: show one."""
    if a.kind != b.kind or a.display_name("ru") != b.display_name("ru"):
        return False
    return distance_m((a.lat, a.lon), (b.lat, b.lon)) < 60.0
