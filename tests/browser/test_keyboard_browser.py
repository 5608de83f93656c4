"""Registration with the keyboard alone: the skip link, a visible focus, the error summary that
takes the focus after a failed submit and leads to the field, then a delegation registered,
its member added, its letter chosen and the whole checked and submitted, without a click."""

from __future__ import annotations

from playwright.sync_api import expect

from congress.extensions import db
from tests.browser import site as walk
from tests.registration_support import make_congress, make_user, pdf_bytes

# GOV.UK Frontend's focus colour: what a focused link or button is painted with.
FOCUS_YELLOW = "rgb(255, 221, 0)"


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the focus is on ``selector``, as a keyboard user moves through a page."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


def arrive(page, heading: str) -> None:
    """Wait for the page titled ``heading`` and for its scripts: GOV.UK Frontend's components
    run once the document has been read and may add or hide controls (the menu's button), so
    the Tab order is the page's own only after them."""
    expect(page.locator("h1")).to_have_text(heading)
    page.wait_for_load_state("load")


def focused(page, script: str):
    return page.evaluate(f"() => {{ const e = document.activeElement; return {script}; }}")


def test_a_focal_point_registers_and_submits_with_the_keyboard_alone(live_app, browser):
    with live_app.app_context():
        make_congress(slug="keyboard")
        user = make_user("dana@mre.gov.br", name="Dana Reis")
        db.session.commit()
        login = user.get_id()
    base = live_app.config["LIVE_URL"]
    context = browser.new_context()
    walk.sign_in(live_app, context, login)
    page = context.new_page()
    # Playwright turns on the browser's interception of file choosers when the first listener
    # is added, without waiting for it; adding one now has it on long before the letter's
    # Space, which could otherwise reach the page first and open a chooser nobody sees.
    page.on("filechooser", lambda chooser: None)
    page.goto(f"{base}/en/congresses/keyboard/register")

    # The first Tab reaches the skip link, painted in the focus colour; Enter skips the menus.
    page.keyboard.press("Tab")
    assert focused(page, "e.textContent") == "Skip to main content"
    assert focused(page, "getComputedStyle(e).backgroundColor") == FOCUS_YELLOW
    page.keyboard.press("Enter")
    assert focused(page, "e.id") == "main-content"

    # Submitted empty: the error summary takes the focus, and its link leads to the field.
    tab_to(page, "form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    assert "There is a problem" in summary.inner_text()
    target = summary.locator("a").first.get_attribute("href")
    page.keyboard.press("Tab")
    assert focused(page, "e.closest('.govuk-error-summary') !== null")
    page.keyboard.press("Enter")
    expect(page.locator(target)).to_be_focused()

    # A State, Brazil: chosen by typing, as a select answers the keyboard.
    tab_to(page, "#category")
    page.keyboard.type("Non")
    assert page.input_value("#category") == "ngo"
    page.wait_for_timeout(1100)  # a new word, not the end of the last one
    page.keyboard.type("State")
    assert page.input_value("#category") == "state"
    tab_to(page, "#country_code")
    page.keyboard.type("Brazil")
    assert page.input_value("#country_code") == "BR"
    tab_to(page, "form button[type=submit]")
    assert (
        focused(page, "getComputedStyle(e).outlineStyle") != "none"
        or focused(page, "getComputedStyle(e).boxShadow") != "none"
    )
    page.keyboard.press("Enter")
    arrive(page, "Brazil")

    # A member.
    tab_to(page, "a[href$='/delegates/new']")
    page.keyboard.press("Enter")
    arrive(page, "Add a member")
    tab_to(page, "#title")
    page.keyboard.type("Ms")
    assert page.input_value("#title") == "ms"
    tab_to(page, "#given_names")
    page.keyboard.type("Ana Beatriz")
    tab_to(page, "#family_name")
    page.keyboard.type("Souza")
    tab_to(page, "#role")
    page.keyboard.type("Head")
    tab_to(page, "#email")
    page.keyboard.type("ana.souza@sedh.gov.br")
    tab_to(page, "#public_consent")
    page.keyboard.press("Space")
    assert page.is_checked("#public_consent")
    tab_to(page, "form button[type=submit]")
    page.keyboard.press("Enter")
    arrive(page, "Brazil")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Ana Beatriz Souza is added")
    expect(page.locator("table.members tbody tr")).to_have_count(1)

    # The letter: the file input opens the file chooser from the keyboard.
    tab_to(page, "#credentials")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(
        files=[{"name": "nota-verbal.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    tab_to(page, "form[action$='/credentials'] button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="nota-verbal.pdf")).to_be_visible()

    # And the delegation goes to the organisers, from the check page.
    tab_to(page, "a[href$='/check']")
    page.keyboard.press("Enter")
    arrive(page, "Check the delegation before submitting it")
    tab_to(page, "form[action$='/submit'] button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("dd .status")).to_have_text("Submitted")
    context.close()
