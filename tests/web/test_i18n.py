"""The page script's texts: one table of English sources, translated for each request."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po
from flask import Flask

from web import i18n
from web.i18n import JS_STRINGS, N_, js_strings

WEB = Path(i18n.__file__).parent
PO = WEB / "translations/ru/LC_MESSAGES/messages.po"


def _app() -> Flask:
    app = Flask("web", root_path=str(WEB))
    i18n.init_app(app)
    return app


def test_js_strings_are_the_table_translated_for_the_request() -> None:
    with PO.open("rb") as f:
        russian = {str(m.id): str(m.string) for m in read_po(f, locale="ru") if m.id}
    app = _app()
    with app.test_request_context("/?lang=ru"):
        ru = js_strings()
    with app.test_request_context("/?lang=en"):
        en = js_strings()
    assert list(ru) == list(en) == list(JS_STRINGS)
    assert en == JS_STRINGS  # English is the source
    assert ru == {key: russian[message] for key, message in JS_STRINGS.items()}
    assert ru["start"] == "Откуда"


def test_marking_a_text_leaves_it_as_written() -> None:
    assert N_("%(n)s m") == "%(n)s m"
