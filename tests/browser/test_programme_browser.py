"""The programme in a real browser: the Rio timetable on a phone, and an organiser's edit."""

from __future__ import annotations

from sqlalchemy import select

from congress.archive.loader import load_archive
from congress.extensions import db
from congress.programme.models import Session
from tests.programme_support import make_user

PHONE_WIDTH = 360


def _load(live_app) -> None:
    with live_app.app_context():
        load_archive()
        db.session.commit()


def test_rio_timetable_reads_on_a_phone_without_sideways_scrolling(live_app, phone):
    _load(live_app)
    base = live_app.config["LIVE_URL"]
    phone.goto(f"{base}/en/congresses/rio-2008/programme")
    assert phone.locator("h1").inner_text() == "Programme"
    # Nothing wider than the screen: the page never scrolls sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    assert "America/Sao_Paulo, UTC−02:00" in phone.locator(".zone-note").inner_text()

    tuesday = phone.locator("section.day").first
    assert tuesday.locator("h2").inner_text() == "Tuesday, 25 November 2008 UTC−02:00"
    opening = tuesday.locator("td.session").first
    assert opening.locator(".when").inner_text() == "19:30–21:30 end time illustrative"
    assert opening.locator("h3").inner_text() == "Opening ceremony"
    # On a phone the room is named in the session, since there are no columns.
    assert "Plenary hall" in opening.locator(".meta").inner_text()
    box = opening.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH

    # A list per day in time order: Wednesday's sessions come by their start.
    wednesday = phone.locator("section.day").nth(1)
    starts = [t.split("–")[0] for t in wednesday.locator("td.session .when").all_inner_texts()]
    assert starts == sorted(starts) and starts[0] == "09:00"
    # The column headers of the wide grid are not shown on a phone.
    assert not wednesday.locator("thead").is_visible()

    # Filters work without JavaScript: a plain GET form.
    phone.select_option("select[name=kind]", "workshop")
    phone.get_by_role("button", name="Show").click()
    phone.wait_for_url("**/programme?theme=&kind=workshop")
    titles = phone.locator("td.session h3").all_inner_texts()
    assert titles == [f"Workshops on theme {n}" for n in range(1, 6)]


def _sign_in_cookie(live_app, page, user_id: int) -> None:
    """Sign in as the session cookie Flask-Login reads, without going through the account pages."""
    serializer = live_app.session_interface.get_signing_serializer(live_app)
    value = serializer.dumps({"_user_id": str(user_id), "_fresh": True})
    page.context.add_cookies(
        [
            {
                "name": live_app.config["SESSION_COOKIE_NAME"],
                "value": value,
                "url": live_app.config["LIVE_URL"],
            }
        ]
    )


def test_an_organiser_moves_and_renames_a_session(live_app, page):
    _load(live_app)
    with live_app.app_context():
        admin = make_user("admin@example.org", is_admin=True)
        db.session.commit()
        admin_id = admin.id
        panel = db.session.scalar(select(Session.id).where(Session.uid == "rio-2008-panel-2"))
    _sign_in_cookie(live_app, page, admin_id)
    base = live_app.config["LIVE_URL"]

    page.goto(f"{base}/en/manage/congresses/rio-2008/sessions/{panel}/edit")
    assert "America/Sao_Paulo, UTC−02:00" in page.locator("form.manage-form").inner_text()
    assert page.input_value("#starts_at") == "2008-11-26T11:00"
    page.fill("#title_en", "Panel 2: Legal framework and accountability (revised)")
    page.fill("#starts_at", "2008-11-26T11:30")
    page.fill("#ends_at", "2008-11-26T13:00")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"**/manage/congresses/rio-2008/sessions#s{panel}")
    assert "Session saved" in page.locator(".flash").inner_text()

    page.goto(f"{base}/en/congresses/rio-2008/sessions/{panel}")
    assert page.locator("h1").inner_text() == (
        "Panel 2: Legal framework and accountability (revised) illustrative time"
    )
    when = page.locator("dl.session-facts dd").first.inner_text()
    assert when.startswith("Wednesday, 26 November 2008, 11:30–13:00 (UTC−02:00)")
    # The archive counts as published: the change raised the revision and is listed.
    assert page.locator("dl.session-facts").inner_text().count("Revision") == 1
    assert "1 · last changed" in page.locator("dl.session-facts").inner_text()
    page.goto(f"{base}/en/congresses/rio-2008/changes")
    assert page.locator(".change-kind").all_inner_texts() == ["RENAMED", "MOVED"]
    with live_app.app_context():
        moved = db.session.get(Session, panel)
        assert moved.starts_at.isoformat() == "2008-11-26T13:30:00+00:00"
        assert moved.revision == 1

    # The organiser is an attendee too: marking a session goes through the CSRF-protected form.
    page.goto(f"{base}/en/congresses/rio-2008/programme")
    page.get_by_role("button", name="Add “Opening ceremony” to my agenda").click()
    page.wait_for_url("**/en/congresses/rio-2008/programme#s*")
    assert page.get_by_role("button", name="Remove “Opening ceremony” from my agenda").is_visible()
    page.goto(f"{base}/en/congresses/rio-2008/agenda")
    assert page.locator("ol.agenda .title").all_inner_texts() == ["Opening ceremony"]
