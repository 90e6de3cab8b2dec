"""Security headers of every response: Content-Security-Policy, nosniff, no framing, referrer.

Every page is sent with a Content-Security-Policy that lets scripts come only from this site
(``script-src 'self'``), so a text that reached a page as HTML by mistake could still not run:
no inline script, no event-handler attribute, no ``javascript:`` URL, no plug-in, no ``<base>``.
The one page whose inline script cannot be moved out, the planners' folium map, gets a nonce made
for that response (:func:`csp_nonce`) on its script tags. Styles may be inline (the templates,
Leaflet's markers and folium use them); they cannot run code. Images may come from this site,
``data:`` URLs (the charts and sheet maps) and the map tile server of ``TILE_URL``.

No page may be framed by another site (``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``),
except the planners' map, which the planners' page frames (:func:`allow_same_origin_frames`).
The referrer policy is ``strict-origin-when-cross-origin``: the tile server still learns which
site asks (OpenStreetMap's tile policy wants a referrer), but not the page's address, whose
query holds the route planned.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g

#: Referrer policy of every response (see the module docstring).
REFERRER_POLICY = "strict-origin-when-cross-origin"


def csp_nonce() -> str:
    """Return the nonce of this response's inline scripts (made on first use).

    The Content-Security-Policy of the response allows the scripts carrying it
    (``<script nonce="...">``), and only when a view asked for it.

    Returns
    -------
    str
        A new random value for each request, the same within a request.
    """
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    nonce: str = g.csp_nonce
    return nonce


def allow_same_origin_frames(response: Response) -> Response:
    """Let pages of this site (and only they) show ``response`` in a frame.

    Parameters
    ----------
    response
        The response (changed in place).

    Returns
    -------
    flask.Response
        The same response.
    """
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def tile_source(tile_url: str) -> str | None:
    """Return the CSP source of a tile URL template: its origin, ``{s}`` as a wildcard.

    Parameters
    ----------
    tile_url
        Leaflet tile template (``https://{s}.tile.example.org/{z}/{x}/{y}.png``); a path on this
        site or "" needs no source.

    Returns
    -------
    str or None
        ``https://*.tile.example.org``, or None when ``'self'`` covers it.
    """
    parts = urlsplit(tile_url)
    if not parts.scheme or not parts.netloc:
        return None
    host = parts.netloc.replace("{s}", "*")
    return f"{parts.scheme}://{host}"


def content_security_policy(
    *, tile_url: str = "", nonce: str | None = None, framed_by_self: bool = False
) -> str:
    """Return the Content-Security-Policy of a page.

    Parameters
    ----------
    tile_url
        Tile URL template of the page's maps (images from its origin are allowed).
    nonce
        Nonce of the page's inline scripts, None for none.
    framed_by_self
        Whether pages of this site may frame it (else no page may).

    Returns
    -------
    str
        The header's value.
    """
    scripts = "'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    images = " ".join(s for s in ("'self'", "data:", tile_source(tile_url)) if s)
    directives = {
        "default-src": "'self'",
        "script-src": scripts,
        "style-src": "'self' 'unsafe-inline'",
        "img-src": images,
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'self'" if framed_by_self else "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def _add_headers(response: Response) -> Response:
    """Set the security headers on a response (views may have set X-Frame-Options)."""
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", REFERRER_POLICY)
    if response.mimetype == "text/html":
        headers["Content-Security-Policy"] = content_security_policy(
            tile_url=str(current_app.config.get("TILE_URL") or ""),
            nonce=g.get("csp_nonce"),
            framed_by_self=headers["X-Frame-Options"] == "SAMEORIGIN",
        )
    return response


def init_app(app: Flask) -> None:
    """Add the security headers to every response of the app.

    Parameters
    ----------
    app
        The application.
    """
    app.after_request(_add_headers)
