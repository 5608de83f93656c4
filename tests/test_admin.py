"""Site administrators: congress editions and their organisers."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from congress.accounts.models import User
from congress.audit.models import AuditEntry
from congress.congresses.models import Congress, CongressStatus
from congress.extensions import db
from tests.markup import field_errors
from tests.test_accounts import log_in, make_user, outbox

NEW_CONGRESS = {
    "slug": "world-congress-iv",
    "ordinal": "4",
    "original_language": "en",
    "name_en": "Fourth World Congress",
    "name_fr": "Quatrième Congrès mondial",
    "name_es": "",
    "name_pt": "",
    "city_en": "Geneva",
    "city_fr": "Genève",
    "country_code": "CH",
    "venue": "Palais des Nations",
    "timezone": "Europe/Zurich",
    "start_date": "2030-11-25",
    "end_date": "2030-11-28",
    "status": "upcoming",
}


def appoint(app, user_id: int, slug: str) -> None:
    """Make a user an organiser of a congress, without the pages."""
    with app.app_context():
        user = db.session.get(User, user_id)
        user.organised_congresses.append(
            db.session.scalar(select(Congress).where(Congress.slug == slug))
        )
        db.session.commit()
        assert [c.slug for c in user.organised_congresses] == [slug]


def _admin(app, client) -> int:
    admin_id = make_user(app, "admin@example.org", name="Admin", is_admin=True)
    log_in(client, admin_id)
    return admin_id


def _audit(app) -> list[tuple[str, str, dict | None, dict | None]]:
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.action, e.object_type, e.before, e.after) for e in entries]


def _congress(app, slug) -> Congress:
    with app.app_context():
        return db.session.scalar(select(Congress).where(Congress.slug == slug))


def test_admin_creates_a_congress(app, client):
    admin_id = _admin(app, client)
    page = client.get("/en/admin/congresses/new").get_data(as_text=True)
    assert '<option value="America/Sao_Paulo">' in page
    # Countries named in the page's language, in the order of a list in that language.
    fr_page = client.get("/fr/admin/congresses/new").get_data(as_text=True)
    assert fr_page.index('value="AF">Afghanistan') < fr_page.index('value="ZA">Afrique du Sud')
    assert fr_page.index('value="EG">Égypte') < fr_page.index('value="ER">Érythrée')
    assert fr_page.index('value="ER">Érythrée') < fr_page.index('value="ES">Espagne')

    response = client.post("/en/admin/congresses/new", data=NEW_CONGRESS)
    assert response.headers["Location"] == "/en/admin/congresses/world-congress-iv/organisers"
    congress = _congress(app, "world-congress-iv")
    assert congress.name == {"en": "Fourth World Congress", "fr": "Quatrième Congrès mondial"}
    assert congress.city == {"en": "Geneva", "fr": "Genève"}
    assert (congress.country_code, congress.timezone, congress.ordinal) == (
        "CH",
        "Europe/Zurich",
        4,
    )
    assert (congress.start_date, congress.end_date) == (date(2030, 11, 25), date(2030, 11, 28))
    assert congress.status is CongressStatus.UPCOMING
    [(action, object_type, before, after)] = _audit(app)
    assert (action, object_type, before) == ("congress.create", "Congress", None)
    assert after["slug"] == "world-congress-iv" and after["timezone"] == "Europe/Zurich"
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.actor_id)) == admin_id

    index = client.get("/en/admin/").get_data(as_text=True)
    assert "Fourth World Congress" in index
    assert "25–28 November 2030" in index


def test_bad_congress_input_is_refused_beside_its_field_and_kept(app, client):
    _admin(app, client)
    data = {
        **NEW_CONGRESS,
        "timezone": "Mars/Olympus_Mons",
        "end_date": "2030-11-20",
        "name_en": "",
        "slug": "Not A Slug",
    }
    page = client.post("/en/admin/congresses/new", data=data).get_data(as_text=True)
    assert any(
        e.startswith("Mars/Olympus_Mons is not an IANA time zone")
        for e in field_errors(page, "timezone")
    )
    assert any(
        e.startswith("The last day cannot come before the first")
        for e in field_errors(page, "end_date")
    )
    assert any(e.startswith("Required in the language") for e in field_errors(page, "name_en"))
    assert any(e.startswith("Use lower-case letters") for e in field_errors(page, "slug"))
    # What was typed comes back.
    assert 'value="Mars/Olympus_Mons"' in page
    assert 'value="Quatrième Congrès mondial"' in page
    assert '<option selected value="CH">' in page
    assert _congress(app, "not-a-slug") is None
    assert _audit(app) == []


def test_a_slug_is_used_once(app, client, archive):
    _admin(app, client)
    page = client.post(
        "/en/admin/congresses/new", data={**NEW_CONGRESS, "slug": "rio-2008"}
    ).get_data(as_text=True)
    assert "Another congress already uses this short name." in page


def test_admin_edits_a_congress(app, client, archive):
    _admin(app, client)
    page = client.get("/en/admin/congresses/rio-2008/").get_data(as_text=True)
    assert 'value="America/Sao_Paulo"' in page
    assert "<code>rio-2008</code>" in page
    data = {
        **NEW_CONGRESS,
        "slug": "ignored",
        "name_en": "Third World Congress (edited)",
        "timezone": "America/Sao_Paulo",
        "start_date": "2008-11-25",
        "end_date": "2008-11-28",
        "country_code": "BR",
    }
    response = client.post("/en/admin/congresses/rio-2008/", data=data)
    assert response.headers["Location"] == "/en/admin/"
    rio = _congress(app, "rio-2008")
    assert rio.name["en"] == "Third World Congress (edited)"
    [(action, _type, before, after)] = _audit(app)
    assert action == "congress.update"
    assert after["name"]["en"] == "Third World Congress (edited)"
    assert before["name"]["en"] != after["name"]["en"]
    assert after["slug"] == "rio-2008"


def test_admin_appoints_and_removes_an_organiser(app, client, archive):
    _admin(app, client)
    organiser_id = make_user(app, "maria@example.org", name="Maria Silva", language="pt")

    page = client.post(
        "/en/admin/congresses/rio-2008/organisers", data={"email": "nobody@example.org"}
    ).get_data(as_text=True)
    assert any(e.startswith("No account uses this address") for e in field_errors(page, "email"))

    response = client.post(
        "/en/admin/congresses/rio-2008/organisers", data={"email": " Maria@Example.org "}
    )
    assert response.headers["Location"] == "/en/admin/congresses/rio-2008/organisers"
    with app.app_context():
        maria = db.session.get(User, organiser_id)
        assert [c.slug for c in maria.organised_congresses] == ["rio-2008"]
    # The appointed organiser is told, in Portuguese, with the Portuguese name of the congress.
    [mail] = outbox(app)
    assert mail["To"] == "maria@example.org"
    assert mail["Content-Language"] == "pt"
    assert "III Congresso Mundial" in mail["Subject"]
    assert "http://congress.test/pt/manage/congresses/rio-2008/settings" in mail.get_content()

    page = client.post(
        "/en/admin/congresses/rio-2008/organisers", data={"email": "maria@example.org"}
    ).get_data(as_text=True)
    assert "This person already organises this congress." in page

    page = client.get("/en/admin/congresses/rio-2008/organisers").get_data(as_text=True)
    assert "Maria Silva &lt;maria@example.org&gt;" in page
    remove = f"/en/admin/congresses/rio-2008/organisers/{organiser_id}/remove"
    assert f'href="{remove}"' in page
    confirmation = client.get(remove).get_data(as_text=True)
    assert "Remove Maria Silva &lt;maria@example.org&gt; from the organisers?" in confirmation
    assert "Nobody is sent mail." in confirmation
    with app.app_context():
        assert len(db.session.get(User, organiser_id).organised_congresses) == 1

    assert client.post(remove).headers["Location"] == "/en/admin/congresses/rio-2008/organisers"
    with app.app_context():
        assert db.session.get(User, organiser_id).organised_congresses == []
    assert client.post(remove).status_code == 404
    assert client.get(remove).status_code == 404
    assert [(a, t, b, f) for a, t, b, f in _audit(app)] == [
        (
            "congress.appoint_organiser",
            "User",
            None,
            {"user": "maria@example.org", "congress": "rio-2008"},
        ),
        (
            "congress.remove_organiser",
            "User",
            {"user": "maria@example.org", "congress": "rio-2008"},
            None,
        ),
    ]


def test_organisers_are_listed_in_alphabetical_order(app, client, archive):
    _admin(app, client)
    for email, name in [
        ("z@example.org", "Zoé Martin"),
        ("e@example.org", "Émilie Dubois"),
        ("a@example.org", "Ana Souza"),
    ]:
        make_user(app, email, name=name)
        client.post("/en/admin/congresses/rio-2008/organisers", data={"email": email})
    page = client.get("/en/admin/congresses/rio-2008/organisers").get_data(as_text=True)
    names = re.findall(r"<li>\s*(\S+ \S+) &lt;", page)
    assert names == ["Ana Souza", "Émilie Dubois", "Zoé Martin"]


def test_only_site_administrators_reach_the_administration(app, client, archive):
    urls = [
        "/en/admin/",
        "/en/admin/congresses/new",
        "/en/admin/congresses/rio-2008/",
        "/en/admin/congresses/rio-2008/organisers",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/en/account/sign-in?next="), url

    # An organiser of Rio is not a site administrator.
    organiser_id = make_user(app, "maria@example.org")
    appoint(app, organiser_id, "rio-2008")
    log_in(client, organiser_id)
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post("/en/admin/congresses/new", data=NEW_CONGRESS).status_code == 404
    assert (
        client.post(f"/en/admin/congresses/rio-2008/organisers/{organiser_id}/remove").status_code
        == 404
    )
    assert _congress(app, "world-congress-iv") is None


@pytest.mark.parametrize("lang", ["en", "fr", "es", "pt"])
def test_every_page_opens_in_every_language(app, client, archive, lang):
    admin_id = _admin(app, client)
    appoint(app, admin_id, "rio-2008")
    pages = [
        "admin/",
        "admin/congresses/new",
        "admin/congresses/rio-2008/",
        "admin/congresses/rio-2008/organisers",
        "manage/congresses/rio-2008/settings",
        "account/",
    ]
    for page in pages:
        response = client.get(f"/{lang}/{page}")
        assert response.status_code == 200, page
        assert f'<html lang="{lang}" dir="ltr"' in response.get_data(as_text=True), page
    client.post(f"/{lang}/account/sign-out")
    for page in [
        "account/sign-in",
        "account/sign-up",
        "account/reset",
        "account/resend-confirmation",
    ]:
        response = client.get(f"/{lang}/{page}")
        assert response.status_code == 200, page
        assert f'<html lang="{lang}" dir="ltr"' in response.get_data(as_text=True), page
