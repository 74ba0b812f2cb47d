"""The built book in a real browser: headless Chromium (Debian's package) driven by Selenium.

Every page of ``_build/html`` is served on localhost and opened. Each must load without console
errors, have every formula typeset by MathJax (served by the book itself: no network), every
image loaded, every theorem numbered, no unresolved cross-reference, and every internal link
must reach an existing page and anchor. A full-page screenshot of each page is saved under
``_build/screenshots/``. ``make test`` installs chromium and chromium-driver where missing.
"""

import functools
import http.server
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urljoin, urldefrag, urlparse

import pytest

from supermodel import paths

HTML = paths.build_dir() / "html"
SHOTS = paths.build_dir() / "screenshots"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"

pytestmark = pytest.mark.slow

# Runs in the page: what a reader would see broken. Returns a dict of findings.
INSPECT = r"""
const done = arguments[arguments.length - 1];
const report = (mathjax) => {
  const skip = new Set(["PRE", "CODE", "SCRIPT", "STYLE", "TEXTAREA", "MJX-CONTAINER"]);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      for (let el = node.parentElement; el; el = el.parentElement) {
        if (skip.has(el.tagName.toUpperCase()) || el.classList.contains("highlight")) return NodeFilter.FILTER_REJECT;
      }
      return NodeFilter.FILTER_ACCEPT;
    }
  });
  const rawTex = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = n.textContent;
    if (t.includes("$$") || t.includes("\\(") || t.includes("\\[") || t.includes("\\begin{")) rawTex.push(t.trim().slice(0, 80));
  }
  const math = [...document.querySelectorAll(".math")];
  done({
    url: location.href,
    mathjax: mathjax,
    nMath: math.length,
    untypeset: math.filter(m => !m.querySelector("mjx-container")).map(m => m.textContent.slice(0, 80)),
    mathErrors: [...document.querySelectorAll("mjx-merror, [data-mjx-error]")].map(e => e.textContent.slice(0, 80)),
    rawTex: rawTex,
    images: [...document.images].map(i => ({src: i.getAttribute("src"), ok: i.complete && i.naturalWidth > 0})),
    unresolved: [...document.querySelectorAll(".xref")].filter(x => !x.closest("a")).map(x => x.textContent),
    questionMarks: [...document.querySelectorAll("a.reference")].filter(a => a.textContent.includes("??")).length,
    theorems: [...document.querySelectorAll(".proof.theorem > .admonition-title")].map(t => t.textContent.trim()),
    links: [...document.querySelectorAll("a[href]")].map(a => a.href),
    height: Math.max(document.body.scrollHeight, document.documentElement.scrollHeight),
  });
};
// every wait is bounded, so a broken page reports instead of hanging the test
const settle = (p, ms, what) => Promise.race([p, new Promise(r => setTimeout(() => r(what + " timed out"), ms))]);
document.querySelectorAll("img").forEach(i => { i.loading = "eager"; i.scrollIntoView(); });
window.scrollTo(0, 0);
const loaded = document.readyState === "complete" ? Promise.resolve()
  : new Promise(r => window.addEventListener("load", r, {once: true}));
const images = Promise.all([...document.images].map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
settle(loaded.then(() => images), 20000, "images").then(() => {
  if (!document.querySelector(".math")) return report("not needed");
  if (!window.MathJax || !MathJax.startup || !MathJax.startup.promise) return report("missing");
  settle(MathJax.startup.promise.then(() => "ok", (e) => "error: " + e), 30000, "typesetting").then(report);
});
"""


def _redirect(path: Path) -> str | None:
    """The target of a meta-refresh page (Jupyter Book's root index.html), else None."""
    found = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', path.read_text(), re.IGNORECASE)
    return found.group(1) if found else None


def _pages():
    """Every HTML page of the build except redirects (checked on their own)."""
    return sorted(p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html")
                  if "_static" not in p.parts and _redirect(p) is None)


