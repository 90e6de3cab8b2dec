"""Offline place search and reverse lookup over the places each area's build holds.

The builder (``graph_builder.places``) writes one row per address, street, named place and area
name into ``places.parquet``; this module loads those tables once at start (no OSM file is read)
and answers:

- a name, any case, ``ё`` as ``е``, street words (``ул.``, ``пер.``, ``street``, ``st``) ignored
  on both sides: each query word must meet a word of a name exactly, as its start (the last word
  as it is typed), or with one letter wrong (two in words of seven letters or more), matched
  through rapidfuzz's Levenshtein distance over the index's vocabulary; in another script
  (``Maroseyka``) through a loose Latin transliteration (anyascii);
- an address: the name of a street then a house number (``Мясницкая 20``, ``20с1``,
  ``20 стр. 1``, ``20/2``), or a number then a street (``41 Baker Street``): the address itself
  first, then those whose number starts with the one asked (``20с1`` for ``20``);
- a category, Russian or English (``аптека``, ``cafe``, ``туалет``, ``dentist``, ``метро``):
  the places of that category, nearest the map view first.

Results are ranked by match quality, then by distance to ``near`` (the map view's centre) when
given, then by kind (:data:`graph_builder.places.KINDS`). Every index is read-only after
construction, so one instance serves every request thread.
"""

from __future__ import annotations

import bisect
import functools
import logging
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import shapely.ops
from anyascii import anyascii
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from scipy.spatial import cKDTree

from accessroute._errors import BuildArtifactError
from graph_builder.artifact import read_places
from graph_builder.places import CATEGORIES, KINDS

log = logging.getLogger(__name__)

#: Labels of the kinds the page's own catalogue (``web.i18n.kind_labels``) does not name.
KIND_LABELS = {
    "address": {"ru": "адрес", "en": "address"},
    "area": {"ru": "район", "en": "area"},
}

#: Label of each category, Russian and English.
CATEGORY_LABELS: dict[str, dict[str, str]] = {
    "pharmacy": {"ru": "аптека", "en": "pharmacy"},
    "dentist": {"ru": "стоматология", "en": "dentist"},
    "hospital": {"ru": "больница", "en": "hospital"},
    "clinic": {"ru": "поликлиника", "en": "clinic"},
    "doctors": {"ru": "врач", "en": "doctor"},
    "healthcare": {"ru": "медицинская помощь", "en": "healthcare"},
    "metro": {"ru": "метро", "en": "metro"},
    "train_station": {"ru": "вокзал или станция", "en": "railway station"},
    "tram_stop": {"ru": "трамвайная остановка", "en": "tram stop"},
    "bus_stop": {"ru": "остановка", "en": "bus stop"},
    "ferry": {"ru": "причал", "en": "ferry"},
    "toilets": {"ru": "туалет", "en": "toilets"},
    "post_office": {"ru": "почта", "en": "post office"},
    "library": {"ru": "библиотека", "en": "library"},
    "social_facility": {"ru": "социальная служба", "en": "social service"},
    "cafe": {"ru": "кафе", "en": "cafe"},
    "restaurant": {"ru": "ресторан", "en": "restaurant"},
    "fast_food": {"ru": "фастфуд", "en": "fast food"},
    "bar": {"ru": "бар", "en": "bar"},
    "bank": {"ru": "банк", "en": "bank"},
    "atm": {"ru": "банкомат", "en": "cash machine"},
    "school": {"ru": "школа", "en": "school"},
    "place_of_worship": {"ru": "храм", "en": "place of worship"},
    "museum": {"ru": "музей", "en": "museum"},
    "theatre": {"ru": "театр или кино", "en": "theatre or cinema"},
    "hotel": {"ru": "гостиница", "en": "hotel"},
    "park": {"ru": "парк", "en": "park"},
    "supermarket": {"ru": "продукты", "en": "groceries"},
    "bakery": {"ru": "пекарня", "en": "bakery"},
    "shop": {"ru": "магазин", "en": "shop"},
    "area": {"ru": "район", "en": "area"},
}

