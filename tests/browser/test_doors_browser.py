"""Check-in at the doors in Chromium: its fake camera plays a video of badges' QR codes (one
valid, one revoked by a replacement, one unknown), and the page answers each at once."""

from __future__ import annotations

from pathlib import Path

import segno
from PIL import Image
from playwright.sync_api import expect

from congress.badges import operations
from congress.badges.rules import badge_token
from congress.extensions import db
from congress.registration.models import Category, DelegationStatus
from tests import factories
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.site import sign_in

WIDTH, HEIGHT, FPS = 480, 360, 10


def qr_frame(text: str) -> Image.Image:
    """The code as a camera would see a badge held up: black on white, in the middle."""
    rows = list(segno.make(text, error="q").matrix_iter(scale=1, border=4))
    code = Image.new("L", (len(rows), len(rows)), 255)
    code.putdata([0 if dark else 255 for row in rows for dark in row])
    code = code.resize((len(rows) * 7, len(rows) * 7), Image.Resampling.NEAREST)
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(code, ((WIDTH - code.width) // 2, (HEIGHT - code.height) // 2))
    return frame


def write_y4m(path: Path, texts: list[str], seconds_each: float = 1.5) -> None:
    """Raw YUV4MPEG2, 4:2:0: each frame its luma plane, then grey chroma planes."""
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2 * 2)
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        for text in texts:
            luma = qr_frame(text).tobytes()
            for _ in range(int(FPS * seconds_each)):
                out.write(b"FRAME\n" + luma + chroma)


def test_the_doors_read_badges_with_the_camera(live_app, playwright, tmp_path):
    app = live_app
    with app.app_context():
        congress = factories.congress("rio-2008", timezone="America/Sao_Paulo")
        organiser = factories.user("olga@example.org", organises=(congress,))
        brazil = factories.delegation(
            congress, category=Category.STATE, country_code="BR", status=DelegationStatus.ACCREDITED
        )
        maria = factories.delegate(
            brazil, given_names="Maria", family_name="Silva", email="maria@gov.br"
        )
        db.session.commit()
        (first,) = operations.issue_badges([maria])
        revoked = badge_token(first)
        valid = badge_token(operations.replace_badge(first))
        login = organiser.get_id()
    video = tmp_path / "badges.y4m"
    write_y4m(video, [valid, revoked, "CB1.AAAAAAAAAAAAAAAAAAAAAAAAAA"])
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    context.grant_permissions(["camera"], origin=app.config["LIVE_URL"])
    sign_in(app, context, login)
    page = context.new_page()
    page.goto(f"{app.config['LIVE_URL']}/en/manage/congresses/rio-2008/doors")
    answer = page.locator("#door-answer")
    for state, word in (
        ("valid", "Valid"),
        ("revoked", "Revoked"),
        ("unknown", "Unknown badge"),
    ):
        expect(answer).to_have_class(f"door-answer door-answer--{state}", timeout=20_000)
        expect(answer.locator(".door-word")).to_have_text(word)
        if state != "unknown":
            expect(answer.locator(".door-name")).to_have_text("Maria SILVA")
            expect(answer.locator(".door-delegation")).to_have_text("Brazil")
        page.screenshot(path=str(tmp_path / f"{state}.png"), full_page=True)
    # Typed by hand, without the camera.
    page.fill("#code", valid)
    page.get_by_role("button", name="Check").click()
    expect(answer).to_have_class("door-answer door-answer--valid")
    browser.close()


def test_the_photograph_is_previewed_cropped_and_shown(live_app, page, tmp_path):
    app = live_app
    with app.app_context():
        congress = factories.congress("rio-2008")
        focal = factories.user("clara@itamaraty.gov.br")
        brazil = factories.delegation(congress, focal_point=focal, country_code="BR")
        maria = factories.delegate(
            brazil, given_names="Maria", family_name="Silva", email="maria@gov.br"
        )
        db.session.commit()
        login, address = focal.get_id(), f"/en/delegations/{brazil.id}/photos/{maria.id}"
    landscape = tmp_path / "landscape.png"
    Image.new("RGB", (1200, 600), (30, 90, 160)).save(landscape)
    sign_in(app, page.context, login)
    page.goto(app.config["LIVE_URL"] + address)
    page.set_input_files("#photo", str(landscape))
    expect(page.locator("#crop-preview")).to_be_visible()
    # The centred 35:45 part of a 1200 × 600 image: 467 pixels wide, from 366.
    expect(page.locator("#crop_left")).to_have_value("366")
    expect(page.locator("#crop_width")).to_have_value("467")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".govuk-notification-banner, .flash").first).to_contain_text(
        "The photograph of Maria Silva is saved."
    )
    stored = page.locator("#photo-stored")
    expect(stored).to_be_visible()
    assert page.evaluate("document.getElementById('photo-stored').naturalWidth") == 700
    page.screenshot(path=str(tmp_path / "upload.png"), full_page=True)
