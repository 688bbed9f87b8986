"""What the service worker may keep and what the installed app is called.

Source: DESIGN.md, Access and safety ("No personal data in URLs, browser storage, the service
worker cache, or logs"); issue "Installable, light and forgiving on a cheap phone" 1 and 2.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app, url_for

from portal import i18n

THEME_COLOUR = "#005a70"  # the council's colour, as in the header and the icon
BACKGROUND_COLOUR = "#ffffff"

# Built files the service worker keeps, by their logical names: every page needs them. Nothing
# else is kept: pages (which carry personal data), form posts and htmx partials always go to the network.
PRECACHED_ASSETS = ("portal.css", "portal.js", "icon.svg")

ICONS = (
    ("icon-192.png", "192x192", "any"),
    ("icon-512.png", "512x512", "any"),
    ("icon-maskable-512.png", "512x512", "maskable"),
)


def precache_urls() -> list[str]:
    """The public files kept for offline use when the worker starts: the built CSS, JS and icon. The offline
    page in the person's language is added by the page itself (offline_pages)."""
    manifest = current_app.extensions["asset_manifest"]
    return [url_for("static", filename=manifest[name]) for name in PRECACHED_ASSETS]


def offline_pages() -> list[str]:
    """The offline page of every shipped language: the only pages the worker may keep, one at a time."""
    return [url_for("pwa.offline", language=language) for language in current_app.config["LANGUAGES"]]


def cache_name() -> str:
    """A cache name that changes whenever a kept file or any language's translations change, so a new
    service worker replaces the old copies (the old cache is deleted when it takes over). A change of
    language is not a new worker: the page tells the worker, which swaps the offline page it keeps."""
    digest = hashlib.sha256()
    for url in precache_urls():
        digest.update(url.encode())
    for language in sorted(current_app.config["LANGUAGES"]):
        catalogue = Path(current_app.root_path).parent / "translations" / language / "LC_MESSAGES" / "messages.mo"
        if catalogue.exists():
            digest.update(catalogue.read_bytes())
    return f"portal-{digest.hexdigest()[:12]}"


def web_app_manifest(language: str, name: str, short_name: str, description: str) -> dict:
    """The web app manifest in one language (https://www.w3.org/TR/appmanifest/)."""
    manifest = current_app.extensions["asset_manifest"]
    return {
        "id": "/",
        "name": name,
        "short_name": short_name,
        "description": description,
        "lang": language,
        "dir": i18n.direction(language),
        "start_url": url_for("cases.home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": url_for("static", filename=manifest[file]), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for file, sizes, purpose in ICONS
        ],
    }
