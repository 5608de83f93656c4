"""Hostile input: arbitrary text through every form field and query parameter.

The forms are not listed here: they are found by opening every page the app's
routes lead to (as a visitor, a focal point and an administrator) and reading the
<form> elements in them, so that a new form is covered the day it appears. Query
parameters are found the same way, by reading the names the code asks
``request.args`` for.

For every field, and every query parameter of every page:

- the answer is never a server error;
- a form that accepts the text (a redirect) stored it exactly; a form that refuses
  it says why beside a field, and gives the text back in the field;
- the text never comes back as markup: no page carries it unescaped.

Each (form, field) pair and each page gets a fixed set of nasty strings; Hypothesis
then draws more, bounded so that the suite stays fast.
"""

from __future__ import annotations

import io
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import JSON, Enum, String, Text, select

from congress.extensions import db
from congress.programme.models import Session, SessionStatus
from congress.registration.models import (
    Category,
    Delegate,
    DelegateRole,
    Delegation,
    DelegationStatus,
)
from tests.security_support import (
    PASSWORD,
    Scenario,
    a_pdf,
    build_scenario,
    client_as,
    get_pages,
    url_for_rule,
)

# Hypothesis draws here: no broker's worker threads may touch the global random state.
pytestmark = pytest.mark.jobs_in_process

# --- Hostile text ---------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
PIECES = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "' OR '1'='1",
    "'; DROP TABLE users; --",
    "\\",
    "%s %(name)s {0} {{ 7*7 }}",
    "\r\n",
    "\n\nBEGIN:VEVENT\r\nSUMMARY:injected",
    "\x00",
    "\u202eevil\u202c",  # right-to-left override
    "العربية",
    "עברית",
    "e\u0301\u0301\u0301",  # combining accents
    '=HYPERLINK("http://x")',
    "+1",
    "@SUM(A1)",
    "&amp; &lt; &#x3C;",
    "\ufeff\u200b",
    "😀👩‍👩‍👧",
]
# Fixed strings every field and page gets, whatever Hypothesis draws.
NASTY = [
    "".join(PIECES[:6]) + " Ana d'Ávila",
    "line one\r\nline two\ttab " + PIECES[9] + PIECES[12],
    "NUL\x00byte",
    ("Łódź " + PIECES[10] + " ") * 400,  # about 5,000 characters
]

hostile_text = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(PIECES) | st.text(max_size=8), min_size=1, max_size=6).map("".join),
    st.sampled_from(PIECES).map(lambda piece: piece * 300),
)

HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ERROR_MARKERS = ("govuk-error-message", 'aria-invalid="true"', 'role="alert"', "flash error")


# --- Forms found in the pages ----------------------------------------------------------------

TEXT_TYPES = {"text", "search", "email", "url", "tel", "textarea", "password", None}


