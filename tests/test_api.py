def test_congress_list(client, archive):
    data = client.get("/api/v1/congresses").get_json()
    assert [c["slug"] for c in data["congresses"]] == [
        "rio-2008",
        "yokohama-2001",
        "stockholm-1996",
    ]


def test_one_congress(client, archive):
    response = client.get("/api/v1/congresses/rio-2008?lang=en")
    assert response.mimetype == "application/json"
    rio = response.get_json()
    assert {
        k: rio[k]
        for k in ("slug", "city", "country", "venue", "timezone", "start_date", "end_date")
    } == {
        "slug": "rio-2008",
        "city": "Rio de Janeiro",
        "country": "BR",
        "venue": "Riocentro, Jacarepaguá",
        "timezone": "America/Sao_Paulo",
        "start_date": "2008-11-25",
        "end_date": "2008-11-28",
    }
    assert rio["figures"][0] == {
        "measure": "governments",
        "value": 137,
        "qualifier": None,
        "counts": "governments",
        "reliability": "verified",
        "source": "UNICEF Malaysia, media release",
        "source_url": "https://www.unicef.org/malaysia/media_9718.html",
        "note": "ECPAT gives 137 as well; Childwatch (2009) 138 government delegations; the"
        " Ministry of Foreign Affairs of Japan about 140 countries, 55 at ministerial level.",
    }


def test_lang_picks_the_language_of_the_names(client, archive):
    es = client.get("/api/v1/congresses/rio-2008?lang=es").get_json()
    assert (
        es["name"]
        == "Tercer Congreso Mundial contra la Explotación Sexual de Niños, Niñas y Adolescentes"
    )
    assert es["city"] == "Río de Janeiro"
    # Yokohama has no Portuguese name in the sources: the original language stands in.
    yokohama = client.get("/api/v1/congresses/yokohama-2001?lang=pt").get_json()
    assert yokohama["name"] == (
        "Second World Congress against Commercial Sexual Exploitation of Children"
    )


def test_unknown_congress_is_a_json_404(client, archive):
    response = client.get("/api/v1/congresses/nowhere")
    assert response.status_code == 404
    assert response.get_json() == {"error": "Not Found", "status": 404}
