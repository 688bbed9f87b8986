"""The start page's first visit fits the family page budget: 100 KB compressed in 10 requests."""

from __future__ import annotations

import gzip
from pathlib import Path

from tests.helpers import fetch, inspect_html

BUDGET_BYTES = 100 * 1024
BUDGET_REQUESTS = 10
DIST = Path(__file__).resolve().parent.parent / "static" / "dist"


def test_start_page_first_visit_is_within_budget(client):
    page = client.get("/", headers={"Accept-Encoding": "gzip"})
    html = gzip.decompress(page.data).decode()
    sizes = {"/": len(page.data)}
    for asset in inspect_html(html).asset_urls:
        response = fetch(client, asset, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200
        sizes[asset] = len(response.data)
    total = sum(sizes.values())
    print("\nstart page, first visit, gzip: " + ", ".join(f"{k} {v} B" for k, v in sizes.items()) + f"; total {total} B in {len(sizes)} requests")
    assert len(sizes) <= BUDGET_REQUESTS
    assert total <= BUDGET_BYTES


def test_built_css_has_no_web_fonts_and_no_govuk_branding():
    css = next(DIST.glob("portal.*.css")).read_text(encoding="utf-8")
    assert css.count("@font-face") == 0
    assert "GDS Transport" not in css
    assert ".woff" not in css
