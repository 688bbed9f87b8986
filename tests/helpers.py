"""Helpers shared by tests: the pages a test can reach and simple HTML inspection."""

from __future__ import annotations

from html.parser import HTMLParser


def simple_get_urls(app) -> list[str]:
    """Every public GET route without URL arguments (signed-in pages are crawled as each demo account)."""
    from portal.access import PUBLIC, policy_of

    urls = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        if "GET" in (rule.methods or ()) and not rule.arguments and policy_of(view) == PUBLIC:
            urls.append(rule.rule)
    return sorted(urls)


def html_urls(app) -> list[str]:
    """The GET routes that answer with an HTML page."""
    return [url for url in simple_get_urls(app) if url not in ("/healthz", "/exit", "/service-worker.js")]


class InlineCodeFinder(HTMLParser):
    """Collects inline scripts without a nonce, <style> elements, style= attributes and inline handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.asset_urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            if "src" in attributes:
                self.asset_urls.append(attributes["src"])
            elif not attributes.get("nonce"):
                self.problems.append("inline <script> without a nonce")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "link" and attributes.get("rel") in ("stylesheet", "icon", "manifest"):
            self.asset_urls.append(attributes["href"])
        if tag == "img" and "src" in attributes:
            self.asset_urls.append(attributes["src"])
        for name in attributes:
            if name == "style":
                self.problems.append(f"style= attribute on <{tag}>")
            if name.startswith("on"):
                self.problems.append(f"inline handler {name}= on <{tag}>")


def inspect_html(html: str) -> InlineCodeFinder:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder


def fetch(client, url: str, **kwargs):
    """GET a URL and close the response (static files are streamed from open files)."""
    response = client.get(url, **kwargs)
    response.get_data()
    response.close()
    return response


class VisibleText(HTMLParser):
    """The text a person sees or hears on a page: text nodes outside scripts and styles, the page title,
    the attributes read out or shown (alt, title, aria-label, placeholder, a button's value), and the
    texts GOV.UK Frontend's script shows from data-i18n.* attributes."""

    SKIP = {"script", "style", "noscript", "template"}
    READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skipping += 1
        attributes = dict(attrs)
        for name, value in attributes.items():
            if name in self.READ_ATTRIBUTES or name.startswith("data-i18n."):  # GOV.UK Frontend's script shows data-i18n.*
                self._add(value)
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self._add(attributes.get("value"))

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self._add(data)

    def _add(self, text: str | None) -> None:
        text = " ".join((text or "").split())
        if text:
            self.texts.append(text)


def visible_texts(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.texts


class DirectionIsolation(HTMLParser):
    """Text nodes, each with whether it sits inside <bdi> or an element with a dir attribute (so a Latin name
    or a phone number inside Arabic or Urdu text keeps its own direction)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        inherited = bool(self.stack) and self.stack[-1][1]
        # The page's own direction (dir= on <html>) isolates nothing; <bdi> or dir= on an element inside does.
        own = tag == "bdi" or (tag != "html" and any(name == "dir" for name, _ in attrs))
        self.stack.append((tag, inherited or own))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not any(tag in ("script", "style", "title") for tag, _ in self.stack):
            self.texts.append((text, bool(self.stack) and self.stack[-1][1]))


def direction_isolation(html: str) -> list[tuple[str, bool]]:
    parser = DirectionIsolation()
    parser.feed(html)
    return parser.texts
