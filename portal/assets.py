"""Built front-end files: their content-hashed names, read from the build's manifest."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask, url_for


class AssetsNotBuilt(RuntimeError):
    """The front-end build has not run: `make install` builds it."""


def load_manifest(dist: Path) -> dict[str, str]:
    """Map each logical asset name (portal.css) to its built, hashed file name."""
    manifest = dist / "manifest.json"
    if not manifest.exists():
        raise AssetsNotBuilt(f"{manifest} is missing: run `make install` to build the front end.")
    return json.loads(manifest.read_text(encoding="utf-8"))


def init_assets(app: Flask) -> None:
    """Add asset_url() to templates; the manifest is read once, at start-up."""
    manifest = load_manifest(Path(app.static_folder or ""))
    app.extensions["asset_manifest"] = manifest

    @app.template_global()
    def asset_url(name: str) -> str:
        """The URL of a built asset by its logical name, e.g. asset_url('portal.css')."""
        return url_for("static", filename=manifest[name])
