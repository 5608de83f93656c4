"""The focal point's side of registration: the task list and its states, the check-your-answers
page that submits, the deadline in the venue's time and zone, error summaries, required marks,
a letter kept as a pending upload when another field fails, and the titles offered."""

from __future__ import annotations

import io
import os
import re
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from congress.accounts.models import User
from congress.congresses.localtime import deadline_text
from congress.congresses.models import Congress
from congress.extensions import db
from congress.registration import credentials
from congress.registration.models import Category, Delegate, Delegation, DelegationStatus, Title
from tests.registration_support import (
    make_congress,
    make_delegate,
    make_delegation,
    make_user,
    pdf_bytes,
    set_quota,
    sign_in,
)

S = DelegationStatus
SAO_PAULO = ZoneInfo("America/Sao_Paulo")
# Rio 2008's deadline: 21 November, a minute to midnight on the venue's clock, in summer time.
RIO_DEADLINE = datetime(2008, 11, 22, 1, 59, tzinfo=UTC)
# A deadline still to come, after Brazil gave up summer time.
LATER_DEADLINE = datetime(2030, 11, 22, 2, 59, tzinfo=UTC)


@pytest.fixture
def world(app):
    with app.app_context():
        congress = make_congress()
        focal_point = make_user("clara@itamaraty.gov.br", name="Clara Nunes", language="pt")
        db.session.commit()
        return {"congress": congress.id, "focal_point": focal_point.id}


def _delegation(app, world, *, members=0, letter=False, status=S.DRAFT, **congress_values):
    with app.app_context():
        congress = db.session.get(Congress, world["congress"])
        for key, value in congress_values.items():
            setattr(congress, key, value)
        delegation = make_delegation(
            congress,
            db.session.get(User, world["focal_point"]),
            status=status,
            credentials_file=credentials.store(pdf_bytes()) if letter else None,
        )
        for n in range(members):
            make_delegate(delegation, f"member{n}@gov.br", family_name=f"Family {n}")
        db.session.commit()
        return delegation.id


def tasks_of(html: str) -> list[tuple[str, str, str]]:
    """The task list as (step, state, the state's words), in the page's order."""
    found = re.findall(
        r'<li class="govuk-task-list__item[^"]*task-(\w+)">.*?'
        r'task-state-(\w+)" id="task-\w+-status">(.*?)</div>',
        html,
        re.S,
    )
    return [(key, state, re.sub(r"<[^>]+>", "", words).strip()) for key, state, words in found]


def submit_forms(html: str) -> list[str]:
    return re.findall(r'<form method="post" action="(/\w+/delegations/\d+/submit)"', html)


# --- The task list ------------------------------------------------------------------------------

DONE, TODO, LATER = (
    ("completed", "Completed"),
    ("incomplete", "Incomplete"),
    ("cannot_start", "Cannot start yet"),
)


@pytest.mark.parametrize(
    ("stage", "states"),
    [
        (dict(), [DONE, TODO, TODO, LATER]),
        (dict(members=2), [DONE, DONE, TODO, LATER]),
        (dict(letter=True), [DONE, TODO, DONE, LATER]),
        (dict(members=2, letter=True), [DONE, DONE, DONE, TODO]),
        (dict(members=2, letter=True, status=S.SUBMITTED), [DONE, DONE, DONE, DONE]),
        (dict(members=2, letter=True, status=S.ACCREDITED), [DONE, DONE, DONE, DONE]),
        # Sent back by the organisers: to be checked and submitted again.
        (dict(members=2, letter=True, status=S.REJECTED), [DONE, DONE, DONE, TODO]),
        # Complete, but too late.
        (
            dict(members=2, letter=True, registration_closes_at=RIO_DEADLINE),
            [DONE, DONE, DONE, LATER],
        ),
    ],
)
def test_the_task_list_gives_each_step_its_state_in_order(app, client, world, stage, states):
    delegation_id = _delegation(app, world, **stage)
    sign_in(client, world["focal_point"])
    html = client.get(f"/en/delegations/{delegation_id}").get_data(as_text=True)
    assert tasks_of(html) == [
        (key, state, words)
        for key, (state, words) in zip(
            ["details", "members", "credentials", "submit"], states, strict=True
        )
    ]
    check = f'href="/en/delegations/{delegation_id}/check"'
    # The last step links to the check page only once it can start.
    assert (check in html) is (states[-1] != LATER)


