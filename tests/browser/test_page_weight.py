"""Every family and young person page fits the page budget in a real Chromium on a phone: a first visit
(empty cache) costs at most 100 KB on the wire (compressed, headers included) in at most 10 requests, and a
repeat visit at most 15 KB.

Each page is opened in a fresh browser context, so nothing is cached, but signed in (each account signs in
once through the form; its cookies are copied into each fresh context). Every request the page causes is counted: the document, CSS, JavaScript, icons, the
manifest, htmx calls, and anything a service worker fetches for it (its script, its precache), until the
network has been quiet for a while and any service worker has finished installing. The bytes are Chromium's
own count of what came over the network (DevTools `Network.loadingFinished` encodedDataLength, and
Playwright's request sizes for the service worker's own fetches). Then the same URL is opened again in the
same context: hashed static files are cached as immutable, so a repeat visit should cost little more than
the page itself. Answers from the HTTP cache or from a service worker's cache cost 0 bytes and are not
network requests; a service worker that passes a request on to the network is counted once, as its fetch.
Every page a family account reaches is measured once (tests/browser/family_crawl.py), a few side by side."""

from __future__ import annotations

import time

import pytest

from tests.browser.conftest import PHONE, close_with_worker
from tests.browser.family_crawl import SignedIn, family_pages

pytestmark = pytest.mark.browser

FIRST_VISIT_BYTES = 100 * 1024
FIRST_VISIT_REQUESTS = 10
REPEAT_VISIT_BYTES = 15 * 1024
QUIET_SECONDS = 0.5  # as Playwright's "networkidle"
LONGEST_WAIT = 30.0
BATCH = 6  # pages measured side by side, each in its own context

# "complete settled" once the page has loaded and its service worker (if any) is not installing.
PAGE_STATE = """async () => {
  let worker = 'settled';
  if ('serviceWorker' in navigator) {
    const registration = await navigator.serviceWorker.getRegistration();
    if (registration && (registration.installing || (registration.active && registration.active.state === 'activating'))) {
      worker = 'installing';
    }
  }
  return document.readyState + ' ' + worker;
}"""


class Wire:
    """What one page makes Chromium fetch, and how many bytes came over the network for it."""

    def __init__(self, context, page):
        self.page = page
        self.reset()
        self.cdp = context.new_cdp_session(page)
        for event, handler in (("Network.requestWillBeSent", self._sent), ("Network.responseReceived", self._response),
                               ("Network.requestServedFromCache", self._from_cache),
                               ("Network.loadingFinished", self._finished), ("Network.loadingFailed", self._failed)):
            self.cdp.on(event, handler)
        self.cdp.send("Network.enable")
        # A service worker's own fetches happen outside the page: Playwright reports them on the context.
        context.on("request", self._worker_sent)
        context.on("requestfinished", self._worker_finished)
        context.on("requestfailed", self._worker_failed)

    def reset(self) -> None:
        self.entries: dict[str, dict] = {}
        self.worker_entries: dict[int, dict] = {}
        self.last_activity = time.monotonic()

    def _touch(self) -> None:
        self.last_activity = time.monotonic()

    def _sent(self, event) -> None:
        if not event["request"]["url"].startswith("http"):
            return  # data: URLs are part of the file they are in
        self._touch()
        entry = self.entries.get(event["requestId"])
        if entry is not None and event.get("redirectResponse"):  # a redirect: its hop came over the network too
            entry["hops"] += 1
            entry["bytes"] += event["redirectResponse"].get("encodedDataLength", 0)
        self.entries.setdefault(event["requestId"], {"url": event["request"]["url"], "type": event.get("type", ""),
                                                     "bytes": 0, "hops": 0, "source": "network", "done": False})

    def _response(self, event) -> None:
        self._touch()
        entry = self.entries.get(event["requestId"])
        response = event["response"]
        if entry is not None:
            entry["status"] = response.get("status", 0)
            if response.get("fromServiceWorker"):
                entry["source"] = "service worker"
            elif response.get("fromDiskCache") or response.get("fromPrefetchCache"):
                entry["source"] = "cache"

    def _from_cache(self, event) -> None:
        self._touch()
        if event["requestId"] in self.entries:
            self.entries[event["requestId"]]["source"] = "cache"

    def _finished(self, event) -> None:
        self._touch()
        entry = self.entries.get(event["requestId"])
        if entry is not None:
            entry["done"] = True
            if entry["source"] == "network":
                entry["bytes"] += event.get("encodedDataLength", 0)

    def _failed(self, event) -> None:
        self._touch()
        entry = self.entries.get(event["requestId"])
        if entry is not None:
            entry["done"], entry["source"] = True, "failed"

    def _worker_sent(self, request) -> None:
        if request.service_worker is not None:
            self._touch()
            self.worker_entries[id(request)] = {"url": request.url, "type": "service worker fetch", "bytes": 0,
                                                "hops": 0, "source": "network", "done": False, "request": request}

    def _worker_finished(self, request) -> None:
        entry = self.worker_entries.get(id(request))
        if entry is not None:
            self._touch()
            sizes = request.sizes()
            response = request.response()
            entry["status"] = response.status if response is not None else 0
            entry["bytes"] = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            if entry["bytes"] <= 0:
                entry["source"] = "cache"
            entry["done"] = True

    def _worker_failed(self, request) -> None:
        entry = self.worker_entries.get(id(request))
        if entry is not None:
            self._touch()
            entry["done"], entry["source"] = True, "failed"

    def all(self) -> list[dict]:
        return list(self.entries.values()) + list(self.worker_entries.values())

    def quiet(self) -> bool:
        """Nothing in flight, nothing new for QUIET_SECONDS, the page loaded, and any service worker done
        installing (it precaches after the page has loaded)."""
        if any(not entry["done"] for entry in self.all()) or time.monotonic() - self.last_activity < QUIET_SECONDS:
            return False
        try:
            return self.page.evaluate(PAGE_STATE) == "complete settled"
        except Exception:  # the page navigated meanwhile (a redirect): look again shortly
            return False

    def network(self) -> list[dict]:
        """The requests that came over the network (not from a cache), with their bytes."""
        return [entry for entry in self.all() if entry["source"] in ("network", "failed")]

    def open(self, url: str) -> None:
        """Start opening the URL (returns once the document has started to arrive)."""
        self.reset()
        response = self.page.goto(url, wait_until="commit")
        assert response is not None and response.status == 200, f"{url}: {response and response.status}"

    def total(self) -> dict:
        network = self.network()
        return {"bytes": sum(entry["bytes"] for entry in network),
                "requests": sum(1 + entry["hops"] for entry in network),
                "detail": [(entry["url"].split("/", 3)[-1], entry["bytes"]) for entry in network],
                # A missing file costs nothing and would pass: every request must have worked.
                "failed": [f"{entry['url'].split('/', 3)[-1]} ({entry.get('status') or entry['source']})"
                           for entry in network if entry["source"] == "failed" or entry.get("status", 200) >= 400]}


