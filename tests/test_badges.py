"""Photographs, badges with QR codes, the badge desk, the doors and erasure: each access rule
tried on the HTML, the image, the PDF and the JSON answer."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import func, select

from congress.audit.models import AuditEntry
from congress.badges.models import Badge, BadgeSettings, Entry, Photo
from congress.extensions import db
from congress.registration.models import DelegationStatus
from tests.pdf_support import get_pdf
from tests.registration_support import (
    make_congress,
    make_delegate,
    make_delegation,
    make_user,
    sign_in,
)

S = DelegationStatus
MANAGE = "/en/manage/congresses/rio-2008/badges"


@pytest.fixture
def world(app):
    with app.app_context():
        rio = make_congress()
        lisbon = make_congress("lisbon-2030", name={"en": "Lisbon Congress"})
        focal = make_user("clara@itamaraty.gov.br")
        other_focal = make_user("juan@cancilleria.gob.ar")
        organiser = make_user("olga@example.org", organises=(rio,))
        stranger = make_user("lena@example.org", organises=(lisbon,))
        brazil = make_delegation(rio, focal, status=S.ACCREDITED)
        maria = make_delegate(
            brazil,
            "maria@gov.br",
            given_names="Maria",
            family_name="da Silva",
            preferred_language="pt",
        )
        argentina = make_delegation(rio, other_focal, country_code="AR")
        db.session.commit()
        return {
            "rio": rio.id,
            "focal": focal.id,
            "other_focal": other_focal.id,
            "organiser": organiser.id,
            "stranger": stranger.id,
            "brazil": brazil.id,
            "maria": maria.id,
            "argentina": argentina.id,
        }


def jpeg(size=(800, 800), exif=True) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    out = io.BytesIO()
    extra = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretPhoneMaker"
        extra["exif"] = data.tobytes()
    image.save(out, "JPEG", **extra)
    return out.getvalue()


def upload(client, world, data: bytes, name="me.jpg", **crop):
    return client.post(
        f"/en/delegations/{world['brazil']}/photos/{world['maria']}",
        data={"photo": (io.BytesIO(data), name), **crop},
        content_type="multipart/form-data",
    )


def test_photo_is_checked_cropped_stripped_and_kept_outside_static(app, client, world):
    sign_in(client, world["focal"])
    response = upload(client, world, jpeg((800, 800)))
    assert response.status_code == 302
    with app.app_context():
        photo = db.session.scalar(select(Photo))
        path = Path(app.instance_path) / "photos" / photo.filename
    with Image.open(path) as stored:
        assert stored.format == "JPEG" and stored.size == (700, 900)
    assert b"SecretPhoneMaker" not in path.read_bytes()
    assert not str(path).startswith(app.static_folder)
    image = client.get(f"/en/delegations/{world['brazil']}/photos/{world['maria']}.jpg")
    assert image.status_code == 200 and image.mimetype == "image/jpeg"
    assert image.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a" + b"\0" * 100, "The photograph must be a JPEG or PNG image."),
        (b"not an image at all", "The photograph must be a JPEG or PNG image."),
        (jpeg((100, 100)), "The photograph is too small: 210 × 270 pixels at least."),
    ],
)
def test_bad_photos_are_refused_next_to_the_field(client, world, data, message):
    sign_in(client, world["focal"])
    response = upload(client, world, data, name="photo.jpg")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_decompression_bomb_is_refused(client, world):
    image = Image.new("1", (10000, 10000))
    out = io.BytesIO()
    image.save(out, "PNG")
    sign_in(client, world["focal"])
    response = upload(client, world, out.getvalue(), name="bomb.png")
    assert response.status_code == 400
    assert "too many pixels" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("who", "status"),
    [("focal", 200), ("organiser", 200), ("other_focal", 404), ("stranger", 404)],
)
def test_photo_is_shown_to_its_focal_point_and_organisers_only(app, client, world, who, status):
    sign_in(client, world["focal"])
    assert upload(client, world, jpeg()).status_code == 302
    sign_in(client, world[who])
    url = f"/en/delegations/{world['brazil']}/photos/{world['maria']}.jpg"
    assert client.get(url).status_code == status


def test_photo_required_before_submission(app, client, world):
    with app.app_context():
        db.session.add(BadgeSettings(congress_id=world["rio"], photo_required_categories=["state"]))
        db.session.commit()
        from congress.badges.rules import check_photos
        from congress.registration.models import Delegation
        from congress.registration.rules import RegistrationError

        brazil = db.session.get(Delegation, world["brazil"])
        with pytest.raises(RegistrationError) as error:
            check_photos(brazil)
        assert str(error.value.args[0]) == (
            "Upload a photograph of every member before submitting: Maria da Silva."
        )
        assert error.value.field == "photos"
        # Registration's submission asks it, after its own checks.
        from congress.registration.rules import SUBMISSION_CHECKS

        assert [check_photos] == SUBMISSION_CHECKS
    sign_in(client, world["focal"])
    assert "The organisers require a photograph of every member" in client.get(
        f"/en/delegations/{world['brazil']}/photos"
    ).get_data(as_text=True)
    upload(client, world, jpeg())
    with app.app_context():
        check_photos(db.session.get(Delegation, world["brazil"]))


def decoded_qr(pdf: bytes) -> str:
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=6).to_pil()
    return zxingcpp.read_barcodes(image)[0].text


def test_badge_pdf_and_desk_replacement_and_doors(app, client, world):
    sign_in(client, world["focal"])
    upload(client, world, jpeg())
    sign_in(client, world["organiser"])
    desk = client.get(MANAGE + "?q=silva")
    assert "Maria da SILVA" in desk.get_data(as_text=True)
    pdf = get_pdf(client, f"{MANAGE}/{world['maria']}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    token = decoded_qr(pdf.get_data())
    assert token.startswith("CB1.") and "silva" not in token.lower()
    door = "/en/manage/congresses/rio-2008/doors/check"
    answer = client.post(door, data={"code": token}).get_json()
    assert answer["answer"] == "valid" and answer["name"] == "Maria da SILVA"
    assert answer["delegation"] == "Brazil"
    with app.app_context():
        badge_id = db.session.scalar(select(Badge.id))
    page = client.get(f"{MANAGE}/{badge_id}/replace")
    assert "Print a replacement badge for Maria da Silva?" in page.get_data(as_text=True)
    assert client.post(f"{MANAGE}/{badge_id}/replace").status_code == 302
    assert client.post(door, data={"code": token}).get_json()["answer"] == "revoked"
    assert client.post(door, data={"code": "CB1.NOPE"}).get_json()["answer"] == "unknown"
    new_token = decoded_qr(get_pdf(client, f"{MANAGE}/{world['maria']}.pdf").get_data())
    assert new_token != token
    assert client.post(door, data={"code": new_token}).get_json()["answer"] == "valid"
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert [a for a in actions if a.startswith("badge.")] == [
            "badge.photo",
            "badge.issue",
            "badge.replace",
        ]
        assert db.session.scalar(select(func.count()).select_from(Entry)) == 4


@pytest.mark.parametrize("who", ["focal", "stranger"])
def test_organisers_pages_are_refused_to_others(client, world, who):
    sign_in(client, world[who])
    for url in (
        MANAGE,
        f"{MANAGE}/{world['maria']}.pdf",
        f"{MANAGE}/sheet-a4.pdf",
        "/en/manage/congresses/rio-2008/doors",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post("/en/manage/congresses/rio-2008/doors/check", data={"code": "x"}).status_code
        == 404
    )


def test_sheets_are_drawn_by_a_job(client, world):
    sign_in(client, world["organiser"])
    for layout in ("a4", "cr80"):
        response = get_pdf(client, f"{MANAGE}/sheet-{layout}.pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf"


def test_export_leaves_photographs_and_entries_out_unless_asked(
    app, client, runner, world, tmp_path
):
    sign_in(client, world["focal"])
    upload(client, world, jpeg())
    sign_in(client, world["organiser"])
    client.post("/en/manage/congresses/rio-2008/doors/check", data={"code": "CB1.X"})
    plain, personal = tmp_path / "plain.json", tmp_path / "personal.json"
    assert runner.invoke(args=["export", str(plain)]).exit_code == 0
    assert runner.invoke(args=["export", str(personal), "--with-personal-data"]).exit_code == 0
    tables = json.loads(plain.read_text())["tables"]
    assert tables["badge_photos"] == [] and tables["badge_entries"] == []
    tables = json.loads(personal.read_text())["tables"]
    assert [row["delegate_id"] for row in tables["badge_photos"]] == [world["maria"]]
    assert [row["answer"] for row in tables["badge_entries"]] == ["unknown"]


def test_privacy_erase(app, client, runner, world):
    sign_in(client, world["focal"])
    upload(client, world, jpeg())
    sign_in(client, world["organiser"])
    get_pdf(client, f"{MANAGE}/sheet-a4.pdf")
    client.post("/en/manage/congresses/rio-2008/doors/check", data={"code": "CB1.X"})
    with app.app_context():
        path = Path(app.instance_path) / "photos" / db.session.scalar(select(Photo.filename))
    drawn = Path(app.instance_path) / "cache" / "badges"
    assert any(drawn.rglob("*.pdf"))
    result = runner.invoke(args=["privacy", "erase", "rio-2008"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Erased 1 photographs, 1 entries at the doors and the passport details of 0 letters"
        " of invitation.\n"
    )
    assert not path.exists() and not drawn.exists()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Photo)) == 0
        assert db.session.scalar(select(func.count()).select_from(Entry)) == 0
        assert db.session.scalar(select(func.count()).select_from(Badge)) == 1
    assert "Erased 0 photographs" in runner.invoke(args=["privacy", "erase", "rio-2008"]).output


def test_erasure_runs_on_the_day_the_organisers_set(app, client, world):
    from datetime import date

    from congress.badges.privacy import sweep_erasure

    sign_in(client, world["organiser"])
    early = client.post(MANAGE + "/settings", data={"erase_on": "2008-11-27"})
    assert early.status_code == 400
    assert "Choose a day after the congress ends." in early.get_data(as_text=True)
    later = {"erase_on": "2999-01-31", "photo_required_categories": ["state", "ngo"]}
    assert client.post(MANAGE + "/settings", data=later).status_code == 302
    sign_in(client, world["focal"])
    upload(client, world, jpeg())
    with app.app_context():
        settings = db.session.get(BadgeSettings, world["rio"])
        assert settings.photo_required_categories == ["ngo", "state"]
        assert settings.erase_on == date(2999, 1, 31)
        sweep_erasure()
        # The day has not come.
        assert db.session.scalar(select(func.count()).select_from(Photo)) == 1
    sign_in(client, world["organiser"])
    client.post(MANAGE + "/settings", data={"erase_on": "2009-01-31"})
    with app.app_context():
        sweep_erasure()
        assert db.session.scalar(select(func.count()).select_from(Photo)) == 0
        assert db.session.get(BadgeSettings, world["rio"]).erased_at is not None


def test_the_desk_finds_by_name_delegation_and_token_and_marks_collected(app, client, world):
    sign_in(client, world["organiser"])
    assert "Maria da SILVA" in client.get(MANAGE + "?q=brazil").get_data(as_text=True)
    assert "Nobody found." in client.get(MANAGE + "?q=nobody").get_data(as_text=True)
    token = decoded_qr(client.get(f"{MANAGE}/{world['maria']}.pdf").get_data())
    # Typed as a person would: lower case, with spaces.
    found = client.get(MANAGE, query_string={"q": " ".join([token.lower()[:8], token[8:]])})
    assert "Maria da SILVA" in found.get_data(as_text=True)
    with app.app_context():
        badge_id = db.session.scalar(select(Badge.id))
    assert client.post(f"{MANAGE}/{badge_id}/collected", data={"q": "silva"}).status_code == 302
    page = client.get(MANAGE + "?q=silva").get_data(as_text=True)
    assert "No. 1 · Collected" in page and "Mark collected" not in page
    with app.app_context():
        assert db.session.get(Badge, badge_id).collected_at is not None
        assert db.session.scalar(
            select(AuditEntry.action).where(AuditEntry.action == "badge.collect")
        )
