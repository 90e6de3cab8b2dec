"""Offline place search and reverse lookup over the places each area's build holds.

The builder (``graph_builder.places``) writes one row per address, street, named place and area
name into ``places.parquet``; this package loads those tables once at start (no OSM file is read)
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
given, then by kind (:data:`graph_builder.place_categories.KINDS`). Every index is read-only after
construction, so one instance serves every request thread.

Modules: ``categories`` (category words and labels), ``words`` (folding and query parsing),
``place`` (one place), ``index`` (search and reverse lookup), ``loading`` (the index from the
builds).
"""

from __future__ import annotations

from graph_builder.place_categories import CATEGORIES, KINDS
from web.places.categories import CATEGORY_LABELS, CATEGORY_WORDS, KIND_LABELS
from web.places.index import REVERSE_ADDRESS_M, REVERSE_STREET_M, PlaceIndex
from web.places.loading import load_index
from web.places.place import Place, distance_m
from web.places.words import STREET_WORDS, core, house_number, parse_query, transliterate, words_of

__all__ = [
    "CATEGORIES",
    "CATEGORY_LABELS",
    "CATEGORY_WORDS",
    "KINDS",
    "KIND_LABELS",
    "REVERSE_ADDRESS_M",
    "REVERSE_STREET_M",
    "STREET_WORDS",
    "Place",
    "PlaceIndex",
    "core",
    "distance_m",
    "house_number",
    "load_index",
    "parse_query",
    "transliterate",
    "words_of",
]
