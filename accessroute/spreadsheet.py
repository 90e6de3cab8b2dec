"""CSV cells that a spreadsheet reads as data, never as a formula (CSV injection).

Text from OpenStreetMap, survey files, reports or trips files can start with ``=``, ``+``,
``-`` or ``@`` (or a tab or carriage return), which Excel, LibreOffice and Google Sheets take
as the start of a formula: ``=HYPERLINK(...)`` becomes a link, ``=cmd|...`` may run a program.
Following OWASP's advice, such a text cell is written with a single quote in front, which a
spreadsheet shows as text. Numbers are left alone (``-3.5`` is a number, not a formula), and so
is a text that is just a number, as a CSV of strings holds them.

Every CSV the project writes goes through :func:`escape_cell` (``write_csv`` for tables).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
from pandas.api.types import is_object_dtype, is_string_dtype

#: First characters that make a spreadsheet read a cell as a formula (OWASP: CSV Injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: What a spreadsheet would write before such a text to keep it text.
ESCAPE = "'"
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def escape_cell(value: Any) -> Any:
    """Return a cell value safe to write into a CSV that a spreadsheet will open.

    Parameters
    ----------
    value
        Any cell value.

    Returns
    -------
    object
        A text starting like a formula with ``'`` in front; anything else unchanged (numbers,
        missing values, texts that are just a number).

    Examples
    --------
    >>> escape_cell("=1+2")
    "'=1+2"
    >>> escape_cell("-3.5"), escape_cell(-3.5), escape_cell("Tverskaya")
    ('-3.5', -3.5, 'Tverskaya')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return ESCAPE + value
    return value


def unescape_cell(value: Any) -> Any:
    """Undo :func:`escape_cell` on a value read back from a CSV the project wrote.

    Parameters
    ----------
    value
        A cell value as read.

    Returns
    -------
    object
        The value before escaping.

    Examples
    --------
    >>> unescape_cell("'=1+1"), unescape_cell("'quoted")
    ('=1+1', "'quoted")
    """
    if isinstance(value, str) and value.startswith(ESCAPE) and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def escape_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of a table with every text cell and column name escaped.

    Parameters
    ----------
    frame
        The table.

    Returns
    -------
    pandas.DataFrame
        The same table, its text cells passed through :func:`escape_cell` (number columns are
        not touched).
    """
    out = frame.copy()
    for column in out.columns:
        if is_object_dtype(out[column].dtype) or is_string_dtype(out[column].dtype):
            out[column] = out[column].map(escape_cell, na_action="ignore")
    out.columns = [escape_cell(name) for name in out.columns]
    return out


def unescape_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo :func:`escape_table` on a table read back from a CSV the project wrote.

    Parameters
    ----------
    frame
        The table as read.

    Returns
    -------
    pandas.DataFrame
        The table before escaping.
    """
    out = frame.copy()
    for column in out.columns:
        if is_object_dtype(out[column].dtype) or is_string_dtype(out[column].dtype):
            out[column] = out[column].map(unescape_cell, na_action="ignore")
    out.columns = [unescape_cell(name) for name in out.columns]
    return out


def write_csv(frame: pd.DataFrame, path: Path, **options: Any) -> None:
    """Write a table as CSV (no index) with its text cells escaped for spreadsheets.

    Lines end in CRLF (RFC 4180, as Python's ``csv`` module writes them), so that a cell
    holding a carriage return or a line break is quoted and stays one cell.

    Parameters
    ----------
    frame
        The table.
    path
        The file to write.
    **options
        Further options of ``pandas.DataFrame.to_csv`` (``encoding``, ...).
    """
    options.setdefault("lineterminator", "\r\n")
    escape_table(frame).to_csv(path, index=False, **options)