#: Words that list every place of some categories (a kind's name lists all its categories).
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "аптека": ("pharmacy",),
    "pharmacy": ("pharmacy",),
    "pharmacies": ("pharmacy",),
    "chemist": ("pharmacy",),
    "стоматология": ("dentist",),
    "стоматолог": ("dentist",),
    "зубной врач": ("dentist",),
    "dentist": ("dentist",),
    "dental": ("dentist",),
    "больница": ("hospital",),
    "госпиталь": ("hospital",),
    "hospital": ("hospital",),
    "поликлиника": ("clinic",),
    "клиника": ("clinic",),
    "clinic": ("clinic",),
    "врач": ("doctors", "clinic"),
    "doctor": ("doctors", "clinic"),
    "doctors": ("doctors", "clinic"),
    "медицина": ("hospital", "clinic", "doctors", "dentist", "healthcare"),
    "health": ("hospital", "clinic", "doctors", "dentist", "healthcare"),
    "метро": ("metro",),
    "metro": ("metro",),
    "subway": ("metro",),
    "underground": ("metro",),
    "tube": ("metro",),
    "станция": ("metro", "train_station"),
    "station": ("metro", "train_station"),
    "вокзал": ("train_station",),
    "railway station": ("train_station",),
    "остановка": ("bus_stop", "tram_stop"),
    "stop": ("bus_stop", "tram_stop"),
    "bus stop": ("bus_stop",),
    "автобус": ("bus_stop",),
    "трамвай": ("tram_stop",),
    "tram stop": ("tram_stop",),
    "tram": ("tram_stop",),
    "причал": ("ferry",),
    "ferry": ("ferry",),
    "туалет": ("toilets",),
    "toilet": ("toilets",),
    "toilets": ("toilets",),
    "wc": ("toilets",),
    "почта": ("post_office",),
    "post office": ("post_office",),
    "библиотека": ("library",),
    "library": ("library",),
    "соцзащита": ("social_facility",),
    "social service": ("social_facility",),
    "кафе": ("cafe",),
    "кофейня": ("cafe",),
    "cafe": ("cafe",),
    "coffee": ("cafe",),
    "ресторан": ("restaurant",),
    "restaurant": ("restaurant",),
    "фастфуд": ("fast_food",),
    "fast food": ("fast_food",),
    "бар": ("bar",),
    "bar": ("bar",),
    "pub": ("bar",),
    "банк": ("bank",),
    "bank": ("bank",),
    "банкомат": ("atm",),
    "atm": ("atm",),
    "cash machine": ("atm",),
    "школа": ("school",),
    "school": ("school",),
    "храм": ("place_of_worship",),
    "церковь": ("place_of_worship",),
    "church": ("place_of_worship",),
    "музей": ("museum",),
    "museum": ("museum",),
    "театр": ("theatre",),
    "кино": ("theatre",),
    "theatre": ("theatre",),
    "cinema": ("theatre",),
    "гостиница": ("hotel",),
    "отель": ("hotel",),
    "хостел": ("hotel",),
    "hotel": ("hotel",),
    "hostel": ("hotel",),
    "парк": ("park",),
    "сквер": ("park",),
    "park": ("park",),
    "продукты": ("supermarket",),
    "супермаркет": ("supermarket",),
    "supermarket": ("supermarket",),
    "groceries": ("supermarket",),
    "пекарня": ("bakery",),
    "булочная": ("bakery",),
    "bakery": ("bakery",),
    "магазин": ("shop", "supermarket", "bakery"),
    "shop": ("shop", "supermarket", "bakery"),
}

#: Street words ignored on both sides of a match: types and their abbreviations, ``дом``.
STREET_WORDS = frozenset(
    {
        "улица",
        "ул",
        "переулок",
        "пер",
        "проезд",
        "пр",
        "проспект",
        "пр-т",
        "площадь",
        "пл",
        "бульвар",
        "б",
        "р",
        "набережная",
        "наб",
        "шоссе",
        "ш",
        "тупик",
        "туп",
        "аллея",
        "д",
        "дом",
        "street",
        "st",
        "road",
        "rd",
        "avenue",
        "ave",
        "lane",
        "ln",
        "square",
        "sq",
        "terrace",
        "crescent",
        "strasse",
        "str",
    }
)

#: A query's house number and its parts: digits first, then letters, ``с``/``стр``/``к``/...
_NUMBER_PART = re.compile(
    r"^(\d[\w/-]*|[a-zа-я]|(?:с|стр|строение|к|корп|корпус|вл|влд|лит|литера)\d*[a-zа-я]?)$"
)
#: A house number before the street (``221b Baker Street``), not an ordinal (``1-й``).
_LEADING_NUMBER = re.compile(r"^\d+[a-zа-я]?(?:/\d+[a-zа-я]?)?$")
_BEFORE_NUMBER = frozenset({"д", "дом", "house", "no", "nr", "number"})
_TOKEN = re.compile(r"[^\W_]+(?:[/-][^\W_]+)*")

