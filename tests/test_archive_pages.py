import re


def test_root_redirects_to_the_visitors_language(client):
    response = client.get("/", headers={"Accept-Language": "pt-BR,pt;q=0.9,en;q=0.5"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/pt/"


def test_root_falls_back_to_english(client):
    response = client.get("/", headers={"Accept-Language": "de"})
    assert response.headers["Location"] == "/en/"


def test_congress_list_is_newest_first_with_every_figure(client, archive):
    html = client.get("/en/congresses/").get_data(as_text=True)
    names = re.findall(r'<h2><a href="/en/congresses/([a-z0-9-]+)/">', html)
    assert names == ["rio-2008", "yokohama-2001", "stockholm-1996"]
    # Where sources disagree, the list shows each figure with its source, never one of them.
    yokohama = html[html.index("yokohama-2001/") : html.index("stockholm-1996/")]
    assert re.findall(r"<strong>([\d,]+)</strong>", yokohama) == ["161", "136", "134", "3,050"]
    assert "Ministry of Foreign Affairs of Japan" in yokohama


def test_congress_page_shows_the_edition(client, archive):
    html = client.get("/en/congresses/rio-2008/").get_data(as_text=True)
    assert (
        "<h1>Third World Congress against Sexual Exploitation of Children and Adolescents</h1>"
        in html
    )
    assert "25–28 November 2008" in html
    assert "Riocentro, Jacarepaguá" in html
    assert "Government of Brazil (Special Secretariat for Human Rights, SEDH)" in html
    assert "ECPAT International" in html
    assert "over 3,500" in html and "3,158" in html and "sources disagree" in html
    assert "Rio de Janeiro Declaration and Call for Action" in html
    assert "Legal framework and accountability" in html
    assert "25 November 2008, 19:30–21:30 (UTC−02:00)" in html
    assert 'datetime="2008-11-25T21:30:00+00:00"' in html


def test_illustrative_times_are_marked(client, archive):
    html = client.get("/en/congresses/rio-2008/").get_data(as_text=True)
    opening, _, rest = html.partition("Opening ceremony")
    assert "illustrative: time not verified" not in rest.split("</li>")[0]
    assert rest.count("illustrative: time not verified") == 12


def test_missing_translation_falls_back_to_the_original_language_marked(client, archive):
    html = client.get("/fr/congresses/rio-2008/").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr"' in html
    assert '<span lang="pt">Marco legal e responsabilização</span>' in html
    assert "25–28 novembre 2008" in html


def test_unknown_slug_and_language_give_the_404_page(client, archive):
    for url in ("/en/congresses/nowhere-2030/", "/de/congresses/", "/xx/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "There is no page at this address." in response.get_data(as_text=True)