def settle(wires: list[Wire]) -> None:
    """Wait until every page of a batch is quiet; Playwright delivers the events meanwhile."""
    deadline = time.monotonic() + LONGEST_WAIT
    waiting = list(wires)
    while waiting:
        waiting[0].page.wait_for_timeout(100)
        waiting = [wire for wire in waiting if not wire.quiet()]
        if time.monotonic() > deadline:
            raise AssertionError("the network never went quiet: " + ", ".join(
                entry["url"] for wire in waiting for entry in wire.all() if not entry["done"]))


def measure(signed_in: SignedIn, live_server: str, pages: dict[str, str]) -> dict[str, tuple[dict, dict]]:
    """For each page: a first visit in a fresh context (empty cache), then a repeat visit of the same URL in
    it. A few pages are measured side by side (each in its own context) to keep the run short."""
    results = {}
    items = list(pages.items())
    for start in range(0, len(items), BATCH):
        batch = items[start:start + BATCH]
        contexts = [signed_in.context(login, viewport=PHONE, device_scale_factor=1, service_workers="allow") for _, login in batch]
        try:
            wires = []
            for context in contexts:
                page = context.new_page()
                wires.append(Wire(context, page))
            firsts = []
            for visit in ("first", "repeat"):
                for wire, (path, _) in zip(wires, batch):
                    wire.open(live_server + path)
                settle(wires)
                totals = [wire.total() for wire in wires]
                if visit == "first":
                    firsts = totals
            for (path, _), first, repeat in zip(batch, firsts, totals):
                results[path] = (first, repeat)
        finally:
            close_with_worker(*contexts)
    return results


def test_every_family_page_fits_the_page_budget(browser, live_server, app, demo):
    started = time.monotonic()
    pages = family_pages(app, demo)
    signed_in = SignedIn(browser, live_server)
    results = measure(signed_in, live_server, pages)

    firsts = sorted(results.items(), key=lambda item: (item[1][0]["bytes"], item[1][0]["requests"]), reverse=True)
    print(f"\npage weight: {len(results)} family pages in Chromium at {PHONE['width']}x{PHONE['height']}, "
          f"in {time.monotonic() - started:.0f}s (budget: first visit {FIRST_VISIT_BYTES} B in {FIRST_VISIT_REQUESTS} "
          f"requests, repeat visit {REPEAT_VISIT_BYTES} B)")
    print(f"{'visit':<7}{'bytes':>8}{'requests':>10}  page (as)")
    for path, (first, _) in firsts[:5]:
        print(f"{'first':<7}{first['bytes']:>8}{first['requests']:>10}  {path} ({pages[path]})")
    heaviest_repeat, (_, repeat) = max(results.items(), key=lambda item: item[1][1]["bytes"])
    print(f"{'repeat':<7}{repeat['bytes']:>8}{repeat['requests']:>10}  {heaviest_repeat} ({pages[heaviest_repeat]})")
    most_requests, (first, _) = max(results.items(), key=lambda item: item[1][0]["requests"])
    print(f"most requests on a first visit: {first['requests']} on {most_requests}: {first['detail']}")

    over = [f"{path}: first visit {first['bytes']} B in {first['requests']} requests {first['detail']}"
            for path, (first, _) in results.items()
            if first["bytes"] > FIRST_VISIT_BYTES or first["requests"] > FIRST_VISIT_REQUESTS]
    over += [f"{path}: repeat visit {repeat['bytes']} B {repeat['detail']}"
             for path, (_, repeat) in results.items() if repeat["bytes"] > REPEAT_VISIT_BYTES]
    over += [f"{path}: a request failed (was static/dist rebuilt during the run?): {visit['failed']}"
             for path, visits in results.items() for visit in visits if visit["failed"]]
    assert over == []