def test_more_members_than_the_category_allows_leaves_the_members_step_incomplete(
    app, client, world
):
    with app.app_context():
        set_quota(db.session.get(Congress, world["congress"]), Category.STATE, max_delegates=1)
        db.session.commit()
    delegation_id = _delegation(app, world, members=2, letter=True)
    sign_in(client, world["focal_point"])
    html = client.get(f"/en/delegations/{delegation_id}").get_data(as_text=True)
    assert [state for _key, state, _words in tasks_of(html)] == [
        "completed",
        "incomplete",
        "completed",
        "cannot_start",
    ]
    page = client.get(f"/en/delegations/{delegation_id}/check").get_data(as_text=True)
    missing = re.search(
        r'<ul class="govuk-list govuk-list--bullet" id="missing">(.*?)</ul>', page, re.S
    )
    assert re.findall(r"<li>(.*?)</li>", missing[1]) == [
        "Withdraw members until the delegation has no more than 1."
    ]
    assert submit_forms(page) == []


# --- Check your answers -------------------------------------------------------------------------


def test_the_check_page_sums_up_the_delegation_and_holds_the_submit_button(app, client, world):
    delegation_id = _delegation(app, world, members=2, letter=True)
    with app.app_context():
        first = db.session.scalars(
            select(Delegate).where(Delegate.delegation_id == delegation_id).order_by(Delegate.id)
        ).first()
        first.title = Title.HE_MS
        db.session.commit()
        first_id = first.id
    sign_in(client, world["focal_point"])
    # The delegation page no longer submits: it leads to the check page.
    page = client.get(f"/en/delegations/{delegation_id}").get_data(as_text=True)
    assert submit_forms(page) == []
    assert f'href="/en/delegations/{delegation_id}/check">Check and submit</a>' in page

    html = client.get(f"/en/delegations/{delegation_id}/check").get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">Check the delegation before submitting it</h1>' in html
    rows = re.findall(
        r'<dt class="govuk-summary-list__key">(.*?)</dt>\s*'
        r'<dd class="govuk-summary-list__value">(.*?)</dd>',
        html,
        re.S,
    )
    summary = [(key, " ".join(re.sub(r"<[^>]+>", " ", value).split())) for key, value in rows]
    assert summary[:4] == [
        (
            "Congress",
            "Third World Congress against Sexual Exploitation of Children and Adolescents",
        ),
        ("Category", "State"),
        ("Country", "Brazil"),
        ("Focal point", "Clara Nunes, clara@itamaraty.gov.br"),
    ]
    assert [key for key, _value in summary[4:]] == [
        "H.E. Ms Maria Family 0",
        "Maria Family 1",
        "Credentials letter (note verbale)",
    ]
    assert summary[4][1] == (
        "Representative member0@gov.br · Português Not in the public list of participants"
    )
    assert summary[6][1] == "note-verbale.pdf"
    # Change links: each member's form, and the letter's place on the delegation page.
    changes = re.findall(
        r'<dd class="govuk-summary-list__actions">\s*<a class="govuk-link" href="([^"]+)">Change'
        r'<span class="govuk-visually-hidden"> ([^<]+)</span>',
        html,
    )
    assert changes == [
        (f"/en/delegations/{delegation_id}/delegates/{first_id}", "Maria Family 0"),
        (f"/en/delegations/{delegation_id}/delegates/{first_id + 1}", "Maria Family 1"),
        (f"/en/delegations/{delegation_id}#credentials-heading", "Credentials letter"),
    ]
    assert submit_forms(html) == [f"/en/delegations/{delegation_id}/submit"]

    response = client.post(f"/en/delegations/{delegation_id}/submit")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Delegation, delegation_id).status is S.SUBMITTED
    html = client.get(f"/en/delegations/{delegation_id}/check").get_data(as_text=True)
    assert submit_forms(html) == []
    assert "The delegation is already submitted." in html


