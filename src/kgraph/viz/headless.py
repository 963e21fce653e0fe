"""Open a kgraph page in headless Chromium with the network cut off.

Used by the browser tests, the benchmark and the screenshot script, so all
three see the page as a reader on a train would: every request other than
the page itself is blocked and recorded, console errors are collected.
Needs playwright (``pip install -e '.[test]'``) and a Chromium binary
(Debian's ``chromium`` package; playwright's own browser download is not
needed).

>>> from kgraph.viz.headless import chromium, open_offline     # doctest: +SKIP
>>> with chromium() as browser:                                # doctest: +SKIP
...     visit = open_offline(browser, Path("graph/kazakhstan-2022.html"))
...     visit.page.screenshot(path="shot.png")
...     assert not visit.requests and not visit.errors
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KgraphError

__all__ = ["chromium", "open_offline", "Visit", "find_chromium", "CHROMIUM_ARGS", "PAGE_URL", "VIEWPORT"]

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-default-apps", "--disable-extensions",
]
# Pages given as bytes are served under this made-up origin (.invalid never resolves).
PAGE_URL = "http://kgraph.invalid/page.html"
VIEWPORT = {"width": 1366, "height": 768}  # a common laptop screen


def find_chromium() -> str | None:
    """The Chromium to drive: ``$KGRAPH_CHROMIUM``, else the first chromium on PATH."""
    for candidate in (os.environ.get("KGRAPH_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


@contextmanager
def chromium():
    """A headless Chromium browser (playwright), closed on exit."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise KgraphError("playwright is not installed; pip install -e '.[test]'") from None
    binary = find_chromium()
    if binary is None:
        raise KgraphError("no chromium found; install it (apt-get install chromium) or set KGRAPH_CHROMIUM")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=binary, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    page: object  # playwright Page
    requests: list[str] = field(default_factory=list)  # every blocked request, by URL
    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions
    dialogs: list[str] = field(default_factory=list)  # alert/confirm/prompt messages (dismissed)

    def close(self) -> None:
        self.page.context.close()


def open_offline(browser, html: Path | bytes, *, viewport: dict | None = None, wait: bool = True) -> Visit:
    """Open ``html`` with every other request blocked and recorded.

    A path opens as a ``file://`` URL, the way a reader opens the file; bytes
    are served as :data:`PAGE_URL`, a web origin where any relative link would
    reach the network. With ``wait`` returns once the network has drawn
    (``data-ready`` on <html>).
    """
    if isinstance(html, bytes):
        url, body = PAGE_URL, html
    else:
        url, body = Path(html).resolve().as_uri(), None
    context = browser.new_context(viewport=viewport or VIEWPORT, service_workers="block")
    page = context.new_page()
    visit = Visit(page)

    def route(request_route):
        request = request_route.request
        if request.url != url or not request.is_navigation_request():
            request_route.abort()
        elif body is not None:
            request_route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body)
        else:
            request_route.continue_()

    context.route("**/*", route)
    page.on("request", lambda request: request.url != url and visit.requests.append(request.url))
    page.on("console", lambda msg: msg.type == "error" and visit.errors.append(msg.text))
    page.on("pageerror", lambda exc: visit.errors.append(str(exc)))
    page.on("dialog", lambda dialog: (visit.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url)
    if wait:
        page.wait_for_selector("html[data-ready='1']", state="attached", timeout=30_000)
    return visit
