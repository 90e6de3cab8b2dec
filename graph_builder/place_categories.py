"""What makes an OSM object a searchable place: the kinds and categories of places, and their tags.

One place for this knowledge: the builder (``places``) reads places with it and the web service
(``web.places``, the API's schema) offers the same kinds and categories.
"""

from __future__ import annotations

from collections.abc import Mapping

#: Kinds of place, in the order that breaks ties between equally good matches.
KINDS = (
    "area",
    "street",
    "address",
    "stop",
    "health",
    "pharmacy",
    "social",
    "shop",
    "place",
)

#: Categories, in the order tried (the first that fits wins): name, kind, and the tags that
#: make a feature one (``key: {values}``; an empty set means any value).
CATEGORIES: dict[str, tuple[str, dict[str, frozenset[str]]]] = {
    "pharmacy": (
        "pharmacy",
        {"amenity": frozenset({"pharmacy"}), "healthcare": frozenset({"pharmacy"})},
    ),
    "dentist": (
        "health",
        {"amenity": frozenset({"dentist"}), "healthcare": frozenset({"dentist"})},
    ),
    "hospital": (
        "health",
        {"amenity": frozenset({"hospital"}), "healthcare": frozenset({"hospital"})},
    ),
    "clinic": ("health", {"amenity": frozenset({"clinic"}), "healthcare": frozenset({"clinic"})}),
    "doctors": ("health", {"amenity": frozenset({"doctors"}), "healthcare": frozenset({"doctor"})}),
    "healthcare": ("health", {"healthcare": frozenset()}),
    "metro": (
        "stop",
        {
            "railway": frozenset({"subway_entrance"}),
            "station": frozenset({"subway"}),
            "subway": frozenset({"yes"}),
        },
    ),
    "train_station": ("stop", {"railway": frozenset({"station", "halt"})}),
    "tram_stop": ("stop", {"railway": frozenset({"tram_stop"}), "tram": frozenset({"yes"})}),
    "bus_stop": (
        "stop",
        {
            "highway": frozenset({"bus_stop"}),
            "public_transport": frozenset({"platform", "stop_position", "station"}),
            "amenity": frozenset({"bus_station"}),
        },
    ),
    "ferry": ("stop", {"amenity": frozenset({"ferry_terminal"})}),
    "toilets": ("place", {"amenity": frozenset({"toilets"}), "toilets": frozenset({"yes"})}),
    "post_office": ("social", {"amenity": frozenset({"post_office"})}),
    "library": ("social", {"amenity": frozenset({"library"})}),
    "social_facility": (
        "social",
        {
            "amenity": frozenset(
                {"social_facility", "community_centre", "social_centre", "townhall"}
            ),
            "social_facility": frozenset(),
            "office": frozenset({"government"}),
        },
    ),
    "cafe": ("place", {"amenity": frozenset({"cafe"})}),
    "restaurant": ("place", {"amenity": frozenset({"restaurant", "food_court"})}),
    "fast_food": ("place", {"amenity": frozenset({"fast_food"})}),
    "bar": ("place", {"amenity": frozenset({"bar", "pub", "biergarten"})}),
    "bank": ("place", {"amenity": frozenset({"bank"})}),
    "atm": ("place", {"amenity": frozenset({"atm"})}),
    "school": (
        "place",
        {"amenity": frozenset({"school", "kindergarten", "college", "university"})},
    ),
    "place_of_worship": ("place", {"amenity": frozenset({"place_of_worship"})}),
    "museum": ("place", {"tourism": frozenset({"museum", "gallery"})}),
    "theatre": ("place", {"amenity": frozenset({"theatre", "cinema", "arts_centre"})}),
    "hotel": ("place", {"tourism": frozenset({"hotel", "hostel", "guest_house", "motel"})}),
    "park": ("place", {"leisure": frozenset({"park", "garden", "playground"})}),
    "supermarket": (
        "shop",
        {"shop": frozenset({"supermarket", "convenience", "grocery", "general", "deli"})},
    ),
    "bakery": ("shop", {"shop": frozenset({"bakery", "pastry", "confectionery"})}),
    "shop": ("shop", {"shop": frozenset()}),
}

#: Keys that make a named object a place (category ``""``, kind ``place``) when no category fits.
OTHER_KEYS = (
    "amenity",
    "tourism",
    "leisure",
    "office",
    "building",
    "historic",
    "craft",
    "man_made",
)

#: ``place=*`` values read as area names.
AREA_PLACES = frozenset(
    {
        "city",
        "town",
        "village",
        "hamlet",
        "borough",
        "suburb",
        "quarter",
        "neighbourhood",
        "city_block",
        "locality",
        "square",
        "island",
    }
)

#: ``highway=*`` values of ways searched as streets (walkable roads and paths).
STREET_HIGHWAYS = frozenset(
    {
        "primary",
        "secondary",
        "tertiary",
        "unclassified",
        "residential",
        "living_street",
        "pedestrian",
        "service",
        "trunk",
        "primary_link",
        "secondary_link",
        "tertiary_link",
        "trunk_link",
        "footway",
        "path",
        "cycleway",
        "steps",
        "track",
        "corridor",
        "road",
    }
)

#: Tags read as a place's names: columns ``name``, ``name_ru``, ``name_en``, ``other_names``.
OTHER_NAME_TAGS = ("int_name", "alt_name", "official_name", "short_name", "old_name")


def category_of(tags: Mapping[str, str]) -> str | None:
    """Return the category of a feature with these tags, or None.

    Parameters
    ----------
    tags
        OSM tags.

    Returns
    -------
    str or None
        A key of :data:`CATEGORIES`.

    Examples
    --------
    >>> category_of({"amenity": "dentist", "healthcare": "dentist"})
    'dentist'
    >>> category_of({"railway": "subway_entrance"})
    'metro'
    >>> category_of({"highway": "footway"}) is None
    True
    """
    for category, (_, rules) in CATEGORIES.items():
        if any(key in tags and (not vals or tags[key] in vals) for key, vals in rules.items()):
            if category == "tram_stop" and "railway" not in tags and "highway" in tags:
                continue  # a bus stop also served by trams is a bus stop
            return category
    return None


def kind_of(category: str) -> str:
    """The kind of a category (``""``: an uncategorised named place)."""
    return CATEGORIES[category][0] if category else "place"
