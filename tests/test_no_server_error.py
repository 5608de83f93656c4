"""No input answers 500: hostile values in every address and in every field of every form.

Addresses: every rule of ``app.url_map``, each of its arguments given values its converter
was not written for (integers past 2**63 and below zero, long and unicode words, the
other converter's values), the other arguments valid, by every method the rule takes, as
a visitor, a focal point, an organiser and an administrator. An address that names
nothing answers 404; none answers 500.

Forms: every form in the pages each of them sees (tests/test_hostile_input.py finds them),
each of its fields, whatever its kind (numbers, dates, times, choices, boxes, hidden
fields), sent values out of what the field, the time zone or the database can hold: a
refusal names the field (a message beside it), the database never refuses the value, and
nothing answers 500.

A fixed set of values goes everywhere; Hypothesis then draws more, bounded so that the
suite stays fast. Both run on the database under test (SQLite or PostgreSQL).
"""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter, PathConverter

from congress.jobs import jobs_of
from tests.security_support import a_pdf, build_scenario, client_as, get_pages
from tests.test_hostile_input import ERROR_MARKERS, Form, FormParser, baseline, html

# Hypothesis draws here: no broker's worker threads may touch the global random state.
pytestmark = pytest.mark.jobs_in_process

WHO = (None, "focal_point", "organiser", "admin")
# A form several visitors see is sent as the one whom the most rules let through.
WHO_FIRST = ("focal_point", "organiser", "admin", None)

HUGE = [2**63, 2**63 + 1, 2**64, 10**30, 10**400]
INTEGERS = [*HUGE, -1, -(2**63) - 1, 0]
WORDS = [
    "x" * 2000,
    "Łódź-\u202eevil\u202c-العربية",
    "😀👩‍👩‍👧",
    "..",
    "%2e%2e%2f",
    "a b+c",
    "-1",
    str(2**63),
    "١٢٣",  # Arabic-Indic digits, which int() reads
]
# What each kind of field gets, whatever Hypothesis draws.
NUMBERS = [str(n) for n in INTEGERS] + [str(2**31), "1e309", "NaN", "inf", "١٢", "１２", "0x10", ""]
DATES = [
    "0001-01-01",
    "0001-01-02",
    "9999-12-31",
    "10000-01-01",
    "0000-00-00",
    "2030-02-30",
    "-2030-01-01",
    "+002030-01-01",
    "20300101",
    "2030-1-1",
    "١٤٤٥-٠١-٠١",
]
DATETIMES = [
    "0001-01-01T00:00",
    "0001-01-01T00:30",
    "9999-12-31T23:59",
    "10000-01-01T00:00",
    "2030-02-30T10:00",
    "2030-06-01T25:61",
    "2030-06-01 10:00",
    "2030-06-01T10:00:00.999999999",
    "2030-06-01T10:00+14:00",
]
TIMES = ["24:00", "23:60", "-1:00", "99999999999999999999:00", "10:00:00.9999999", "١٠:٠٠"]

HYPOTHESIS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# --- Addresses -------------------------------------------------------------------------------

ARGUMENT = re.compile(r"<(?:(?P<converter>[^:<>]+):)?(?P<name>[^<>]+)>")


def address(rule, values: dict[str, object]) -> str:
    """The rule's path with ``values`` put in as they are, quoted, whatever the converters."""

    def put(match: re.Match) -> str:
        # An argument the scenario has no value for: an id of 1.
        value = str(values.get(match["name"], 1))
        return quote(value, safe="/" if match["converter"] == "path" else "")

    return ARGUMENT.sub(put, rule.rule)


def methods(rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


def hostile_values(rule, name: str) -> list[object]:
    converter = rule._converters[name]
    if name == "lang":
        return ["x" * 300]
    if isinstance(converter, IntegerConverter):
        return [2**63, 10**30, -1, "١٢٣"]
    if isinstance(converter, PathConverter):
        return ["../../etc/passwd", WORDS[1], "css/" + "x" * 300 + ".css"]
    return [WORDS[0], WORDS[1], "..", str(2**63)]


def valid_values(scenario, rule) -> dict[str, object]:
    values = scenario.rio_values if "doc_slug" in rule.arguments else scenario.values
    return {"lang": "en", **values}


def rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.arguments]


