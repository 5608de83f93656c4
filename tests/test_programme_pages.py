"""The public programme pages and the JSON endpoint, read as a visitor reads them."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from congress.extensions import db
from congress.programme.models import Session, SessionStatus
from tests.programme_support import (
    congress_by_slug,
    make_congress,
    make_room,
    make_session,
    make_user,
    sign_in,
)


def session_id(uid: str) -> int:
    return db.session.scalar(select(Session.id).where(Session.uid == uid))


def day_headings(html: str) -> list[str]:
    return [
        re.sub(r"\s*<span.*", "", h)
        for h in re.findall(r'<h2 [^>]*id="day-[0-9-]+">(.*?)</h2>', html)
    ]


def cell(html: str, sid: int) -> str:
    """The timetable cell of one session."""
    start = html.index(f'<td id="s{sid}"')
    return html[start : html.index("</td>", start)]


def test_rio_timetable_has_a_day_per_section_rooms_as_columns_and_the_zone_named(client, archive):
    html = client.get("/en/congresses/rio-2008/programme").get_data(as_text=True)
    assert day_headings(html) == [
        "Tuesday, 25 November 2008",
        "Wednesday, 26 November 2008",
        "Thursday, 27 November 2008",
        "Friday, 28 November 2008",
    ]
    assert "Times are local to Rio de Janeiro: America/Sao_Paulo, UTC−02:00." in html
    wednesday = html[html.index('id="day-2008-11-26"') : html.index('id="day-2008-11-27"')]
    assert re.findall(r'<th scope="col" class="room-head">([^<]+)</th>', wednesday) == [
        "Plenary hall",
        "Workshop room A",
        "Workshop room B",
    ]
    with archive.app_context():
        opening = session_id("rio-2008-opening")
        panel = session_id("rio-2008-panel-1")
    opening_cell = cell(html, opening)
    assert '<time datetime="2008-11-25T19:30:00-02:00">19:30</time>' in opening_cell
    assert '<time datetime="2008-11-25T21:30:00-02:00">21:30</time>' in opening_cell
    # The opening's start is verified; the panels' times are not, and say so.
    assert "illustrative time" not in opening_cell
    assert "end time illustrative" in opening_cell
    assert "illustrative time" in cell(html, panel)
    assert html.count('<em class="illustrative">illustrative time</em>') == 12
    # Panel 1 spans three half-hour rows, 09:00-10:30.
    assert 'rowspan="3"' in cell(html, panel)


def test_timetable_in_portuguese_names_the_days_in_portuguese(client, archive):
    html = client.get("/pt/congresses/rio-2008/programme").get_data(as_text=True)
    assert day_headings(html)[0] == "terça-feira, 25 de novembro de 2008"
    assert "Cerimônia de abertura" in html
    assert "Painel 2: Marco legal e responsabilização" in html


def titles(html: str) -> list[str]:
    return re.findall(r'<span class="title[^"]*"><a href="[^"]+">([^<]+)</a>', html)


def test_filters_by_theme_and_kind_work_without_javascript(client, archive):
    by_theme = client.get("/en/congresses/rio-2008/programme?theme=2").get_data(as_text=True)
    assert titles(by_theme) == [
        "Panel 2: Legal framework and accountability",
        "Workshops on theme 2",
    ]
    assert '<option value="2" selected>' in by_theme
    by_kind = client.get("/en/congresses/rio-2008/programme?kind=workshop").get_data(as_text=True)
    assert titles(by_kind) == [f"Workshops on theme {n}" for n in (1, 2, 3, 4, 5)]
    both = client.get("/en/congresses/rio-2008/programme?theme=3&kind=thematic_panel")
    assert titles(both.get_data(as_text=True)) == ["Panel 3: Integrated cross-sector policies"]
    # Values that match nothing are ignored rather than failing.
    odd = client.get("/en/congresses/rio-2008/programme?theme=99&kind=banquet")
    assert odd.status_code == 200
    assert len(titles(odd.get_data(as_text=True))) == 13


def test_one_session_page(client, archive):
    with archive.app_context():
        opening = session_id("rio-2008-opening")
        panel = session_id("rio-2008-panel-2")
        stockholm = session_id(
            db.session.scalar(
                select(Session.uid).join(Session.congress).where(Session.uid.like("stockholm%"))
            )
        )
    html = client.get(f"/en/congresses/rio-2008/sessions/{opening}").get_data(as_text=True)
    assert (
        '<h1 class="govuk-heading-l"><span class="title">Opening ceremony</span>'
        ' <em class="illustrative">end time illustrative</em></h1>'
    ) in html
    assert (
        'Tuesday, 25 November 2008, <time datetime="2008-11-25T19:30:00-02:00">19:30</time>–'
        '<time datetime="2008-11-25T21:30:00-02:00">21:30</time> (UTC−02:00) · America/Sao_Paulo'
    ) in html
    assert "Start verified." in html
    assert "The end time is illustrative: the sources do not give it." in html
    assert "ultimosegundo.ig.com.br, with Agência Brasil" in html
    assert "<dt>Revision</dt><dd>0</dd>" in html
    html = client.get(f"/en/congresses/rio-2008/sessions/{panel}").get_data(as_text=True)
    assert "Illustrative: the sources do not establish this time." in html
    assert "2. Legal framework and accountability" in html
    # A session of another congress is not found under this one.
    assert client.get(f"/en/congresses/rio-2008/sessions/{stockholm}").status_code == 404
    assert client.get("/en/congresses/rio-2008/sessions/99999").status_code == 404


def test_congress_page_links_the_timetable(client, archive):
    html = client.get("/en/congresses/rio-2008/").get_data(as_text=True)
    assert '<a href="/en/congresses/rio-2008/programme">' in html


def _unpublished(app):
    with app.app_context():
        congress = make_congress()
        hall = make_room(congress, "Main hall")
        make_session(
            congress,
            "Secret plenary",
            datetime(2030, 11, 25, 10),
            datetime(2030, 11, 25, 11),
            room=hall,
        )
        organiser = make_user("org@example.org", organises=congress)
        db.session.commit()
        return organiser.id


def test_an_unpublished_programme_is_shown_to_its_organisers_only(app, client):
    organiser = _unpublished(app)
    pages = [
        "/en/congresses/lisbon-2030/programme",
        "/en/congresses/lisbon-2030/changes",
        "/api/v1/congresses/lisbon-2030/sessions",
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url
    assert "Secret plenary" not in client.get("/en/congresses/lisbon-2030/").get_data(as_text=True)

    sign_in(client, organiser)
    html = client.get("/en/congresses/lisbon-2030/programme").get_data(as_text=True)
    assert "Not published yet: only the organisers see this programme." in html
    assert "Secret plenary" in html
    # The API stays closed until publication, whoever asks.
    assert client.get("/api/v1/congresses/lisbon-2030/sessions").status_code == 404

    client.post("/en/manage/congresses/lisbon-2030/programme/publish")
    with client.session_transaction() as s:
        s.clear()
    html = client.get("/en/congresses/lisbon-2030/programme").get_data(as_text=True)
    assert "Secret plenary" in html and "Not published yet" not in html
    data = client.get("/api/v1/congresses/lisbon-2030/sessions").get_json()
    assert [s["title"] for s in data["sessions"]] == ["Secret plenary"]


def test_api_gives_local_and_utc_times(client, archive):
    data = client.get("/api/v1/congresses/rio-2008/sessions?lang=en").get_json()
    assert len(data["sessions"]) == 13
    opening = data["sessions"][0]
    assert {k: v for k, v in opening.items() if k not in ("id", "room")} == {
        "uid": "rio-2008-opening",
        "title": "Opening ceremony",
        "kind": "opening_ceremony",
        "theme": None,
        # Its end time is not established by a source: not "confirmed".
        "status": "tentative",
        "revision": 0,
        "starts_at": "2008-11-25T19:30:00-02:00",
        "ends_at": "2008-11-25T21:30:00-02:00",
        "starts_at_utc": "2008-11-25T21:30:00Z",
        "ends_at_utc": "2008-11-25T23:30:00Z",
        "illustrative": False,
        "end_illustrative": True,
        "working_languages": [],
    }
    assert opening["room"]["name"] == "Plenary hall"
    assert [s["starts_at"] for s in data["sessions"]] == sorted(
        s["starts_at"] for s in data["sessions"]
    )
    pt = client.get("/api/v1/congresses/rio-2008/sessions?lang=pt&theme=2").get_json()
    assert [(s["title"], s["theme"]) for s in pt["sessions"]] == [
        (
            "Painel 2: Marco legal e responsabilização",
            {"number": 2, "name": "Marco legal e responsabilização"},
        ),
        ("Oficinas sobre o eixo 2", {"number": 2, "name": "Marco legal e responsabilização"}),
    ]
    workshops = client.get("/api/v1/congresses/rio-2008/sessions?kind=workshop").get_json()
    assert {s["kind"] for s in workshops["sessions"]} == {"workshop"}
    assert len(workshops["sessions"]) == 5
    stockholm = client.get("/api/v1/congresses/stockholm-1996/sessions").get_json()
    assert stockholm["sessions"][0]["starts_at"].endswith("+02:00")
    yokohama = client.get("/api/v1/congresses/yokohama-2001/sessions").get_json()
    assert yokohama["sessions"][0]["starts_at"].endswith("+09:00")
    bad = client.get("/api/v1/congresses/rio-2008/sessions?kind=banquet")
    assert bad.status_code == 400 and bad.get_json()["status"] == 400
    assert client.get("/api/v1/congresses/nowhere/sessions").status_code == 404


def test_a_cancelled_session_stays_everywhere_marked_cancelled(app, client, archive):
    with app.app_context():
        panel = db.session.scalar(select(Session).where(Session.uid == "rio-2008-panel-4"))
        panel.status = SessionStatus.CANCELLED
        db.session.commit()
        pid = panel.id
    html = client.get("/en/congresses/rio-2008/programme").get_data(as_text=True)
    panel_cell = cell(html, pid)
    assert "is-cancelled" in panel_cell
    assert '<span class="title cancelled">' in panel_cell
    assert '<strong class="status-cancelled">cancelled</strong>' in panel_cell
    page = client.get(f"/en/congresses/rio-2008/sessions/{pid}").get_data(as_text=True)
    assert "This session is cancelled." in page
    data = client.get("/api/v1/congresses/rio-2008/sessions").get_json()
    assert [s["status"] for s in data["sessions"] if s["id"] == pid] == ["cancelled"]
    with app.app_context():
        assert congress_by_slug("rio-2008").sessions  # nothing was deleted
        assert db.session.get(Session, pid).starts_at == datetime(2008, 11, 27, 13, tzinfo=UTC)