@dataclass
class Form:
    page: str
    who: str | None
    action: str
    method: str
    values: dict[str, list[str]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # name → input type
    text_fields: dict[str, str] = field(default_factory=dict)  # name → input type
    files: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        return (self.who, self.method, self.action, tuple(sorted(self.text_fields)))

    def __repr__(self) -> str:
        return f"<{self.method} {self.action} as {self.who}>"


class FormParser(HTMLParser):
    def __init__(self, page: str, who: str | None):
        super().__init__(convert_charrefs=True)
        self.page, self.who = page, who
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None
        self.select_first: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = a.get("action") or self.page
            self.form = Form(self.page, self.who, action, (a.get("method") or "get").upper())
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        if tag == "option" and self.select:
            value = a.get("value", "")
            if self.select_first is None and value:
                self.select_first = value
            if "selected" in a:
                self.form.values[self.select] = [value]
            return
        name = a.get("name")
        if not name:
            return
        values = self.form.values
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            self.form.kinds[name] = kind
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    values.setdefault(name, []).append(a.get("value", "y"))
            elif kind == "file":
                self.form.files.append(name)
            elif kind not in ("submit", "button", "image", "reset"):
                values.setdefault(name, []).append(a.get("value", ""))
                if kind in TEXT_TYPES and name != "csrf_token":
                    self.form.text_fields[name] = kind
        elif tag == "select":
            self.form.kinds[name] = "select"
            self.select, self.select_first = name, None
        elif tag == "textarea":
            self.textarea = name
            values[name] = [""]
            self.form.kinds[name] = self.form.text_fields[name] = "textarea"

    def handle_data(self, data):
        if self.form is not None and self.textarea:
            self.form.values[self.textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.form is not None and self.select:
            if self.select not in self.form.values and self.select_first is not None:
                self.form.values[self.select] = [self.select_first]
            self.select = None
        elif tag == "textarea" and self.form is not None and self.textarea:
            # HTML drops the newline that opens a textarea's content.
            text = self.form.values[self.textarea][0]
            self.form.values[self.textarea][0] = text.removeprefix("\r\n").removeprefix("\n")
            self.textarea = None


def discover_forms(app, scenario: Scenario) -> list[Form]:
    """The forms with a text field in every page, as each kind of visitor sees them."""
    found: dict[tuple, Form] = {}
    pages = get_pages(app, scenario)
    for who in (None, "focal_point", "admin"):
        client = client_as(app, who, scenario)
        for _rule, url in pages:
            if url.endswith((".pdf", ".csv", ".ics")):
                continue
            response = client.get(url)
            page = html(response)
            if not page or response.status_code != 200:
                continue
            parser = FormParser(url, who)
            parser.feed(page)
            for form in parser.forms:
                if form.text_fields and urlsplit(form.action).netloc in ("", "congress.test"):
                    found.setdefault(form.key, form)
    return list(found.values())


# --- Query parameters the code reads -----------------------------------------------------------

ARGS_PATTERN = re.compile(r"""request\.args(?:\.get(?:list)?\(|\[)\s*["']([A-Za-z_][\w-]*)["']""")


def query_parameters() -> list[str]:
    """Every name the code asks ``request.args`` for, and a few any page may be sent."""
    package = Path(__file__).resolve().parent.parent / "congress"
    names = {"page", "q", "lang", "next", "sort", "format", "action"}
    for path in package.rglob("*.py"):
        names.update(ARGS_PATTERN.findall(path.read_text(encoding="utf-8")))
    # Filter classes read their arguments by name too (ProgrammeFilter.from_args(args)).
    for path in package.rglob("*.py"):
        names.update(re.findall(r"""args\.get\(\s*["']([A-Za-z_][\w-]*)["']""", path.read_text()))
    return sorted(names)


# --- Checks --------------------------------------------------------------------------------------


def stored(app, value: str, *, anywhere: bool = False) -> bool:
    """Whether some text column (or text in a JSON column) holds ``value`` exactly, or
    with ``anywhere``, holds it within a longer text."""
    wanted = {value, value.rstrip()}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for column in table.columns:
                impl = getattr(column.type, "impl_instance", column.type)
                if isinstance(impl, String | Text) and not isinstance(impl, Enum):
                    if anywhere:
                        condition = column.contains(value, autoescape=True)
                    else:
                        condition = column.in_(sorted(wanted))
                    if db.session.execute(select(column).where(condition).limit(1)).first():
                        db.session.remove()
                        return True
                elif isinstance(impl, JSON):
                    for (data,) in db.session.execute(select(column)):
                        texts = list(_strings(data))
                        if anywhere and any(value in text for text in texts):
                            db.session.remove()
                            return True
                        if not anywhere and wanted & set(texts):
                            db.session.remove()
                            return True
        db.session.remove()
    return False


def _strings(data) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for item in data.values():
            yield from _strings(item)
    elif isinstance(data, list):
        for item in data:
            yield from _strings(item)


def short(value: str) -> str:
    return repr(value if len(value) <= 80 else value[:60] + "…" + value[-10:])


def html(response) -> str:
    """The page's text; other answers (CSV, PDF, iCal) are read to the end and closed."""
    data = response.get_data()
    response.close()
    return data.decode() if response.mimetype == "text/html" else ""


# The page's own scripts, which come from /static/ and from nowhere else.
OWN_SCRIPTS = re.compile(
    r'<script (?:type="module" )?src="/static/(?:js|vendor/[a-z]+)/[A-Za-z-]+\.js"(?: defer)?>'
    r"</script>"
)


def assert_not_raw(body: str, value: str) -> None:
    """Markup in ``value`` never comes back as markup."""
    body = OWN_SCRIPTS.sub("", body)
    for marker in ("<script", "<img src=x"):
        if marker in value:
            assert marker not in body, f"{marker!r} came back unescaped"


def assert_answer(app, response, value: str, form: Form | None = None, name: str = "") -> None:
    """The answer to ``value`` sent in field ``name`` of ``form`` (or in a query string)."""
    assert response.status_code < 500, f"{response.status_code} for {short(value)} in {form} {name}"
    body = html(response)
    assert_not_raw(body, value)
    if form is None or form.method == "GET":
        return
    if "\x00" in value:
        assert response.status_code == 400
        assert "contains a null character, which cannot be stored" in body
        return
    assert "could not be stored" not in body, (
        f"{form}: the database refused {short(value)} from {name}; the form should have said why "
        "beside the field (a Length validator?)"
    )
    if form.text_fields[name] == "password":
        return
    token = value[: len(TOKEN)]
    if response.status_code in (301, 302, 303):
        if "/account/sign-in" in response.headers["Location"]:
            return
        # Accepted: kept exactly (a list of names, one a line, line by line with its spaces
        # tidied), or not kept at all (a field the other choices made irrelevant).
        lines = [" ".join(line.split()) for line in value.splitlines() if line.strip()]
        kept = stored(app, value) or all(stored(app, line) for line in lines)
        assert kept or not stored(app, token, anywhere=True), (
            f"{form} accepted {short(value)} in {name} but kept it altered"
        )
    elif response.status_code in (200, 400, 403, 409, 422) and any(
        marker in body for marker in ERROR_MARKERS
    ):
        # Refused with a message, and the text is given back to correct.
        assert _escaped(value.rstrip()[:40]) in body or stored(app, value), (
            f"{form} lost {short(value)} from {name}"
        )


def _escaped(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def baseline(form: Form) -> dict[str, list[str]]:
    """The form as the page gives it, with plausible values in the empty fields, so that
    only the hostile text can make it fail."""
    unique = secrets.token_hex(4)
    data = {key: list(values) for key, values in form.values.items()}
    for name, kind in form.kinds.items():
        if data.get(name, [""]) != [""] or kind in ("checkbox", "radio", "hidden", "select"):
            continue
        ending = "end" in name
        data[name] = [
            {
                "email": f"person-{unique}@example.org",
                "password": PASSWORD if "current" in name else "a new long passphrase 42",
                "date": "2030-06-03" if ending else "2030-06-01",
                "datetime-local": "2027-11-23T11:00" if ending else "2027-11-23T10:00",
                "time": "11:00" if ending else "10:00",
                "number": "10",
                "url": "https://example.org/",
            }.get(kind, {"slug": f"congress-{unique}", "timezone": "Europe/Paris"}.get(name, "Ana"))
        ]
    return data


def submit(client, form: Form, name: str, value: str):
    data = baseline(form)
    data[name] = [value]
    if form.method == "GET":
        return client.get(form.action, query_string=data)
    payload: dict = dict(data)
    for upload in form.files:
        payload[upload] = (io.BytesIO(a_pdf()), "note-verbale.pdf")
    return client.post(form.action, data=payload, content_type="multipart/form-data")


# --- The tests ---------------------------------------------------------------------------------


@pytest.fixture
def scenario(app) -> Scenario:
    # The limits on sign-up and registration are tested elsewhere; here they would only
    # turn the later examples into 429s.
    for key, value in list(app.config.items()):
        if (key.startswith("RATELIMIT_") or key.endswith("_RATE_LIMIT")) and " per " in str(value):
            app.config[key] = "100000 per minute"
    return build_scenario(app)


@pytest.fixture
def forms(app, scenario) -> list[Form]:
    return discover_forms(app, scenario)


def test_the_forms_are_found(forms):
    """The discovery sees the forms of every area that has them."""
    actions = {form.action.split("?")[0] for form in forms}
    assert any(action.endswith("/account/sign-in") for action in actions)
    assert any(action.endswith("/search") for action in actions)
    assert len(forms) >= 5, forms


TOKEN = "tok00000"


def tokened(text: str) -> str:
    """``text`` behind a marker of its own, to tell it from what earlier examples stored."""
    return "tok" + secrets.token_hex(3)[:5] + text


def test_every_form_field_with_nasty_strings(app, scenario, forms):
    for form in forms:
        for name in form.text_fields:
            for nasty in NASTY:
                value = tokened(nasty)
                client = client_as(app, form.who, scenario)
                assert_answer(app, submit(client, form, name, value), value, form, name)


@HYPOTHESIS
@given(data=st.data())
def test_any_form_field_with_any_text(app, scenario, forms, data):
    form = data.draw(st.sampled_from(forms), label="form")
    name = data.draw(st.sampled_from(sorted(form.text_fields)), label="field")
    value = tokened(data.draw(hostile_text, label="text"))
    client = client_as(app, form.who, scenario)
    assert_answer(app, submit(client, form, name, value), value, form, name)


def _slow(url: str) -> bool:
    return url.endswith(".pdf")


def test_every_page_with_nasty_query_parameters(app, scenario):
    names = query_parameters()
    client = client_as(app, "admin", scenario)
    for _rule, url in get_pages(app, scenario):
        for value in NASTY[:1] if _slow(url) else NASTY:
            query = urlencode({name: value for name in names})
            response = client.get(f"{url}?{query}")
            assert response.status_code < 500, f"{response.status_code} for {url}?{query[:80]}"
            assert_not_raw(html(response), value)


@HYPOTHESIS
@given(data=st.data())
def test_any_page_with_any_query_parameter_or_path_value(app, scenario, data):
    pages = [(rule, url) for rule, url in get_pages(app, scenario) if not _slow(url)]
    rule, url = data.draw(st.sampled_from(pages), label="page")
    value = data.draw(hostile_text, label="text")
    who = data.draw(st.sampled_from([None, "focal_point", "admin"]), label="who")
    client = client_as(app, who, scenario)
    name = data.draw(st.sampled_from(query_parameters()), label="parameter")
    response = client.get(url, query_string={name: value})
    assert response.status_code < 500, f"{response.status_code} for {url} {name}={short(value)}"
    assert_not_raw(html(response), value)
    # The same text where the address takes a word: a slug, a token, a code.
    words = [arg for arg in rule.arguments if arg not in ("lang",) and not arg.endswith("id")]
    if words and value:
        path = url_for_rule(app, rule, scenario, **{words[0]: value})
        response = client.get(path)
        assert response.status_code < 500, f"{response.status_code} for {path!r}"
        assert_not_raw(html(response), value)


# --- Stored text comes back escaped in HTML, CSV, PDF and iCal ---------------------------------


STORED = {
    # Starts like a formula, to be neutralised in CSV; carries markup for HTML and PDF.
    "given_names": '=HYPERLINK("http://x")<b>Ana</b> <script>alert(1)</script>',
    "function": 'Adviser, "legal"; <i>line</i>\r\nsecond line',
    "organisation_name": "<b>ECPAT</b> & Co. d'Ávila \u202eevil\u202c",
    "title": "Opening, plenary; <script>alert(1)</script>\r\nBEGIN:VEVENT\r\nSUMMARY:injected",
    "description": "Line one\nDTSTART:19700101T000000Z\n<b>bold</b> \\ back",
}


@pytest.fixture
def hostile_records(app):
    """The demo congress, with hostile text in an accredited delegation and a session."""
    from congress.demo import DemoSize, build_demo

    with app.app_context():
        demo = build_demo(DemoSize(delegations=3, delegates=6, sessions=4, rooms=2, days=2))
        demo.programme_published_at = datetime.now(UTC) - timedelta(hours=1)
        delegation = Delegation(
            congress_id=demo.id,
            category=Category.NGO,
            organisation_name=STORED["organisation_name"],
            status=DelegationStatus.ACCREDITED,
        )
        db.session.add(delegation)
        db.session.flush()
        db.session.add(
            Delegate(
                delegation_id=delegation.id,
                congress_id=demo.id,
                given_names=STORED["given_names"],
                family_name="Souza",
                function=STORED["function"],
                role=DelegateRole.HEAD,
                email="ana@example.org",
                public_consent=True,
            )
        )
        session = db.session.scalar(
            select(Session).where(Session.congress_id == demo.id).order_by(Session.starts_at)
        )
        session.title = {"en": STORED["title"]}
        session.description = {"en": STORED["description"]}
        session.status = SessionStatus.CONFIRMED
        db.session.commit()
        return {"slug": demo.slug, "session_id": session.id, "uid": session.uid}


def test_stored_text_is_escaped_in_html(client, hostile_records):
    slug = hostile_records["slug"]
    pages = [
        f"/en/congresses/{slug}/participants",
        f"/en/congresses/{slug}/programme",
        f"/en/congresses/{slug}/sessions/{hostile_records['session_id']}",
    ]
    for url in pages:
        body = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in body, url
        assert "<b>" not in body, url
    participants = client.get(pages[0]).get_data(as_text=True)
    assert "&lt;b&gt;Ana&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;" in participants
    assert "&lt;b&gt;ECPAT&lt;/b&gt; &amp; Co. d&#39;Ávila" in participants
    session = client.get(pages[2]).get_data(as_text=True)
    assert "Opening, plenary; &lt;script&gt;alert(1)&lt;/script&gt;" in session


def test_stored_text_is_escaped_in_csv(client, hostile_records):
    import csv

    response = client.get(f"/en/congresses/{hostile_records['slug']}/participants.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    (row,) = [r for r in rows if "Souza" in "".join(r).title() or "SOUZA" in "".join(r)]
    # A spreadsheet reads the cell as text, not as a formula; the rest comes back exactly.
    assert "'" + STORED["given_names"] in row
    assert STORED["function"] in row
    assert STORED["organisation_name"] in row
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


def test_stored_text_is_escaped_in_pdf(client, hostile_records):
    from pypdf import PdfReader

    from tests.pdf_support import get_pdf

    response = get_pdf(client, f"/en/congresses/{hostile_records['slug']}/participants.pdf")
    assert response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.get_data())).pages)
    # Markup shows as the characters typed: had it been read as HTML, <b> would be bold
    # type and the script would have vanished.
    # (pypdf reads WeasyPrint's two-byte glyph codes with a NUL before each character.)
    flat = " ".join(text.replace("\x00", "").split())
    assert "<b>Ana</b> <script>alert(1)</script>" in flat
    assert "<b>ECPAT</b> & Co. d'Ávila" in flat


def test_stored_text_is_escaped_in_ical(client, hostile_records):
    from icalendar import Calendar

    response = client.get(f"/congresses/{hostile_records['slug']}/calendar.ics")
    assert response.mimetype == "text/calendar"
    raw = response.get_data(as_text=True)
    calendar = Calendar.from_ical(raw)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    event = events[hostile_records["uid"] + "@congress.test"]
    # The text comes back exactly, line breaks and all, and adds no property or event.
    assert str(event["SUMMARY"]).replace("\r\n", "\n") == STORED["title"].replace("\r\n", "\n")
    assert "Line one\nDTSTART:19700101T000000Z" in str(event["DESCRIPTION"])
    assert raw.count("BEGIN:VEVENT") == len(events)
    unfolded = raw.replace("\r\n ", "")
    assert not any(
        line.startswith(("SUMMARY:injected", "DTSTART:1970")) for line in unfolded.split("\r\n")
    )