# Signing out ends every session of the account: the requests after it would be a visitor's.
SIGN_OUT = ("accounts.sign_out", "accounts.sign_out_everywhere")


def fetch(client, method: str, path: str):
    response = client.open(path, method=method, data={} if method != "GET" else None)
    response.get_data()
    response.close()
    return response


@pytest.fixture
def scenario(app):
    # The limits on sign-in, sign-up and registration are tested elsewhere; here they
    # would only turn the later requests into 429s.
    for key, value in list(app.config.items()):
        if (key.startswith("RATELIMIT_") or key.endswith("_RATE_LIMIT")) and " per " in str(value):
            app.config[key] = "100000 per minute"
    # A server error raises here, with its traceback, rather than answering 500.
    app.config["PROPAGATE_EXCEPTIONS"] = True
    return build_scenario(app)


def test_its_jobs_run_in_the_process_whatever_broker_the_run_tests(app):
    assert jobs_of(app).url is None and jobs_of(app).in_process


def test_every_address_with_hostile_arguments(app, scenario):
    # As the administrator, whom every access rule lets through to the code behind it.
    client = client_as(app, "admin", scenario)
    tried = 0
    for rule in rules(app):
        valid = valid_values(scenario, rule)
        for name in rule.arguments:
            for value in hostile_values(rule, name):
                path = address(rule, {**valid, name: value})
                for method in methods(rule):
                    if method != "GET" and rule.endpoint in SIGN_OUT:
                        continue
                    response = fetch(client, method, path)
                    tried += 1
                    assert response.status_code < 500, f"{response.status_code} for {method} {path}"
                    if isinstance(rule._converters[name], IntegerConverter):
                        # An id no row can have, or no number at all, names nothing (perhaps
                        # once redirected, as a feed's address under /<lang>/ is).
                        if response.status_code in (301, 302, 308) and method == "GET":
                            response = fetch(client, "GET", response.headers["Location"])
                        assert response.status_code == 404, f"{response.status_code} for {path}"
    assert tried > 500, tried


@st.composite
def hostile_address(draw, app, scenario):
    rule = draw(st.sampled_from(rules(app)), label="rule")
    values = valid_values(scenario, rule)
    for name in sorted(rule.arguments):
        kind = rule._converters[name]
        if isinstance(kind, IntegerConverter):
            hostile = st.integers() | st.integers(min_value=2**63 - 2, max_value=2**70)
        else:
            hostile = st.text(min_size=1, max_size=300) | st.integers().map(str)
        if draw(st.booleans(), label=f"hostile {name}"):
            values[name] = draw(hostile, label=name)
    method = draw(st.sampled_from(methods(rule)), label="method")
    if rule.endpoint in SIGN_OUT:
        method = "GET"
    return rule, method, address(rule, values)


@HYPOTHESIS
@given(data=st.data())
def test_any_address_with_any_arguments(app, scenario, data):
    _rule, method, path = data.draw(hostile_address(app, scenario), label="address")
    who = data.draw(st.sampled_from(WHO), label="who")
    response = fetch(client_as(app, who, scenario), method, path)
    assert response.status_code < 500, f"{response.status_code} for {method} {path[:120]}"


# --- Forms -----------------------------------------------------------------------------------


def discover_forms(app, scenario) -> list[Form]:
    """The forms that send something, in every page, as each kind of visitor sees them."""
    found: dict[tuple, Form] = {}
    pages = [url for _rule, url in get_pages(app, scenario)]
    for who in WHO_FIRST:
        client = client_as(app, who, scenario)
        for url in pages:
            if url.endswith((".pdf", ".csv", ".ics", ".json")) or "/static/" in url:
                continue
            response = client.get(url)
            page = html(response)
            if response.status_code != 200 or not page:
                continue
            parser = FormParser(url, who)
            parser.feed(page)
            for form in parser.forms:
                fields = tuple(sorted(name for name in form.kinds if name != "csrf_token"))
                # Once each: as the first of WHO_FIRST who sees it.
                key = (form.method, form.action.split("?")[0], fields)
                # Signing out would turn the later forms of the account into a visitor's.
                if "/sign-out" in form.action:
                    continue
                if fields and form.action.startswith(("/", "http://congress.test/")):
                    found.setdefault(key, form)
    return list(found.values())