_EARTH_M = 6_371_000.0
#: Reverse lookup: the nearest address this close (metres), else the nearest street this close.
REVERSE_ADDRESS_M, REVERSE_STREET_M = 60.0, 150.0


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return re.sub(r"['’ʼ`]", "", text)


def words_of(text: str) -> list[str]:
    """Fold a name or query into words: case, ``ё``, apostrophes, punctuation.

    Parameters
    ----------
    text
        A name or a query.

    Returns
    -------
    list of str
        Its words (hyphens and slashes split them, except inside a house number).

    Examples
    --------
    >>> words_of("St Thomas' Hospital / Ёлка-2")
    ['st', 'thomas', 'hospital', 'елка', '2']
    """
    return [w for w in re.split(r"[\W_]+", _fold(text)) if w]


def core(words: list[str]) -> tuple[str, ...]:
    """Words without the street words (:data:`STREET_WORDS`), unless nothing else is left."""
    kept = tuple(w for w in words if w not in STREET_WORDS)
    return kept or tuple(words)


def transliterate(text: str) -> str:
    """Fold a name or query to loose Latin, so that spellings across scripts meet.

    ``Маросейка`` and ``Maroseyka`` both give ``maroseika``.

    Parameters
    ----------
    text
        A name or a query, any script.

    Returns
    -------
    str
        Lower-case ASCII letters, digits and single spaces.
    """
    latin = anyascii(" ".join(words_of(text))).lower().replace("'", "")
    latin = latin.replace("y", "i").replace("j", "i").replace("kh", "h")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", latin).split())


def house_number(text: str) -> str:
    """A house number in one form: ``20 стр. 1``, ``20с1`` and ``20 С1`` all give ``20с1``.

    Parameters
    ----------
    text
        A house number as tagged or typed.

    Returns
    -------
    str
        Lower case, ``строение``/``стр`` as ``с``, ``корпус``/``корп`` as ``к``, no spaces.
    """
    text = _fold(text)
    text = re.sub(r"(?<![а-я])(?:строение|стр)(?![а-я])", "с", text)
    text = re.sub(r"(?<![а-я])(?:корпус|корп)(?![а-я])", "к", text)
    text = re.sub(r"(?<![а-я])(?:владение|влд)(?![а-я])", "вл", text)
    text = re.sub(r"(?<![а-я])(?:литера|лит)(?![а-я])", "", text)
    return re.sub(r"[^\w/-]+", "", text)


def parse_query(text: str) -> tuple[list[str], str]:
    """Split a query into its name words and a house number (``""`` if none).

    Parameters
    ----------
    text
        The query.

    Returns
    -------
    tuple
        The words of the name, and the house number in :func:`house_number` form.

    Examples
    --------
    >>> parse_query("ул. Мясницкая, д. 20 стр. 1")
    (['ул', 'мясницкая'], '20с1')
    >>> parse_query("221b Baker Street")
    (['baker', 'street'], '221b')
    >>> parse_query("1-й Колобовский")
    (['1', 'й', 'колобовский'], '')
    """
    tokens = _TOKEN.findall(_fold(text))
    digit = [i for i, t in enumerate(tokens) if t[0].isdigit()]
    if digit and digit[0] > 0 and all(_NUMBER_PART.match(t) for t in tokens[digit[0] :]):
        start = digit[0]
        name = tokens[:start]
        while name and name[-1] in _BEFORE_NUMBER:
            name.pop()
        number = house_number(" ".join(tokens[start:]))
    elif digit == [0] and len(tokens) > 1 and _LEADING_NUMBER.match(tokens[0]):
        name, number = tokens[1:], house_number(tokens[0])
    else:
        return words_of(text), ""
    words = [w for t in name for w in words_of(t)]
    return (words, number) if words else (words_of(text), "")


