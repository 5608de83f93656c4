"""Arabic, Chinese and Russian beyond the pages: the list's PDF and CSV, mail, and the feeds."""

from __future__ import annotations

import csv
import io
import os
import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pypdf

from congress.extensions import db
from congress.mail import send_mail
from congress.participants import terms
from congress.registration.models import DelegateRole, Title
from tests.calendar_support import parse, ui
from tests.participants_support import add_delegate, add_delegation, rio
from tests.pdf_support import get_pdf
from tests.registration_support import sign_in
from tests.test_calendar_feeds import programme  # noqa: F401  (the fixture)
from tests.test_invitations import ask_url, issued, world  # noqa: F401  (world: the fixture)
from tests.test_participants_scripts import drawn_characters

# The font each language's words are drawn with, as the PDF names it (a subset's prefix aside).
FONTS = {"ar": "Noto-Sans-Arabic", "zh": "Noto-Sans-CJK-SC", "ru": "Noto-Sans"}


def _list_of_participants(archive):
    with archive.app_context():
        congress = rio(archive)
        add_delegate(add_delegation(congress, code="EG"), "Laila", "Hassan", title=Title.HE_MS)
        delegation = add_delegation(congress, name="ECPAT International")
        add_delegate(delegation, "ليلى", "الحسيني", DelegateRole.EXPERT)
        db.session.commit()


def test_the_pdf_list_in_arabic_chinese_and_russian_is_drawn_in_fonts_for_their_scripts(
    archive, client
):
    _list_of_participants(archive)
    for lang, font in FONTS.items():
        response = get_pdf(client, f"/{lang}/congresses/rio-2008/participants.pdf")
        assert response.status_code == 200, lang
        pdf = response.get_data()
        drawn, notdef = drawn_characters(pdf)
        assert notdef == [], lang
        title = terms.WORDS["list_of_participants"][lang]
        assert set(title) - {" "} <= drawn, lang
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        fonts = {
            str(ref.get_object()["/BaseFont"]).split("+")[-1]
            for page in reader.pages
            for ref in page["/Resources"].get("/Font", {}).values()
        }
        assert any(name.startswith(font) for name in fonts), (lang, fonts)
        text = " ".join(page.extract_text() for page in reader.pages)
        assert terms.GROUPS[next(iter(terms.GROUPS))][lang] in text, lang


def test_each_name_of_the_list_is_set_apart_in_its_own_direction(archive, client):
    _list_of_participants(archive)
    with archive.app_context():
        delegation = add_delegation(rio(archive), name="منظمة عربية")
        add_delegate(delegation, "Kenji", "Sato", function="مستشار")
        db.session.commit()
    page = client.get("/ar/congresses/rio-2008/participants").get_data(as_text=True)
    assert '<bdi dir="ltr">Laila <span class="family-name">HASSAN</span></bdi>' in page
    assert '<bdi dir="rtl">ليلى <span class="family-name">الحسيني</span></bdi>' in page
    assert '<bdi dir="rtl">منظمة عربية</bdi>' in page
    assert '<bdi dir="ltr">ECPAT International</bdi>' in page
    assert '<bdi dir="rtl">مستشار</bdi>' in page


def test_the_csv_list_in_arabic_has_arabic_headers_and_the_uns_arabic_name(archive, client):
    _list_of_participants(archive)
    body = client.get("/ar/congresses/rio-2008/participants.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == [
        "الفئة",
        "الوفد",
        "الصفة في الوفد",
        "اللقب",
        "الاسم الأول",
        "اسم العائلة",
        "الوظيفة",
    ]
    egypt = next(row for row in rows if row[1] == "مصر")
    assert egypt[0] == "الدول" and egypt[3] == "سعادة السيدة" and egypt[4] == "Laila"


def test_a_mail_in_arabic_carries_a_right_to_left_html_part_and_one_in_chinese_does_not(app):
    values = {
        "user": SimpleNamespace(name="Laila Hassan"),
        "token": "abc",
        "valid_for": timedelta(hours=1),
    }
    with app.test_request_context("/en/"):
        arabic = send_mail(
            "a@example.org", "ar", "Choose a new password", "reset_password", **values
        )
        chinese = send_mail(
            "z@example.org", "zh", "Choose a new password", "reset_password", **values
        )
        db.session.rollback()
    assert arabic["Content-Language"] == "ar"
    plain = arabic.get_body(preferencelist=("plain",)).get_content()
    html = arabic.get_body(preferencelist=("html",)).get_content()
    assert '<html lang="ar" dir="rtl">' in html
    link = next(line for line in plain.splitlines() if line.startswith("http"))
    assert "/ar/" in link
    # The address, in Latin letters, keeps its own direction inside the Arabic.
    assert f'<div dir="auto">{link}</div>' in html
    assert f'<div dir="auto">{plain.splitlines()[0]}</div>' in html
    assert chinese["Content-Language"] == "zh" and not chinese.is_multipart()
    assert chinese["Subject"] == ui(app, "zh", "Choose a new password")
    assert arabic["Subject"] == ui(app, "ar", "Choose a new password")


def test_feeds_in_chinese_and_arabic(app, client, programme):  # noqa: F811
    body = client.get("/congresses/stockholm-2024/calendar.ics?lang=zh").data
    calendar = parse(body)
    name = calendar.contents["x-wr-calname"][0].value
    assert name == ui(
        app, "zh", "%(congress)s: programme", congress=name.split("：")[0].split(":")[0]
    )
    opening = next(e for e in calendar.vevent_list if e.uid.value == "test-opening@congress.test")
    # No Chinese title: the English one, and the feed says so.
    assert opening.summary.params["LANGUAGE"] == ["en"]
    for asked, lang in (("zh-CN", "zh"), ("ar_EG", "ar"), ("RU", "ru")):
        response = client.get(f"/congresses/stockholm-2024/calendar.ics?lang={asked}")
        assert response.status_code == 301
        assert response.location.endswith(f"/congresses/stockholm-2024/calendar.ics?lang={lang}")


def test_a_letter_of_invitation_in_arabic_reads_right_to_left_in_arabic_fonts(
    app,
    client,
    world,  # noqa: F811
):
    from congress.registration.models import Delegate

    with app.app_context():
        db.session.get(Delegate, world["maria"]).preferred_language = "ar"
        db.session.commit()
    issued(app, client, world)
    sign_in(client, world["focal"])
    response = client.get(f"{ask_url(world)}.pdf")
    assert response.status_code == 200
    pdf = response.get_data()
    drawn, notdef = drawn_characters(pdf)
    assert notdef == []
    heading = ui(app, "ar", "Letter of invitation")
    assert set(heading) - {" "} <= drawn
    if os.environ.get("CONGRESS_SCREENSHOTS"):
        Path(os.environ["CONGRESS_SCREENSHOTS"], "letter-ar.pdf").write_bytes(pdf)


def test_the_arabic_lists_date_line_isolates_the_city_for_the_pdfs_page_heads(archive, client):
    """The page heads take the line's text alone: the isolates keep "Rio de Janeiro" apart from
    the dates, so that the line reads right to left there as it does on the page."""
    _list_of_participants(archive)
    page = client.get("/ar/congresses/rio-2008/participants").get_data(as_text=True)
    line = re.search(r'<p class="list-date">(.*?)</p>', page).group(1)
    assert line == (
        '<bdi>&#x2068;<span lang="pt" dir="ltr">Rio de Janeiro</span>&#x2069;</bdi>'
        "، 25–28 نوفمبر 2008"
    )