def test_redirects_reach_a_page():
    redirects = {p: _redirect(p) for p in HTML.rglob("*.html") if _redirect(p)}
    assert HTML / "index.html" in redirects
    for page, target in redirects.items():
        assert (page.parent / target).is_file(), (page, target)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    if not (HTML / "index.html").is_file():
        pytest.fail(f"no built book at {HTML}: run `make book` first (`make test` does)")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(HTML)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).is_file():
            pytest.fail(f"{path} is missing: `make test` installs Debian's chromium and chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-quic", "--window-size=1280,1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_script_timeout(60)
    driver.set_page_load_timeout(60)
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    yield driver
    driver.quit()


def _open(browser, url: str) -> None:
    """Navigate and wait until this very page has loaded (``get`` can return while the old page is still shown)."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(url)
    WebDriverWait(browser, 30).until(lambda b: b.execute_script(
        "return location.href === arguments[0] && document.readyState === 'complete'", url))


def _shot_path(page: str) -> Path:
    return SHOTS / (page.replace("/", "__").removesuffix(".html") + ".png")


@pytest.fixture(scope="module")
def visited(server, browser):
    """Every page opened once: its findings and console errors; then a full-page screenshot of each."""
    out = {}
    for page in _pages():
        browser.get_log("browser")  # drop messages of the previous page
        _open(browser, urljoin(server, page))
        found = browser.execute_async_script(INSPECT)
        assert found["url"] == urljoin(server, page), f"opened {page}, inspected {found['url']}"
        found["console"] = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]  # errors
        out[page] = found
    # screenshots after the inspection: resizing the window while a page is inspected disturbs it
    for page, found in out.items():
        browser.set_window_size(1280, min(found["height"], 16000))
        _open(browser, urljoin(server, page))
        browser.execute_async_script(INSPECT)  # wait for images and typesetting again
        browser.save_screenshot(str(_shot_path(page)))
    browser.set_window_size(1280, 1000)
    return out


def test_every_page_was_opened(visited):
    assert len(visited) >= 14  # 11 book pages, search, genindex, the proof index
    assert {"book/intro.html", "book/derivations.html", "book/reproducibility.html"} <= set(visited)
    assert all(_shot_path(p).stat().st_size > 10_000 for p in visited)


@pytest.mark.parametrize("check", ["console", "mathematics", "images", "references", "theorems"])
def test_pages(visited, check):
    problems = []
    for page, f in visited.items():
        if check == "console" and f["console"]:
            problems.append((page, [e["message"][:200] for e in f["console"]]))
        if check == "mathematics":
            if f["nMath"] and f["mathjax"] != "ok":
                problems.append((page, f"MathJax {f['mathjax']}"))
            if f["untypeset"] or f["mathErrors"] or f["rawTex"]:
                problems.append((page, f["untypeset"][:3], f["mathErrors"][:3], f["rawTex"][:3]))
        if check == "images":
            broken = [i["src"] for i in f["images"] if not i["ok"]]
            if broken:
                problems.append((page, broken))
        if check == "references" and (f["unresolved"] or f["questionMarks"]):
            problems.append((page, f["unresolved"][:5], f["questionMarks"]))
        if check == "theorems":
            unnumbered = [t for t in f["theorems"] if not t.startswith("Theorem ") or not t.split()[1].isdigit()]
            if unnumbered:
                problems.append((page, unnumbered))
    assert not problems, problems


def test_the_book_shows_what_it_claims(visited):
    """The failure modes above would pass on empty pages; the chapters must actually hold their content."""
    chapters = {p: f for p, f in visited.items() if p.startswith("book/")}
    assert sum(f["nMath"] for f in chapters.values()) > 200
    assert sum(len(f["images"]) for f in chapters.values()) >= 16  # every chapter figure
    assert sum(len(f["theorems"]) for f in chapters.values()) >= 7
    assert visited["book/derivations.html"]["nMath"] >= 18


def test_internal_links_reach_a_page_and_an_anchor(server, visited, browser):
    ids: dict[str, set] = {}

    def anchors(path):
        if path not in ids:
            _open(browser, urljoin(server, path))
            ids[path] = set(browser.execute_script("return [...document.querySelectorAll('[id]')].map(e => e.id)"))
        return ids[path]

    broken = []
    for page, f in visited.items():
        for link in f["links"]:
            url, fragment = urldefrag(link)
            if not url.startswith(server):
                assert urlparse(url).scheme in ("http", "https", "mailto", ""), link
                continue  # external: never fetched, no test needs the network
            path = url[len(server):] or "index.html"
            if path.endswith("/"):
                path += "index.html"
            if not (HTML / path).is_file():
                broken.append((page, link))
            elif fragment and path.endswith(".html") and fragment not in anchors(path):
                broken.append((page, link))
    assert not broken, broken[:20]