def test_the_check_page_says_what_is_missing_and_offers_no_button(app, client, world):
    delegation_id = _delegation(app, world)
    sign_in(client, world["focal_point"])
    html = client.get(f"/en/delegations/{delegation_id}/check").get_data(as_text=True)
    missing = re.search(r'id="missing">(.*?)</ul>', html, re.S)
    assert re.findall(r"<li>(.*?)</li>", missing[1]) == [
        "Add at least one member.",
        "Upload the credentials letter.",
    ]
    assert submit_forms(html) == []


def test_the_check_page_is_the_focal_points_alone(app, client, world):
    delegation_id = _delegation(app, world)
    with app.app_context():
        stranger = make_user("someone@example.org").id
        db.session.commit()
    sign_in(client, stranger)
    assert client.get(f"/en/delegations/{delegation_id}/check").status_code == 404


# --- The deadline -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("en_GB", "21 November 2008, 23:59 (Brasilia Summer Time, UTC−02:00)"),
        ("fr", "21 novembre 2008, 23:59 (heure d’été de Brasilia, UTC−02:00)"),
        ("es", "21 de noviembre de 2008, 23:59 (hora de verano de Brasilia, UTC−02:00)"),
        ("pt", "21 de novembro de 2008 23:59 (Horário de Verão de Brasília, UTC−02:00)"),
    ],
)
def test_rios_deadline_is_written_in_the_venues_time_and_zone(locale, text):
    assert deadline_text(RIO_DEADLINE, SAO_PAULO, locale) == text


LATER_TEXT = {
    "en": "21 November 2030, 23:59 (Brasilia Standard Time, UTC−03:00)",
    "fr": "21 novembre 2030, 23:59 (heure normale de Brasilia, UTC−03:00)",
    "es": "21 de noviembre de 2030, 23:59 (hora estándar de Brasilia, UTC−03:00)",
    "pt": "21 de novembro de 2030 23:59 (Horário Padrão de Brasília, UTC−03:00)",
}


@pytest.mark.parametrize("lang", ["en", "fr", "es", "pt"])
def test_the_deadline_shows_on_the_congress_register_and_delegation_pages(app, client, world, lang):
    delegation_id = _delegation(app, world, registration_closes_at=LATER_DEADLINE)
    sign_in(client, world["focal_point"])
    stamp = f'<time datetime="2030-11-22T02:59:00+00:00">{LATER_TEXT[lang]}</time>'
    for path in (
        f"/{lang}/congresses/rio-2008/",
        f"/{lang}/congresses/rio-2008/register",
        f"/{lang}/delegations/{delegation_id}",
        f"/{lang}/delegations/{delegation_id}/check",
    ):
        html = client.get(path).get_data(as_text=True)
        assert stamp in html, path
    english = client.get("/en/congresses/rio-2008/").get_data(as_text=True)
    assert (
        '<p id="deadline">Registration of delegations closes on '
        '<time datetime="2030-11-22T02:59:00+00:00">21 November 2030, 23:59'
        " (Brasilia Standard Time, UTC−03:00)</time>.</p>"
    ) in english
    register = client.get("/en/congresses/rio-2008/register").get_data(as_text=True)
    sentence = re.search(r'<p class="govuk-inset-text" id="deadline">(.*?)</p>', register, re.S)
    assert " ".join(re.sub(r"<[^>]+>", "", sentence[1]).split()) == (
        "Registration closes on 21 November 2030, 23:59 (Brasilia Standard Time, UTC−03:00)."
        " The delegation must be submitted by then, with its members and its credentials letter."
    )


