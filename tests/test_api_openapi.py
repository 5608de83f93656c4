"""The OpenAPI document at /api/v1/openapi.json describes the API's routes, all and only."""

from __future__ import annotations

import jsonschema_rs
import schemathesis

from congress.api.openapi import OPENAPI_VERSION, openapi_path
from congress.programme.models import SessionKind

# Flask answers these for every GET route itself; OpenAPI leaves them implicit.
IMPLICIT = {"HEAD", "OPTIONS"}


def api_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")]


def test_the_document_is_served_as_json(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = response.get_json()
    assert document["openapi"] == OPENAPI_VERSION == "3.1.0"
    assert document["info"]["title"] == "Congress API"
    assert document["info"]["version"] == "1"
    assert document["info"]["license"] == {"name": "MIT", "identifier": "MIT"}


def test_the_document_is_valid_openapi_3_1_with_valid_json_schemas(client):
    document = client.get("/api/v1/openapi.json").get_json()
    # Against the OpenAPI 3.1 meta-schema that schemathesis carries.
    schemathesis.openapi.from_dict(document).validate()
    # Each answer's schema against JSON Schema 2020-12, the dialect of OpenAPI 3.1
    # (jsonschema_rs comes with schemathesis).
    dialect = "https://json-schema.org/draft/2020-12/schema"
    for name, schema in document["components"]["schemas"].items():
        assert jsonschema_rs.meta.is_valid({"$schema": dialect, **schema}), name


def test_every_rule_of_the_blueprint_is_described_with_its_methods_and_nothing_else(app, client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    routes = {}
    for rule in api_rules(app):
        assert rule.rule.startswith("/api/v1/"), rule.rule
        routes.setdefault(openapi_path(rule.rule), set()).update(
            m.lower() for m in rule.methods - IMPLICIT
        )
    described = {path: set(operations) for path, operations in paths.items()}
    assert described == routes
    assert set(paths) == {
        "/api/v1/",
        "/api/v1/openapi.json",
        "/api/v1/congresses",
        "/api/v1/congresses/{slug}",
        "/api/v1/congresses/{slug}/sessions",
        "/api/v1/congresses/{slug}/declarations",
        "/api/v1/congresses/{slug}/declarations/{doc_slug}/follow-up",
        "/api/v1/countries/{code}",
        "/api/v1/countries/{code}/follow-up",
        "/api/v1/congresses/{slug}/statements",
        "/api/v1/congresses/{slug}/sessions/{session_id}/statements",
        "/api/v1/countries/{code}/statements",
    }


def test_each_operation_names_its_view_and_the_path_parameters_of_its_rule(app, client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for rule in api_rules(app):
        operation = paths[openapi_path(rule.rule)]["get"]
        assert f"api.{operation['operationId']}" == rule.endpoint
        in_path = [p for p in operation.get("parameters", []) if p["in"] == "path"]
        assert {p["name"] for p in in_path} == set(rule.arguments), rule.rule
        assert all(p["required"] is True for p in in_path)
        # The summary is the view's docstring, as the index gives it.
        doc = app.view_functions[rule.endpoint].__doc__.strip().split("\n")[0]
        assert operation["summary"] == doc.replace("``", "`")


def test_query_parameters_are_those_the_views_read(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    query = {
        path: [p["name"] for p in operation["get"].get("parameters", []) if p["in"] == "query"]
        for path, operation in paths.items()
    }
    assert query == {
        "/api/v1/": [],
        "/api/v1/openapi.json": [],
        "/api/v1/congresses": ["lang"],
        "/api/v1/congresses/{slug}": ["lang"],
        "/api/v1/congresses/{slug}/sessions": ["lang", "theme", "kind"],
        "/api/v1/congresses/{slug}/declarations": ["lang"],
        "/api/v1/congresses/{slug}/declarations/{doc_slug}/follow-up": ["lang"],
        "/api/v1/countries/{code}": ["lang"],
        "/api/v1/countries/{code}/follow-up": ["lang"],
        "/api/v1/congresses/{slug}/statements": [
            "lang",
            "session",
            "delegation",
            "language",
            "page",
        ],
        "/api/v1/congresses/{slug}/sessions/{session_id}/statements": ["lang"],
        "/api/v1/countries/{code}/statements": ["lang"],
    }
    sessions = {
        p["name"]: p for p in paths["/api/v1/congresses/{slug}/sessions"]["get"]["parameters"]
    }
    assert sessions["lang"]["schema"] == {"enum": ["en", "fr", "es", "pt", "ar", "zh", "ru"]}
    assert sessions["kind"]["schema"] == {"enum": [kind.value for kind in SessionKind]}
    assert sessions["theme"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}


def test_answers_and_errors_are_documented_as_json(client):
    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    for path, item in document["paths"].items():
        responses = item["get"]["responses"]
        codes = set(responses)
        # A path parameter can name nothing: those operations document their 404.
        assert codes == ({"200", "400", "404"} if "{" in path else {"200", "400"}), path
        for code, response in responses.items():
            assert set(response["content"]) == {"application/json"}, (path, code)
            ref = response["content"]["application/json"]["schema"]["$ref"]
            assert ref.removeprefix("#/components/schemas/") in schemas
            if code != "200":
                assert ref == "#/components/schemas/Error"
    assert schemas["Error"]["required"] == ["error", "status"]


def test_unknown_languages_and_bad_filters_are_refused_as_documented(client, archive):
    for address in (
        "/api/v1/congresses?lang=de",
        "/api/v1/congresses/rio-2008?lang=",
        "/api/v1/congresses/rio-2008/sessions?theme=0",
        "/api/v1/congresses/rio-2008/sessions?theme=-1",
        "/api/v1/congresses/rio-2008/sessions?theme=%D9%A3",  # an Arabic-Indic three
        "/api/v1/congresses/rio-2008/sessions?theme=1_0",
        f"/api/v1/congresses/rio-2008/sessions?theme={2**31}",
        f"/api/v1/congresses/rio-2008/sessions?theme={2**63}",
    ):
        response = client.get(address)
        assert (response.status_code, response.get_json()) == (
            400,
            {"error": "Bad Request", "status": 400},
        ), address
    assert client.get(f"/api/v1/congresses/rio-2008/sessions?theme={2**31 - 1}").get_json() == {
        "sessions": []
    }


def test_a_country_code_is_two_ascii_letters(client, archive):
    # "ß".upper() is "SS", South Sudan's code: the letters asked for are not those.
    assert client.get("/api/v1/countries/%C3%9F").status_code == 404
    assert client.get("/api/v1/countries/%C3%9F/follow-up").status_code == 404
    assert client.get("/api/v1/countries/ss").get_json()["code"] == "SS"
