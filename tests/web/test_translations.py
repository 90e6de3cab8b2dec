"""The Russian catalogue: complete, compiled, and in step with the strings in the code."""

from __future__ import annotations

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.data import REPO

WEB = REPO / "web"
PO = WEB / "translations/ru/LC_MESSAGES/messages.po"
MO = WEB / "translations/ru/LC_MESSAGES/messages.mo"


def _po_messages() -> dict[str, str]:
    with PO.open("rb") as f:
        catalog = read_po(f, locale="ru")
    assert not [m.id for m in catalog if m.id and m.fuzzy], "fuzzy translations left"
    return {str(m.id): str(m.string) for m in catalog if m.id}


def test_every_string_has_a_russian_translation() -> None:
    messages = _po_messages()
    missing = [msgid for msgid, text in messages.items() if not text.strip()]
    assert not missing
    for msgid, text in messages.items():  # placeholders kept
        for name in ("%(place)s", "%(n)s", "%(length)s", "%(minutes)s", "%(change)s"):
            assert (name in msgid) == (name in text), (msgid, text)


def test_catalogue_matches_the_code() -> None:
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    found = {msg[2] for msg in extract_from_dir(str(WEB), method_map)}
    found = {m if isinstance(m, str) else m[0] for m in found}
    assert found == set(_po_messages()), "run `make translations`"


def test_compiled_catalogue_is_up_to_date() -> None:
    with MO.open("rb") as f:
        compiled = {str(m.id): str(m.string) for m in read_mo(f) if m.id}
    assert compiled == _po_messages(), "run `make translations`"
