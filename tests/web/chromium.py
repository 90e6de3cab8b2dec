"""Debian's Chromium for the browser tests: where it is and how it is started."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Route

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def offline_page(browser: Browser, base_url: str, **context: Any) -> Iterator[Page]:
    """A page of the live server that may reach nothing else; fails on any script error.

    Parameters
    ----------
    browser
        The browser.
    base_url
        The live server's address.
    **context
        More options for the browser context (``viewport``, ``locale``).

    Yields
    ------
    playwright.sync_api.Page
        The page (its context is closed afterwards).
    """
    ctx = browser.new_context(base_url=base_url, **context)

    def outside(route: Route) -> None:
        route.abort()

    ctx.route(re.compile(r"^(?!http://127\.0\.0\.1[:/])"), outside)
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    ctx.close()
    assert not errors, errors