CLOSED = (
    "Registration closed on 21 November 2008, 23:59 (Brasilia Summer Time, UTC−02:00):"
    " the delegation can no longer be submitted."
)


def test_after_the_deadline_no_submit_button_and_a_sentence_saying_so(app, client, world):
    delegation_id = _delegation(
        app,
        world,
        members=1,
        letter=True,
        registration_opens_at=datetime(2008, 9, 1, 12, tzinfo=UTC),
        registration_closes_at=RIO_DEADLINE,
    )
    sign_in(client, world["focal_point"])
    for path in (f"/en/delegations/{delegation_id}", f"/en/delegations/{delegation_id}/check"):
        html = client.get(path).get_data(as_text=True)
        assert submit_forms(html) == [], path
        assert "Check and submit</a>" not in html.replace("govuk-task-list__link", ""), path
        assert CLOSED in " ".join(re.sub(r"<[^>]+>", "", html).split()), path
    congress_page = client.get("/en/congresses/rio-2008/").get_data(as_text=True)
    assert (
        "Registration of delegations closed on "
        '<time datetime="2008-11-22T01:59:00+00:00">21 November 2008, 23:59'
        " (Brasilia Summer Time, UTC−02:00)</time>."
    ) in congress_page
    # And the address itself refuses.
    client.post(f"/en/delegations/{delegation_id}/submit")
    with app.app_context():
        assert db.session.get(Delegation, delegation_id).status is S.DRAFT


# --- Forms: the error summary and required fields ----------------------------------------------


def summary_links(html: str) -> list[tuple[str, str]]:
    body = re.search(r'<div class="govuk-error-summary__body">(.*?)</div>', html, re.S)
    return re.findall(r'<li><a href="(#[\w-]+)">(.*?)</a></li>', body[1])


def test_the_error_summary_links_each_faulty_field_in_the_forms_order(app, client, world):
    delegation_id = _delegation(app, world)
    sign_in(client, world["focal_point"])
    html = client.post(
        f"/en/delegations/{delegation_id}/delegates/new",
        data={
            "title": "",
            "given_names": "",
            "family_name": "",
            "email": "not-an-address",
            "role": "head",
            "preferred_language": "pt",
        },
    ).get_data(as_text=True)
    assert '<div class="govuk-error-summary" data-module="govuk-error-summary">' in html
    assert summary_links(html) == [
        ("#title", "Choose a title, or No title."),
        ("#given_names", "This field is required."),
        ("#family_name", "This field is required."),
        ("#email", "Give a valid email address, such as name@example.org."),
    ]
    # Each link's target is on the page, marked invalid.
    for target, _message in summary_links(html):
        assert re.search(rf'<(input|select)[^>]*aria-invalid="true"[^>]*id="{target[1:]}"', html)

    html = client.post(
        "/en/congresses/rio-2008/register", data={"category": "ngo", "organisation_name": ""}
    ).get_data(as_text=True)
    assert summary_links(html) == [("#organisation_name", "Give the name of the organisation.")]


def test_the_page_script_starts_govuk_components_such_as_the_error_summary():
    # GOV.UK's error-summary module moves the focus to the summary: initAll starts it.
    script = (Path(__file__).parents[1] / "static" / "js" / "congress.js").read_text()
    assert 'import { initAll } from "../govuk-frontend/govuk-frontend.min.js";' in script
    assert re.search(r"^initAll\(\);$", script, re.M)


def labels_of(html: str) -> dict[str, str]:
    return {
        field_id: " ".join(re.sub(r"<[^>]+>", "", text).split())
        for field_id, text in re.findall(
            r'<label class="govuk-label[^"]*" for="(\w+)">(.*?)</label>', html, re.S
        )
    }


