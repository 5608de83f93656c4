"""Every page of the site in Arabic, in Chromium: right to left, nothing wider than the screen,
clean for axe-core, on a desktop screen and on a 360-pixel phone.

The walk is the one of test_pages_browser.py (every page, as the visitor it is made for). The
screenshots of the main pages in Arabic are written to CONGRESS_SCREENSHOTS when it is set.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.browser import site as walk
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_pages_browser import AXE_TAGS, SCREENSHOTS, _context

# What a page says of its own direction and width, and where the header's first item sits.
MEASURE = """() => {
  const root = document.documentElement;
  const name = document.querySelector(".site-header__name").getBoundingClientRect();
  const bar = document.querySelector(".site-header__bar");
  const barEnd = bar.getBoundingClientRect().right - parseFloat(getComputedStyle(bar).paddingRight);
  return {
    lang: root.lang, dir: root.dir, direction: getComputedStyle(document.body).direction,
    scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
    nameStart: name.right, barEnd: barEnd, width: window.innerWidth,
  };
}"""


def test_every_page_in_arabic_reads_right_to_left_fits_and_passes_axe(seeded, browser, axe_source):
    app, site = seeded
    base = app.config["LIVE_URL"]
    problems, visited = [], 0
    for visitor, pages in walk.pages(site).items():
        for viewport in (DESKTOP, PHONE):
            context = _context(browser, app, site, visitor, viewport)
            page = context.new_page()
            for endpoint, values, query in pages:
                url = base + walk.address(app, "ar", endpoint, values, query)
                response = page.goto(url)
                where = f"{visitor}, {viewport['width']} px: {url}"
                if response.status != 200 or page.url != url:
                    problems.append(f"{where} → {response.status} {page.url}")
                    continue
                visited += 1
                seen = page.evaluate(MEASURE)
                if (seen["lang"], seen["dir"], seen["direction"]) != ("ar", "rtl", "rtl"):
                    problems.append(f"{where}: lang, dir, direction {seen}")
                if seen["scrollWidth"] > seen["clientWidth"]:
                    problems.append(
                        f"{where}: {seen['scrollWidth']} px wide in {seen['clientWidth']} px"
                    )
                # Mirrored: the site's name starts the header, at its right-hand edge.
                if (
                    abs(seen["nameStart"] - seen["barEnd"]) > 2
                    or seen["barEnd"] < seen["width"] / 2
                ):
                    problems.append(
                        f"{where}: the header's name ends at {seen['nameStart']} px,"
                        f" the header at {seen['barEnd']} px"
                    )
                page.add_script_tag(content=axe_source)
                found = page.evaluate(
                    """tags => axe.run(document, {runOnly: {type: "tag", values: tags}})
                    .then(r => r.violations.map(v => v.id + ": " + v.help + " (" +
                      v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ") + ")"))""",
                    AXE_TAGS,
                )
                problems.extend(f"{where}: {v}" for v in found)
            context.close()
    assert not problems, "\n".join(problems)
    assert visited == sum(len(p) for p in walk.pages(site).values()) * 2


def test_arabic_pages_mirror_the_layout_and_isolate_latin_names(seeded, browser, tmp_path):
    app, site = seeded
    base = app.config["LIVE_URL"]
    folder = Path(os.environ.get("CONGRESS_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    for name, visitor, endpoint, values, query in SCREENSHOTS:
        if values == "draft":
            values = {"delegation_id": site.delegation_id}
        for screen, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            context = _context(browser, app, site, visitor, viewport)
            page = context.new_page()
            page.goto(base + walk.address(app, "ar", endpoint, values, query))
            page.screenshot(path=folder / f"{name}-ar-{screen}.png", full_page=True)
            context.close()
    context = _context(browser, app, site, "anonymous", DESKTOP)
    page = context.new_page()
    page.goto(base + walk.address(app, "ar", "participants.public_list", {"slug": "demo"}, ""))
    # A table's first column is on the right, its text aligned to the right.
    first = page.locator("table th").first
    box = first.bounding_box()
    table = page.locator("table").first.bounding_box()
    assert box["x"] + box["width"] > table["x"] + table["width"] - 2
    assert first.evaluate("e => getComputedStyle(e).textAlign") in ("right", "start")
    # Names in Latin letters are isolated from the Arabic around them.
    isolated = page.locator("bdi").count()
    assert isolated > 0
    context.close()