@dataclass(frozen=True)
class Place:
    """One searchable place.

    Attributes
    ----------
    area
        Area name.
    kind
        One of :data:`graph_builder.places.KINDS`.
    category
        A key of :data:`graph_builder.places.CATEGORIES`, a ``place=*`` value or ``""``.
    names
        ``name``, ``name_ru``, ``name_en`` (``""`` when not tagged).
    street, housenumber
        The address (an address's own; a place's, or the nearest address's).
    lat, lon
        The point to route to.
    osm
        ``node/<id>``, ``way/<id>`` or ``relation/<id>`` (``""`` for an area's title).
    street_en
        The street's English name, where OSM has one.
    """

    area: str
    kind: str
    category: str
    names: dict[str, str]
    street: str
    housenumber: str
    lat: float
    lon: float
    osm: str
    street_en: str = ""

    def address(self, lang: str) -> str:
        """``Street, number`` in a language (the street's ``name:en`` in English), or ``""``."""
        if not self.street or not self.housenumber:
            return ""
        street = self.street_en if lang == "en" and self.street_en else self.street
        return f"{street}, {self.housenumber}"

    def label(self, lang: str) -> str | None:
        """The category's or new kind's label, or None (then the kind's, from ``web.i18n``)."""
        labels = CATEGORY_LABELS.get(self.category) or KIND_LABELS.get(self.kind)
        return labels[lang] if labels else None

    def display_name(self, lang: str) -> str:
        """Name to show in a language: ``name:<lang>``, else ``name``, else what it is."""
        if self.kind == "address":
            return self.address(lang)
        name = self.names.get(f"name_{lang}") or self.names.get("name")
        return name or self.label(lang) or self.kind

    def to_dict(self, lang: str) -> dict[str, Any]:
        """JSON-safe form for the API (the address is ``""`` for an address itself)."""
        return {
            "name": self.display_name(lang),
            "local_name": self.names.get("name") or self.display_name("ru"),
            "kind": self.kind,
            "category": self.category,
            "area": self.area,
            "lat": round(self.lat, 6),
            "lon": round(self.lon, 6),
            "address": "" if self.kind == "address" else self.address(lang),
            "osm": self.osm,
        }


def _metres(lat: np.ndarray, lon: np.ndarray, lat0: float) -> np.ndarray:
    x = np.radians(lon) * math.cos(math.radians(lat0)) * _EARTH_M
    return np.column_stack([x, np.radians(lat) * _EARTH_M])


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Equirectangular distance between two (lat, lon) points, metres (fine below ~50 km)."""
    mean_lat = math.radians((a[0] + b[0]) / 2)
    dx = math.radians(b[1] - a[1]) * math.cos(mean_lat)
    return _EARTH_M * math.hypot(dx, math.radians(b[0] - a[0]))


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
            far = np.hypot(dx, dy) * _EARTH_M
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
            scale = math.cos(math.radians(lat0)) * _EARTH_M * math.pi / 180
            y_scale = _EARTH_M * math.pi / 180
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
                scale = math.cos(math.radians(look.lat0)) * _EARTH_M * math.pi / 180
                y_scale = _EARTH_M * math.pi / 180
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


def load_index(build_dir: Path, names: Iterable[str]) -> PlaceIndex:
    """Load the places of built areas (their ``places.parquet``) into one index.

    Parameters
    ----------
    build_dir
        Folder of the built areas.
    names
        The areas to load; one whose table cannot be read is logged and left out.

    Returns
    -------
    PlaceIndex
        Every area's places.
    """
    places: list[Place] = []
    lines: dict[int, Any] = {}
    for name in names:
        try:
            table = read_places(build_dir / name)
        except BuildArtifactError as exc:
            log.warning("%s: no place search (%s)", name, exc)
            continue
        english = {
            row.name: row.name_en
            for row in table.itertuples()
            if row.kind == "street" and row.name_en
        }
        for row in table.itertuples():
            if row.kind == "street":
                lines[len(places)] = row.geometry
            names_ = {
                "name": str(row.name),
                "name_ru": str(row.name_ru),
                "name_en": str(row.name_en),
                "other_names": str(row.other_names),
            }
            places.append(
                Place(
                    area=name,
                    kind=str(row.kind),
                    category=str(row.category),
                    names=names_,
                    street=str(row.street),
                    housenumber=str(row.housenumber),
                    lat=float(row.lat),
                    lon=float(row.lon),
                    osm=str(row.osm),
                    street_en=english.get(row.street, ""),
                )
            )
    return PlaceIndex(places, lines)


__all__ = ["CATEGORIES", "KINDS", "Place", "PlaceIndex", "load_index", "parse_query"]