def test_required_fields_are_marked_from_their_validators(app, client, world):
    delegation_id = _delegation(app, world)
    sign_in(client, world["focal_point"])
    html = client.get(f"/en/delegations/{delegation_id}/delegates/new").get_data(as_text=True)
    assert labels_of(html) == {
        "title": "Title (required)",
        "given_names": "Given names (required)",
        "family_name": "Family name (required)",
        "function": "Function",
        "role": "Role in the delegation",
        "email": "Email (required)",
        "preferred_language": "Preferred language",
        "public_consent": "Appears in the public list of participants",
        "accessibility_needs": "Accessibility needs",
    }
    html = client.get("/en/congresses/rio-2008/register").get_data(as_text=True)
    assert labels_of(html) == {
        "category": "Category (required)",
        "country_code": "Country",
        "organisation_name": "Name of the organisation",
        "credentials": "Credentials letter (note verbale)",
    }


# --- A letter kept while another field fails ---------------------------------------------------


def pending_files(app) -> list[Path]:
    return sorted((Path(app.instance_path) / "pending-credentials").glob("*.pdf"))


def hidden_token(html: str) -> str:
    return re.search(
        r'<input id="pending_credentials" name="pending_credentials" type="hidden"'
        r' value="([^"]*)">',
        html,
    )[1]


KEPT = "Already received: {}. It is kept; choose another file only to replace it."


def test_a_letter_survives_a_failed_submit_and_is_stored_on_the_successful_one(app, client, world):
    sign_in(client, world["focal_point"])
    letter = pdf_bytes("Nota verbal 12")
    html = client.post(
        "/en/congresses/rio-2008/register",
        data={
            "category": "ngo",
            "organisation_name": "",
            "credentials": (io.BytesIO(letter), "letter.pdf"),
        },
    ).get_data(as_text=True)
    assert summary_links(html) == [("#organisation_name", "Give the name of the organisation.")]
    kept_line = KEPT.format("letter.pdf")
    assert f'<p id="credentials-pending" class="govuk-body file-pending">{kept_line}</p>' in html
    token = hidden_token(html)
    assert token
    (kept,) = pending_files(app)
    assert kept.read_bytes() == letter

    # Another failure without a new file: still kept, by the same token.
    html = client.post(
        "/en/congresses/rio-2008/register",
        data={"category": "ngo", "organisation_name": " ", "pending_credentials": token},
    ).get_data(as_text=True)
    assert hidden_token(html) == token
    assert KEPT.format("letter.pdf") in html

    response = client.post(
        "/en/congresses/rio-2008/register",
        data={"category": "ngo", "organisation_name": "ECPAT Brasil", "pending_credentials": token},
    )
    assert response.status_code == 302
    with app.app_context():
        delegation = db.session.scalar(select(Delegation))
        assert (delegation.organisation_name, delegation.credentials_filename) == (
            "ECPAT Brasil",
            "letter.pdf",
        )
        assert credentials.path_of(delegation.credentials_file).read_bytes() == letter
    assert pending_files(app) == []


def test_another_file_replaces_the_pending_one(app, client, world):
    sign_in(client, world["focal_point"])
    html = client.post(
        "/en/congresses/rio-2008/register",
        data={"category": "ngo", "credentials": (io.BytesIO(pdf_bytes("first")), "first.pdf")},
    ).get_data(as_text=True)
    token = hidden_token(html)
    html = client.post(
        "/en/congresses/rio-2008/register",
        data={
            "category": "ngo",
            "pending_credentials": token,
            "credentials": (io.BytesIO(pdf_bytes("second")), "second.pdf"),
        },
    ).get_data(as_text=True)
    assert KEPT.format("second.pdf") in html
    assert "first.pdf" not in html
    (kept,) = pending_files(app)
    assert kept.read_bytes() == pdf_bytes("second")


