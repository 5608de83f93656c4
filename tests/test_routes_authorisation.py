"""Every route declares who may open it, and the rule holds.

A new route without ``@access(...)`` fails the first test; the others try each rule on
every route that has it, with the scenario's real congress, delegation and token.
"""

from __future__ import annotations

import pytest
from flask import Flask

from congress.security import RULES, access, rule_for
from tests.security_support import build_scenario, client_as, url_for_rule

PROTECTED = (
    "signed_in",
    "focal_point",
    "focal_point_or_organiser",
    "organiser",
    "monitor",
    "admin",
)


def routes(app: Flask, *rules: str):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if rule_for(app, rule.endpoint) in rules:
            yield rule


def method(rule) -> str:
    return "GET" if "GET" in rule.methods else "POST"


def ask(client, rule, url):
    """The answer, read to the end (streamed CSV included) and closed."""
    response = client.get(url) if method(rule) == "GET" else client.post(url)
    response.get_data()
    response.close()
    return response


@pytest.fixture
def scenario(app):
    return build_scenario(app)


def test_every_route_has_an_access_rule(app):
    missing = [
        f"{rule.endpoint} ({rule.rule})"
        for rule in app.url_map.iter_rules()
        if rule_for(app, rule.endpoint) not in RULES
    ]
    assert not missing, (
        "Routes without an access rule: put @access('public'|'token'|'signed_in'|"
        "'focal_point'|'organiser'|'admin') under the route decorator of: " + ", ".join(missing)
    )


def test_rules_agree_with_the_addresses(app):
    for rule in app.url_map.iter_rules():
        declared = rule_for(app, rule.endpoint)
        if "/manage/" in rule.rule:
            assert declared in ("organiser", "admin"), rule.rule
        if rule.rule.startswith("/<lang>/admin/"):
            assert declared == "admin", rule.rule
        if rule.rule.startswith("/api/") and "GET" in rule.methods:
            assert declared == "public", rule.rule


def test_unknown_rules_are_refused():
    with pytest.raises(ValueError, match="unknown access rule 'organizer'"):
        access("organizer")


def test_signed_out_visitors_are_sent_to_sign_in(app, scenario):
    client = client_as(app, None, scenario)
    checked = 0
    for rule in routes(app, *PROTECTED):
        url = url_for_rule(app, rule, scenario)
        response = ask(client, rule, url)
        assert response.status_code == 302, f"{rule.endpoint}: {response.status_code}"
        assert "/account/sign-in?next=" in response.headers["Location"], rule.endpoint
        checked += 1
    assert checked >= 10


def test_organiser_pages_are_hidden_from_others(app, scenario):
    focal = client_as(app, "focal_point", scenario)
    organiser = client_as(app, "organiser", scenario)
    for rule in routes(app, "organiser"):
        url = url_for_rule(app, rule, scenario)
        assert ask(focal, rule, url).status_code == 404, rule.endpoint
        if method(rule) == "GET":
            response = ask(organiser, rule, url)
            # 202: a PDF a job is drawing (the page says it is being prepared).
            assert response.status_code in (200, 202), f"{rule.endpoint}: {response.status_code}"


def test_organisers_of_another_congress_get_a_404(app, scenario):
    organiser = client_as(app, "organiser", scenario)
    for rule in routes(app, "organiser"):
        if method(rule) == "GET" and "slug" in rule.arguments and "doc_slug" not in rule.arguments:
            # The organiser runs the demo congress and Rio, not Yokohama.
            url = url_for_rule(app, rule, scenario, slug="yokohama-2001")
            assert ask(organiser, rule, url).status_code == 404, rule.endpoint


def test_administration_is_for_administrators(app, scenario):
    organiser = client_as(app, "organiser", scenario)
    admin = client_as(app, "admin", scenario)
    for rule in routes(app, "admin"):
        url = url_for_rule(app, rule, scenario)
        assert ask(organiser, rule, url).status_code == 404, rule.endpoint
        if method(rule) == "GET":
            assert ask(admin, rule, url).status_code == 200, rule.endpoint


def test_monitoring_pages_are_for_monitors(app, scenario):
    focal = client_as(app, "focal_point", scenario)
    monitor = client_as(app, "monitor", scenario)
    checked = 0
    for rule in routes(app, "monitor"):
        url = url_for_rule(app, rule, scenario)
        assert ask(focal, rule, url).status_code == 404, rule.endpoint
        if method(rule) == "GET":
            assert ask(monitor, rule, url).status_code == 200, rule.endpoint
            checked += 1
    assert checked >= 3


def test_delegation_pages_are_for_their_focal_point(app, scenario):
    focal = client_as(app, "focal_point", scenario)
    stranger = client_as(app, "admin", scenario)  # an administrator is not a focal point
    with app.app_context():
        from congress.accounts.models import User
        from congress.extensions import db

        db.session.get(User, scenario.users["admin"]).is_admin = False
        db.session.commit()
    for rule in routes(app, "focal_point", "focal_point_or_organiser"):
        if "delegation_id" not in rule.arguments or method(rule) != "GET":
            continue
        url = url_for_rule(app, rule, scenario)
        assert ask(stranger, rule, url).status_code == 404, rule.endpoint
        assert ask(focal, rule, url).status_code == 200, rule.endpoint


def test_public_pages_open_to_everyone(app, scenario):
    client = client_as(app, None, scenario)
    for rule in routes(app, "public"):
        if method(rule) != "GET":
            continue
        url = url_for_rule(app, rule, scenario)
        response = ask(client, rule, url)
        status = response.status_code
        # 301: a calendar address under /<lang>/ sends on to its feed; 202: a PDF being drawn.
        assert status in (200, 202, 301, 302, 304), f"{rule.endpoint}: {status}"
        if response.status_code == 302:
            assert "/account/sign-in" not in response.headers["Location"], rule.endpoint


def test_token_pages_need_the_token(app, scenario):
    client = client_as(app, None, scenario)
    checked = 0
    for rule in routes(app, "token"):
        if "token" not in rule.arguments:
            continue
        wrong = url_for_rule(app, rule, scenario, token="not-the-token")
        # A 404, or (for links mailed to confirm or reset) a redirect to ask for a new one.
        assert ask(client, rule, wrong).status_code in (302, 303, 404), rule.endpoint
        checked += 1
    # The delegate's own link opens their agenda without signing in.
    (agenda_rule,) = app.url_map.iter_rules("programme.delegate_agenda")
    assert client.get(url_for_rule(app, agenda_rule, scenario)).status_code == 200
    assert checked >= 4
