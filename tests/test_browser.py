"""The published HTML in a real headless Chromium (Debian's ``chromium``, driven by
Playwright; Playwright's own browser download is not used): it loads from a file
with no console error and no network request, shows the Chinese text in Noto Sans
CJK SC (no missing glyph), and reads on a desktop and on a 390 px phone screen.

Set ``BULLETIN_SCREENSHOTS=<folder>`` to keep the screenshots for a look.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

from bulletin.publish import html_pdf as publish

_spec = importlib.util.spec_from_file_location("_bulletin_publish_tests", Path(__file__).with_name("test_publish.py"))
pub = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pub)
demo = pub.demo

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The bulletin page (demo data, an earlier snapshot, hostile ledger text) opened
    in Chromium at both viewports: what the browser logged, requested and drew."""
    sync_api = pytest.importorskip("playwright.sync_api")
    root = tmp_path_factory.mktemp("browser")
    base = demo.write_demo_processed(root / "processed", history={"2020-05": demo.earlier_overrides()})
    doc = demo.doc_for(base)
    page_file = root / "bulletin.html"
    page_file.write_text(publish.export_html(pub._executed_like(doc)), encoding="utf-8")
    url = page_file.resolve().as_uri()
    shots = Path(os.environ.get("BULLETIN_SCREENSHOTS") or root)
    shots.mkdir(parents=True, exist_ok=True)
    out = {"url": url, "title": doc.title}
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for name, viewport in VIEWPORTS.items():
                context = browser.new_context(
                    viewport=viewport, is_mobile=name == "phone", device_scale_factor=2 if name == "phone" else 1
                )
                page = context.new_page()
                log, requests, errors = [], [], []
                page.on("console", lambda m, log=log: log.append((m.type, m.text)))
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                page.on("request", lambda r, requests=requests: requests.append(r.url))
                page.goto(url, wait_until="load")
                page.evaluate("document.fonts.ready")
                shot = shots / f"bulletin-{name}.png"
                page.screenshot(path=str(shot), full_page=True)
                title_shot = page.locator("h1.bulletin-title").screenshot()
                cdp = context.new_cdp_session(page)
                cdp.send("DOM.enable")
                cdp.send("CSS.enable")
                doc = cdp.send("DOM.getDocument")
                node = cdp.send("DOM.querySelector", {"nodeId": doc["root"]["nodeId"], "selector": "h1.bulletin-title"})
                fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
                out[name] = {
                    "log": log,
                    "errors": errors,
                    "requests": requests,
                    "shot": shot,
                    "title_png": title_shot,
                    "fonts": fonts,
                    "h1": page.inner_text("h1.bulletin-title"),
                    "scroll_width": page.evaluate("document.documentElement.scrollWidth"),
                    "lang": page.evaluate("document.documentElement.lang"),
                    "font_ok": page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"', '通报')"),
                    "wide_charts": page.locator(".chart-wide svg").evaluate_all(
                        "els => els.filter(e => e.getBoundingClientRect().width > 0).length"
                    ),
                    "narrow_charts": page.locator(".chart-narrow svg").evaluate_all(
                        "els => els.filter(e => e.getBoundingClientRect().width > 0).length"
                    ),
                    "lead_px": page.evaluate("parseFloat(getComputedStyle(document.querySelector('p.lead')).fontSize)"),
                    "sticky": page.evaluate("getComputedStyle(document.querySelector('tbody th.region')).position"),
                    "escaped": page.evaluate(
                        "[...document.querySelectorAll('td')].some(td => td.textContent"
                        " === '<script>alert(1)</script>')"
                    ),
                    "scripts": page.evaluate("document.scripts.length"),
                }
                context.close()
        finally:
            browser.close()
    print("screenshots:", shots)
    return out


@pytest.mark.parametrize("name", list(VIEWPORTS))
def test_loads_offline_without_console_errors(pages, name):
    seen = pages[name]
    assert seen["errors"] == []
    assert [m for m in seen["log"] if m[0] in ("error", "warning")] == []
    assert seen["requests"] == [pages["url"]]  # the file itself, nothing else
    assert seen["scripts"] == 0
    # ledger text is shown as text: the hostile project name is a cell's text, not a tag
    assert seen["escaped"] is True


@pytest.mark.parametrize("name", list(VIEWPORTS))
def test_chinese_text_is_drawn_in_the_cjk_font(pages, name):
    seen = pages[name]
    assert seen["lang"] == "zh"
    assert seen["h1"].replace("\n", "") == pages["title"]  # in lines broken between phrases
    assert seen["font_ok"] is True
    # every glyph of the title comes from Noto Sans CJK SC: no fallback, no missing glyph
    assert seen["fonts"] and all("Noto Sans CJK" in f["familyName"] for f in seen["fonts"])
    assert sum(f["glyphCount"] for f in seen["fonts"]) == len(pages["title"])
    # and the title is really drawn (dark red ink on white)
    from io import BytesIO

    import numpy as np
    from PIL import Image

    px = np.asarray(Image.open(BytesIO(seen["title_png"])).convert("RGB")).astype(int)
    reds = int(((px[..., 0] > 120) & (px[..., 1] < 90) & (px[..., 2] < 90)).sum())
    assert reds > 500
    assert seen["shot"].stat().st_size > 50_000


def test_desktop_layout(pages):
    seen = pages["desktop"]
    assert seen["scroll_width"] <= VIEWPORTS["desktop"]["width"]
    assert seen["wide_charts"] == 3 and seen["narrow_charts"] == 0


def test_phone_layout(pages):
    """On a phone the page does not scroll sideways (wide tables scroll in their own
    box, the region column stays put), charts are the narrow drawings, text is large
    enough to read."""
    seen = pages["phone"]
    assert seen["scroll_width"] <= VIEWPORTS["phone"]["width"]
    assert seen["narrow_charts"] == 3 and seen["wide_charts"] == 0
    assert seen["lead_px"] >= 15
    assert seen["sticky"] == "sticky"