def test_a_pending_letter_is_its_senders_alone(app, client, world):
    sign_in(client, world["focal_point"])
    html = client.post(
        "/en/congresses/rio-2008/register",
        data={"category": "ngo", "credentials": (io.BytesIO(pdf_bytes()), "letter.pdf")},
    ).get_data(as_text=True)
    token = hidden_token(html)
    with app.app_context():
        other = make_user("other@example.org").id
        db.session.commit()
    sign_in(client, other)
    client.post(
        "/en/congresses/rio-2008/register",
        data={"category": "ngo", "organisation_name": "Other NGO", "pending_credentials": token},
    )
    with app.app_context():
        delegation = db.session.scalar(select(Delegation))
        assert (delegation.organisation_name, delegation.credentials_file) == ("Other NGO", None)
    # A forged token names nothing.
    with app.test_request_context():
        assert credentials.read_pending(token + "x", world["focal_point"]) is None
        assert credentials.read_pending(token, world["focal_point"]) is not None


def test_pending_letters_older_than_a_day_are_removed(app):
    with app.test_request_context():
        old = credentials.keep_pending(pdf_bytes("old"), "old.pdf", owner_id=1)
        path = credentials.pending_folder() / old.stored
        day_and_more = time.time() - credentials.PENDING_MAX_AGE.total_seconds() - 60
        os.utime(path, (day_and_more, day_and_more))
        fresh = credentials.keep_pending(pdf_bytes("fresh"), "fresh.pdf", owner_id=1)
        assert not path.exists()
        assert [p.name for p in pending_files(app)] == [fresh.stored]
        # And its token no longer reads.
        assert credentials.read_pending(old.token, 1) is None


# --- Titles -------------------------------------------------------------------------------------


def options_of(html: str, select_id: str) -> list[tuple[str, bool, str]]:
    select_html = re.search(rf'<select[^>]*id="{select_id}".*?</select>', html, re.S)[0]
    return [
        (value, bool(selected), text)
        for selected, value, text in re.findall(
            r'<option( selected)? value="([^"]*)">(.*?)</option>', select_html
        )
    ]


FRENCH_TITLES = ["S. E. M.", "S. E. Mme", "M.", "Mme", "Dr", "Pr"]
PROTOCOL = {
    "es": ["Excmo. Sr.", "Excma. Sra.", "Sr.", "Sra.", "Dr.", "Prof."],
    "pt": ["Exmo. Sr.", "Exma. Sra.", "Sr.", "Sra.", "Dr.", "Prof."],
    "fr": FRENCH_TITLES,
}


def test_titles_are_offered_in_words_with_nothing_chosen(app, client, world):
    delegation_id = _delegation(app, world, members=1)
    sign_in(client, world["focal_point"])
    html = client.get(f"/en/delegations/{delegation_id}/delegates/new").get_data(as_text=True)
    assert options_of(html, "title") == [
        ("", True, "Choose a title"),
        ("he_mr", False, "H.E. Mr"),
        ("he_ms", False, "H.E. Ms"),
        ("mr", False, "Mr"),
        ("ms", False, "Ms"),
        ("dr", False, "Dr"),
        ("prof", False, "Prof."),
        ("none", False, "No title"),
    ]
    # In each language, the titles as its protocol writes them (the catalogue's words).
    for lang, words in PROTOCOL.items():
        html = client.get(f"/{lang}/delegations/{delegation_id}/delegates/new").get_data(
            as_text=True
        )
        options = options_of(html, "title")
        assert [text for _value, _selected, text in options][1:7] == words, lang
        assert all(text and text != value for value, _s, text in options), lang
    french = [text for _value, _selected, text in options_of(html, "title")]
    # Only the empty choice comes chosen: no title is put in anyone's mouth.
    assert [o for o in options_of(html, "title") if o[1]] == [("", True, french[0])]
    # A member without a title reads "No title", chosen, when edited.
    with app.app_context():
        member = db.session.scalar(select(Delegate))
        member.title = Title.NONE
        db.session.commit()
        member_id = member.id
    html = client.get(f"/en/delegations/{delegation_id}/delegates/{member_id}").get_data(
        as_text=True
    )
    assert [o for o in options_of(html, "title") if o[1]] == [("none", True, "No title")]
