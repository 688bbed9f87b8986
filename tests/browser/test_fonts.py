"""Bengali and Arabic script are drawn with the phone's own fonts: Chromium says which font drew each heading."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SCRIPT_FONTS = {"bn": "Bengali", "ar": "Arabic", "ur": ("Urdu", "Arabic")}


@pytest.mark.parametrize("code", sorted(SCRIPT_FONTS))
def test_headings_are_drawn_with_a_system_font_for_their_script(browser, live_server, code):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.add_cookies([{"name": "portal_lang", "value": code, "url": live_server}])
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(live_server + "/", wait_until="load")
    assert page.get_attribute("html", "lang") == code
    stack = page.evaluate("getComputedStyle(document.querySelector('main h1')).fontFamily")
    assert stack.startswith('"Noto'), stack  # the script's own stack, not GOV.UK's Arial
    other = "bn" if code != "bn" else "ar"  # the language bar names another language in its own script
    other_stack = page.evaluate(f"getComputedStyle(document.querySelector('.app-language-bar [lang={other}]')).fontFamily")
    assert (("Bengali" in other_stack) if other == "bn" else ("Arabic" in other_stack)), other_stack
    session = context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    heading = session.send("DOM.querySelector", {"nodeId": root, "selector": "main h1"})["nodeId"]
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": heading})["fonts"]
    context.close()
    names = [font["familyName"] for font in fonts]
    wanted = SCRIPT_FONTS[code] if isinstance(SCRIPT_FONTS[code], tuple) else (SCRIPT_FONTS[code],)
    print(f"\n{code}: the heading is drawn with {fonts}")
    assert any(word in name for name in names for word in wanted), names
    assert not any(font["isCustomFont"] for font in fonts), "a web font was used"
    assert not any(url.endswith((".woff", ".woff2", ".ttf", ".otf")) for url in requests)
