"""Words of names and queries: folding, street words, transliteration, house numbers."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

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
