"""The API's index at /api/v1/, and calendar addresses under /<lang>/."""

import pytest


def test_the_api_index_lists_every_endpoint_and_the_feeds(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    index = response.get_json()
    assert index["version"] == 1
    # The OpenAPI description of every address below, their parameters and answers.
    assert index["openapi"] == "/api/v1/openapi.json"
    assert index["parameters"] == {"lang": "the language of the texts: en (default), fr, es or pt"}
    paths = [endpoint["path"] for endpoint in index["endpoints"]]
    assert paths == sorted(paths)
    assert paths == [
        "/api/v1/congresses",
        "/api/v1/congresses/{slug}",
        "/api/v1/congresses/{slug}/declarations",
        "/api/v1/congresses/{slug}/declarations/{doc_slug}/follow-up",
        "/api/v1/congresses/{slug}/sessions",
        "/api/v1/congresses/{slug}/sessions/{session_id}/statements",
        "/api/v1/congresses/{slug}/statements",
        "/api/v1/countries/{code}",
        "/api/v1/countries/{code}/follow-up",
        "/api/v1/countries/{code}/statements",
        "/api/v1/openapi.json",
    ]
    described = {e["path"]: e["description"] for e in index["endpoints"]}
    assert described["/api/v1/congresses"] == "Every congress, the newest first."
    assert described["/api/v1/openapi.json"] == (
        "The OpenAPI 3.1 description of this API, with a JSON Schema for every answer."
    )
    assert described["/api/v1/congresses/{slug}/sessions"] == (
        "The published programme: ?lang= for texts, ?theme=<number> and ?kind= to filter."
    )
    assert all(described.values())
    assert [feed["path"] for feed in index["calendar_feeds"]] == [
        "/congresses/{slug}/calendar.ics",
        "/congresses/{slug}/sessions/{session_id}.ics",
        "/feeds/{token}.ics",
    ]


def test_every_address_the_index_gives_answers(app, client, archive):
    from sqlalchemy import select

    from congress.congresses.models import Congress
    from congress.extensions import db
    from congress.programme.models import Session

    index = client.get("/api/v1/").get_json()
    with app.app_context():
        session_id = db.session.scalar(
            select(Session.id).join(Session.congress).where(Congress.slug == "rio-2008").limit(1)
        )
    values = {"slug": "rio-2008", "code": "BR", "session_id": session_id}
    for endpoint in index["endpoints"]:
        path = endpoint["path"]
        if "{doc_slug}" in path:
            continue
        response = client.get(path.format(**values))
        assert response.status_code == 200, path
        assert response.mimetype == "application/json", path


@pytest.mark.parametrize(
    ("address", "feed"),
    [
        (
            "/fr/congresses/rio-2008/calendar.ics",
            "/congresses/rio-2008/calendar.ics?lang=fr",
        ),
        # The language of the path wins over a ?lang= left in the query; the rest is kept.
        (
            "/es/congresses/rio-2008/calendar.ics?theme=2&lang=pt&download=1",
            "/congresses/rio-2008/calendar.ics?theme=2&download=1&lang=es",
        ),
        (
            "/pt/congresses/rio-2008/sessions/12.ics",
            "/congresses/rio-2008/sessions/12.ics?lang=pt",
        ),
        ("/en/feeds/a-secret-token.ics", "/feeds/a-secret-token.ics?lang=en"),
    ],
)
def test_a_calendar_address_under_a_language_redirects_to_its_feed(client, address, feed):
    response = client.get(address)
    assert response.status_code == 301
    assert response.headers["Location"] == feed


def test_a_calendar_address_under_another_language_is_not_found(client):
    assert client.get("/de/congresses/rio-2008/calendar.ics").status_code == 404


def test_the_redirected_feed_is_in_that_language(client, archive):
    response = client.get("/fr/congresses/rio-2008/calendar.ics", follow_redirects=True)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "\r\nX-WR-CALNAME:" in response.get_data(as_text=True)
    assert response.request.args["lang"] == "fr"