def fields(form: Form) -> list[str]:
    return sorted(name for name, kind in form.kinds.items() if name != "csrf_token")


# Each kind of field gets a few values every time (Hypothesis draws from the longer lists).
EVERY_TIME = {
    "number": [str(2**31), str(2**63), str(-(2**63) - 1), "1" + "0" * 400, "NaN", "１２"],
    "date": ["0001-01-01", "9999-12-31", "10000-01-01", "2030-02-30"],
    "datetime-local": ["0001-01-01T00:00", "9999-12-31T23:59", "2030-06-01T25:61"],
    "time": ["24:00", "99999999999999999999:00"],
}
# Choices, boxes, hidden fields and texts: an id no row has, a date (long texts: in
# tests/test_hostile_input.py).
OTHERS = [str(2**63), "0001-01-01"]


def values_for(kind: str) -> list[str]:
    return EVERY_TIME.get(kind, OTHERS)


def send(client, form: Form, name: str, value: str):
    data = baseline(form)
    data[name] = [value]
    if form.method == "GET":
        return client.get(form.action, query_string=data)
    payload: dict = dict(data)
    for upload in form.files:
        payload[upload] = (io.BytesIO(a_pdf()), "note-verbale.pdf")
    return client.post(form.action, data=payload, content_type="multipart/form-data")


def assert_refused_beside_the_field(response, form: Form, name: str, value: str) -> None:
    where = f"{form.method} {form.action} as {form.who}, {name}={value[:60]!r}"
    body = html(response)
    assert response.status_code < 500, f"{response.status_code} for {where}"
    assert "could not be stored" not in body, (
        f"the database refused {where}: the form should say why beside the field"
    )
    if response.status_code == 400 and form.method == "POST" and "null character" not in body:
        assert any(marker in body for marker in ERROR_MARKERS), f"400 without a message: {where}"


@pytest.fixture
def forms(app, scenario) -> list[Form]:
    return discover_forms(app, scenario)


def test_every_form_field_with_values_out_of_range(app, scenario, forms):
    # The discovery sees the forms of every kind of visitor, with every kind of field.
    kinds = {kind for form in forms for kind in form.kinds.values()}
    assert {"number", "date", "datetime-local", "select", "checkbox"} <= kinds, kinds
    assert {form.who for form in forms} == set(WHO)
    assert len(forms) >= 20, len(forms)
    failures = []
    for form in forms:
        for name in fields(form):
            for value in values_for(form.kinds[name]):
                client = client_as(app, form.who, scenario)
                try:
                    response = send(client, form, name, value)
                    assert_refused_beside_the_field(response, form, name, value)
                except Exception as error:  # every field's failure at once, not the first only
                    failures.append(f"{form} {name}={value[:40]!r}: {error!r}"[:300])
    assert failures == [], "\n".join(failures)


out_of_range = st.one_of(
    st.integers().map(str),
    st.integers(min_value=2**62, max_value=2**66).map(str),
    st.dates().map(lambda day: day.isoformat()),
    st.datetimes().map(lambda moment: moment.isoformat(timespec="minutes")),
    st.times().map(lambda moment: moment.isoformat(timespec="minutes")),
    st.floats().map(str),
    st.text(max_size=40),
    st.sampled_from(NUMBERS + DATES + DATETIMES + TIMES),
)


@HYPOTHESIS
@given(data=st.data())
def test_any_form_field_with_any_value(app, scenario, forms, data):
    form = data.draw(st.sampled_from(forms), label="form")
    name = data.draw(st.sampled_from(fields(form)), label="field")
    value = data.draw(out_of_range, label="value")
    client = client_as(app, form.who, scenario)
    assert_refused_beside_the_field(send(client, form, name, value), form, name, value)
