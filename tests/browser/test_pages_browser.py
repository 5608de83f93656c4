"""Every page of the site, in Chromium: as wide as a phone at most, and clean for axe-core.

The walk visits each page as the visitor it is made for (anonymous, a focal point, an organiser
who administers the site too), on a desktop screen and on a 360-pixel phone, in English and in
French, and runs axe-core's WCAG 2.1 A and AA rules on each. A page the walk does not name fails
the first test, so a new page cannot escape it. The same walk takes the README's screenshots.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image

from tests.browser import site as walk
from tests.browser.conftest import DESKTOP, PHONE

LANGUAGES = ("en", "fr")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The pages the README shows: (file name, visitor, endpoint, arguments, query).
SCREENSHOTS = [
    ("home", "anonymous", "archive.home", {}, ""),
    ("congress", "anonymous", "archive.congress", {"slug": "rio-2008"}, ""),
    ("timetable", "focal point", "programme.timetable", {"slug": "demo"}, ""),
    ("delegation", "focal point", "registration.delegation", "draft", ""),
    ("queue", "organiser", "registration.queue", {"slug": "demo"}, ""),
    ("participants", "anonymous", "participants.public_list", {"slug": "demo"}, ""),
]


def _context(browser, app, site, visitor: str, viewport: dict):
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE, bypass_csp=True)
    if visitor == "focal point":
        walk.sign_in(app, context, site.focal_point_login)
    elif visitor == "organiser":
        walk.sign_in(app, context, site.organiser_login)
    return context


def test_the_walk_names_every_page_of_the_site(seeded):
    app, site = seeded
    named = {endpoint for pages in walk.pages(site).values() for endpoint, _, _ in pages}
    assert walk.page_endpoints(app) - named == set()


def test_every_page_fits_a_phone_and_passes_axe_in_two_languages(seeded, browser, axe_source):
    app, site = seeded
    base = app.config["LIVE_URL"]
    too_wide, violations, not_reached = [], [], []
    visited = 0
    for visitor, pages in walk.pages(site).items():
        for viewport in (DESKTOP, PHONE):
            context = _context(browser, app, site, visitor, viewport)
            page = context.new_page()
            for lang in LANGUAGES:
                for endpoint, values, query in pages:
                    url = base + walk.address(app, lang, endpoint, values, query)
                    response = page.goto(url)
                    if response.status != 200 or page.url != url:
                        not_reached.append(f"{visitor}: {url} → {response.status} {page.url}")
                        continue
                    visited += 1
                    if viewport is PHONE:
                        width = page.evaluate("document.documentElement.scrollWidth")
                        if width > PHONE["width"]:
                            too_wide.append(f"{visitor}: {url} is {width} px wide")
                    page.add_script_tag(content=axe_source)
                    found = page.evaluate(
                        """tags => axe.run(document, {runOnly: {type: "tag", values: tags}})
                        .then(r => r.violations.map(v => v.id + ": " + v.help + " (" +
                          v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ") + ")"))""",
                        AXE_TAGS,
                    )
                    where = f"{visitor}, {viewport['width']} px: {url}"
                    violations.extend(f"{where}: {v}" for v in found)
            context.close()
    problems = not_reached + too_wide + violations
    assert not problems, "\n".join(problems)
    # Every page, for its visitor, on both screens, in both languages.
    assert visited == sum(len(p) for p in walk.pages(site).values()) * 2 * len(LANGUAGES)


def test_the_timetable_keeps_its_room_headers_in_view_and_says_it_scrolls(seeded, browser):
    app, site = seeded
    base = app.config["LIVE_URL"]
    context = _context(browser, app, site, "anonymous", {"width": 1024, "height": 700})
    page = context.new_page()
    page.goto(base + walk.address(app, "en", "programme.timetable", {"slug": "demo"}, ""))
    box = page.locator(".timetable-box").first
    viewport = box.locator(".scroll-box__viewport")
    # Six rooms do not fit 1024 pixels: the cue says so, and the shadow sits on the far side.
    cue = box.locator(".scroll-box__cue")
    assert cue.is_visible()
    assert cue.inner_text() == "6 rooms: scroll sideways to see them all"
    assert "has-more-after" in box.get_attribute("class")
    assert "has-more-before" not in box.get_attribute("class")
    viewport.evaluate("v => { v.scrollLeft = v.scrollWidth; }")
    page.wait_for_function("b => b.classList.contains('has-more-before')", arg=box.element_handle())
    # Scrolled down inside its box, the room headers stay at its top.
    header = box.locator("thead th.room-head").first
    top = header.bounding_box()["y"]
    viewport.evaluate("v => { v.scrollTop = 400; }")
    page.wait_for_timeout(50)
    assert abs(header.bounding_box()["y"] - top) < 1
    assert header.inner_text() == "Room 1"
    # The jump links lead to each day, and the first to what is on now.
    links = page.locator(".day-links__link").all_inner_texts()
    assert links == ["Now and next", "Tue 23 Nov", "Wed 24 Nov", "Thu 25 Nov"]
    page.get_by_role("link", name="Thu 25 Nov").click()
    page.wait_for_url("**/programme#day-2027-11-25")
    assert page.locator("#day-2027-11-25").bounding_box()["y"] < 50
    now = page.locator("#now-and-next")
    assert "It is 10:15 in Demo City (UTC−03:00)." in now.inner_text()
    context.close()


def test_on_a_phone_the_menu_folds_behind_its_button(seeded, browser):
    app, site = seeded
    context = _context(browser, app, site, "focal point", PHONE)
    page = context.new_page()
    page.goto(app.config["LIVE_URL"] + "/en/")
    menu = page.get_by_role("button", name="Menu")
    links = page.locator("#site-navigation-list")
    assert menu.is_visible() and not links.is_visible()
    # The whole header, languages included, takes a slim band of the screen.
    header = page.locator(".site-header").bounding_box()
    navigation = page.locator(".site-navigation").bounding_box()
    assert header["height"] + navigation["height"] < 120
    assert page.get_by_role("link", name="Português").is_visible()
    menu.click()
    assert links.is_visible()
    assert page.get_by_role("link", name="Your delegations").is_visible()
    context.close()


def test_screenshots_of_the_main_pages(seeded, browser, tmp_path):
    """The README's pictures: desktop and phone, written to CONGRESS_SCREENSHOTS if it is set
    (tools/screenshots.sh), to a temporary folder otherwise."""
    app, site = seeded
    folder = Path(os.environ.get("CONGRESS_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    base = app.config["LIVE_URL"]
    for name, visitor, endpoint, values, query in SCREENSHOTS:
        if values == "draft":
            values = {"delegation_id": site.delegation_id}
        for screen, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            context = _context(browser, app, site, visitor, viewport)
            page = context.new_page()
            page.goto(base + walk.address(app, "en", endpoint, values, query))
            shot = Image.open(io.BytesIO(page.screenshot()))
            context.close()
            assert shot.size == (viewport["width"], viewport["height"])
            # A palette of 128 colours keeps each picture small enough for the repository.
            small = shot.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
            path = folder / f"{name}-{screen}.png"
            small.save(path, optimize=True)
            assert 0 < path.stat().st_size < 250_000, path
