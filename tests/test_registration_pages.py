"""Registration pages: the window, the forms, uploads, the queue, CSRF, rate limits and faults."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from markupsafe import escape
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from congress.accounts.models import User
from congress.audit.models import AuditEntry
from congress.congresses.models import Congress
from congress.extensions import db
from congress.i18n import FORMAT_LOCALES
from congress.i18n.countries import states_on
from congress.mail import read_outbox
from congress.registration import credentials
from congress.registration.models import (
    Category,
    Delegate,
    DelegateRole,
    Delegation,
    DelegationStatus,
    DelegationTransition,
)
from tests.markup import field_errors, plain
from tests.registration_support import (
    app_with,
    make_congress,
    make_delegate,
    make_delegation,
    make_user,
    pdf_bytes,
    set_quota,
    sign_in,
)

S = DelegationStatus


def field_block(html: str, field_id: str) -> str:
    """The form group holding the input ``field_id``: its label, hint and errors."""
    for start in re.finditer(r'<div class="govuk-form-group field[^"]*">', html):
        # To the group's own closing tag, past the divs inside it.
        depth, at = 0, start.start()
        for tag in re.finditer(r"<(/?)div\b", html[at:]):
            depth += -1 if tag[1] else 1
            if depth == 0:
                block = html[at : at + tag.end()]
                break
        if f'id="{field_id}"' in block:
            return block
    raise AssertionError(f"no field {field_id!r} in the page")


def translated(app, lang: str, message: str) -> str:
    """``message`` as the page in ``lang`` shows it, from the project's catalogues."""
    with app.test_request_context(f"/{lang}/"), force_locale(FORMAT_LOCALES[lang]):
        return gettext(message)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def errors_of(html: str, field_id: str) -> list[str]:
    return field_errors(field_block(html, field_id), field_id)


def option_texts(html: str, select_id: str) -> list[str]:
    select_html = re.search(rf'<select[^>]*id="{select_id}".*?</select>', html, flags=re.S)
    return re.findall(r"<option[^>]*>(.*?)</option>", select_html.group(0))


@pytest.fixture
def world(app):
    """Rio with registration open, a confirmed focal point and an organiser."""
    with app.app_context():
        congress = make_congress()
        focal_point = make_user("clara@itamaraty.gov.br", name="Clara Nunes", language="pt")
        organiser = make_user("olga@example.org", name="Olga Organiser", organises=(congress,))
        db.session.commit()
        return {"congress": congress.id, "focal_point": focal_point.id, "organiser": organiser.id}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- The registration window ------------------------------------------------------------


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (
            datetime(2030, 9, 2, 12, tzinfo=UTC),
            datetime(2030, 10, 31, 2, 59, tzinfo=UTC),
            "Registration opens on 2 September 2030, 09:00 (Brasilia Standard Time, UTC−03:00)."
            " It closes on 30 October 2030, 23:59 (Brasilia Standard Time, UTC−03:00).",
        ),
        (
            datetime(2008, 9, 1, 12, tzinfo=UTC),
            datetime(2008, 10, 31, 3, tzinfo=UTC),
            "Registration closed on 31 October 2008, 01:00 (Brasilia Summer Time, UTC−02:00).",
        ),
        (None, None, "Registration for this congress is not open, and no date has been set yet."),
    ],
)
def test_outside_the_window_the_page_says_when_it_opens_or_that_it_closed(
    app, client, opens, closes, message
):
    with app.app_context():
        make_congress(registration_opens_at=opens, registration_closes_at=closes)
        user = make_user("fp@example.org")
        db.session.commit()
        sign_in(client, user)
    response = client.get("/en/congresses/rio-2008/register")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert text_of(re.search(r'id="registration-window">(.*?)</div>', html, re.S)[1]) == message
    assert 'name="category"' not in html


def test_only_open_categories_are_offered(app, client, world):
    with app.app_context():
        congress = db.session.get(Congress, world["congress"])
        set_quota(congress, Category.MEDIA, is_open=False)
        set_quota(congress, Category.PRIVATE_SECTOR, is_open=False)
        db.session.commit()
    sign_in(client, world["focal_point"])
    html = client.get("/en/congresses/rio-2008/register").get_data(as_text=True)
    assert option_texts(html, "category") == [
        "State",
        "UN body or agency",
        "Other intergovernmental organisation",
        "Non-governmental organisation",
        "Children and young people",
    ]


def test_an_unconfirmed_account_is_asked_to_confirm_first(app, client):
    with app.app_context():
        make_congress()
        user = make_user("new@example.org", confirmed=False)
        db.session.commit()
    sign_in(client, user)
    response = client.get("/en/congresses/rio-2008/register")
    assert response.status_code == 403
    assert "Please confirm your email address first" in response.get_data(as_text=True)
    response = client.post("/en/congresses/rio-2008/register", data={"category": "ngo"})
    assert response.status_code == 403
    with app.app_context():
        assert count(Delegation) == 0


# --- Registering a delegation -----------------------------------------------------------


def test_countries_are_named_in_the_page_language_and_collated(app, client, world):
    sign_in(client, world["focal_point"])
    html = client.get("/fr/congresses/rio-2008/register").get_data(as_text=True)
    names = option_texts(html, "country_code")
    assert names[0] == translated(app, "fr", "Choose a country")
    assert "Brésil" in names
    assert names.index("Dominique") < names.index("Égypte") < names.index("Espagne")
    assert names.index("Zimbabwe") == len(names) - 1


def test_a_focal_point_registers_a_state_with_its_letter(app, client, world):
    sign_in(client, world["focal_point"])
    response = client.post(
        "/en/congresses/rio-2008/register",
        data={
            "category": "state",
            "country_code": "BR",
            "credentials": (io.BytesIO(pdf_bytes()), "Nota verbal nº 12.pdf"),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        delegation = db.session.scalar(select(Delegation))
        assert response.headers["Location"] == f"/en/delegations/{delegation.id}"
        assert (delegation.country_code, delegation.status, delegation.focal_point_id) == (
            "BR",
            S.DRAFT,
            world["focal_point"],
        )
        assert delegation.credentials_filename == "Nota verbal nº 12.pdf"
        # Stored outside static/, by a generated name, with the bytes sent.
        stored = credentials.path_of(delegation.credentials_file)
        assert stored.parent == Path(app.instance_path) / "credentials"
        assert re.fullmatch(r"[0-9a-f]{32}\.pdf", stored.name)
        assert stored.read_bytes() == pdf_bytes()
        audit = db.session.scalar(select(AuditEntry))
        assert (audit.action, audit.actor_id, audit.after["country_code"]) == (
            "delegation.register",
            world["focal_point"],
            "BR",
        )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<h1>Brazil</h1>" in plain(page)


def test_a_country_already_registered_is_said_beside_the_country(app, client, world):
    with app.app_context():
        congress = db.session.get(Congress, world["congress"])
        make_delegation(congress, make_user("first@example.org"), country_code="BR")
        db.session.commit()
    sign_in(client, world["focal_point"])
    response = client.post(
        "/pt/congresses/rio-2008/register", data={"category": "state", "country_code": "BR"}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert errors_of(html, "country_code") == [
        translated(app, "pt", "This country's delegation is already registered for this congress.")
    ]
    assert '<option selected value="BR">Brasil</option>' in field_block(html, "country_code")
    with app.app_context():
        assert count(Delegation) == 1


def test_an_organisation_needs_its_name_and_keeps_what_was_chosen(client, world):
    sign_in(client, world["focal_point"])
    html = client.post(
        "/en/congresses/rio-2008/register", data={"category": "ngo", "organisation_name": "  "}
    ).get_data(as_text=True)
    assert errors_of(html, "organisation_name") == ["Give the name of the organisation."]
    assert '<option selected value="ngo">' in field_block(html, "category")
    html = client.post(
        "/en/congresses/rio-2008/register", data={"category": "state", "organisation_name": "X"}
    ).get_data(as_text=True)
    assert errors_of(html, "country_code") == ["Choose the country."]
    assert 'value="X"' in field_block(html, "organisation_name")


NOT_A_PDF = "The file is not a PDF document."
DAMAGED = "The PDF document is incomplete or damaged."


@pytest.mark.parametrize(
    ("content", "filename", "mimetype", "error"),
    [
        (b"Just text, not a PDF", "note.pdf", "application/pdf", NOT_A_PDF),
        (b"<html>%PDF-1.4</html>", "note.pdf", "application/pdf", NOT_A_PDF),
        (pdf_bytes()[:300], "note.pdf", "application/pdf", DAMAGED),
        (b"", "note.pdf", "application/pdf", None),  # no file chosen: nothing to check
    ],
)
def test_the_letter_is_judged_by_its_bytes(app, client, world, content, filename, mimetype, error):
    sign_in(client, world["focal_point"])
    response = client.post(
        "/en/congresses/rio-2008/register",
        data={
            "category": "ngo",
            "organisation_name": "ECPAT Brasil",
            "credentials": (io.BytesIO(content), filename if content else "", mimetype),
        },
    )
    if error is None:
        assert response.status_code == 302
        return
    html = response.get_data(as_text=True)
    assert errors_of(html, "credentials") == [error]
    assert 'value="ECPAT Brasil"' in field_block(html, "organisation_name")
    with app.app_context():
        assert count(Delegation) == 0
        assert not (Path(app.instance_path) / "credentials").exists()


def test_a_pdf_is_accepted_whatever_its_name_and_declared_type(app, client, world):
    sign_in(client, world["focal_point"])
    response = client.post(
        "/en/congresses/rio-2008/register",
        data={
            "category": "igo",
            "organisation_name": "Council of Europe",
            "credentials": (io.BytesIO(pdf_bytes()), "scan", "application/octet-stream"),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Delegation.credentials_filename)) == "scan.pdf"


def test_the_letter_size_is_bounded(tmp_path, database_url):
    with app_with(tmp_path, database_url, CREDENTIALS_MAX_BYTES=1024) as app:
        client = app.test_client()
        with app.app_context():
            make_congress()
            user = make_user("fp@example.org")
            db.session.commit()
        sign_in(client, user)
        big = pdf_bytes("x" * 2000)
        html = client.post(
            "/en/congresses/rio-2008/register",
            data={
                "category": "ngo",
                "organisation_name": "ECPAT",
                "credentials": (io.BytesIO(big), "big.pdf"),
            },
        ).get_data(as_text=True)
        assert errors_of(html, "credentials") == ["The file is larger than 1 KiB."]
        with app.app_context():
            assert count(Delegation) == 0


# --- The credentials letter ---------------------------------------------------------------


def test_the_letter_downloads_as_an_attachment_with_its_original_name(app, client, world):
    sign_in(client, world["focal_point"])
    client.post(
        "/en/congresses/rio-2008/register",
        data={
            "category": "state",
            "country_code": "BR",
            "credentials": (io.BytesIO(pdf_bytes()), "Nota verbal nº 12.pdf"),
        },
    )
    with app.app_context():
        delegation_id = db.session.scalar(select(Delegation.id))
    for user in (world["focal_point"], world["organiser"]):
        sign_in(client, user)
        response = client.get(f"/en/delegations/{delegation_id}/credentials")
        body = response.get_data()
        response.close()
        assert response.status_code == 200
        assert body == pdf_bytes()
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.headers["Content-Disposition"] == (
            'attachment; filename="Nota verbal no 12.pdf";'
            " filename*=UTF-8''Nota%20verbal%20n%C2%BA%2012.pdf"
        )
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "private, no-store"


def test_replacing_the_letter_removes_the_old_file(app, client, world):
    with app.app_context():
        congress = db.session.get(Congress, world["congress"])
        old = credentials.store(pdf_bytes("old"))
        delegation = make_delegation(
            congress, db.session.get(User, world["focal_point"]), credentials_file=old
        )
        db.session.commit()
        delegation_id = delegation.id
    sign_in(client, world["focal_point"])
    response = client.post(
        f"/en/delegations/{delegation_id}/credentials",
        data={"credentials": (io.BytesIO(pdf_bytes("new")), "new.pdf")},
    )
    assert response.status_code == 302
    with app.app_context():
        delegation = db.session.get(Delegation, delegation_id)
        assert credentials.path_of(delegation.credentials_file).read_bytes() == pdf_bytes("new")
        assert not credentials.path_of(old).exists()
        assert delegation.credentials_filename == "new.pdf"
    html = client.post(
        f"/en/delegations/{delegation_id}/credentials",
        data={"credentials": (io.BytesIO(b"GIF89a"), "photo.pdf")},
    ).get_data(as_text=True)
    assert errors_of(html, "credentials") == ["The file is not a PDF document."]


# --- Members ----------------------------------------------------------------------------------

MEMBER = {
    "title": "he_ms",
    "given_names": "Maria do Rosário",
    "family_name": "Nunes",
    "function": "Special Secretary for Human Rights",
    "role": "head",
    "email": "rosario@sedh.gov.br",
    "preferred_language": "pt",
    "public_consent": "y",
    "accessibility_needs": "Step-free access",
}


@pytest.fixture
def brazil(app, world):
    with app.app_context():
        congress = db.session.get(Congress, world["congress"])
        delegation = make_delegation(
            congress,
            db.session.get(User, world["focal_point"]),
            credentials_file=credentials.store(pdf_bytes()),
        )
        db.session.commit()
        return delegation.id


def test_a_member_is_added_with_every_detail(app, client, world, brazil):
    sign_in(client, world["focal_point"])
    response = client.post(f"/en/delegations/{brazil}/delegates/new", data=MEMBER)
    assert response.status_code == 302
    with app.app_context():
        delegate = db.session.scalar(select(Delegate))
        assert (
            delegate.title.value,
            delegate.given_names,
            delegate.family_name,
            delegate.function,
            delegate.role,
            delegate.email,
            delegate.preferred_language,
            delegate.public_consent,
            delegate.accessibility_needs,
        ) == (
            "he_ms",
            "Maria do Rosário",
            "Nunes",
            "Special Secretary for Human Rights",
            DelegateRole.HEAD,
            "rosario@sedh.gov.br",
            "pt",
            True,
            "Step-free access",
        )
    page = client.get(f"/en/delegations/{brazil}").get_data(as_text=True)
    assert "H.E. Ms <bdi>Maria do Rosário Nunes</bdi>" in page
    assert "1 member." in page


def test_a_form_with_errors_comes_back_with_everything_typed(client, world, brazil):
    sign_in(client, world["focal_point"])
    typed = MEMBER | {"family_name": "", "email": "rosario-at-sedh.gov.br"}
    response = client.post(f"/en/delegations/{brazil}/delegates/new", data=typed)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert errors_of(html, "family_name") == ["This field is required."]
    assert errors_of(html, "email") == ["Give a valid email address, such as name@example.org."]
    assert errors_of(html, "given_names") == []
    assert 'value="Maria do Rosário"' in field_block(html, "given_names")
    assert 'value="rosario-at-sedh.gov.br"' in field_block(html, "email")
    assert 'value="Special Secretary for Human Rights"' in field_block(html, "function")
    assert '<option selected value="he_ms">' in field_block(html, "title")
    assert '<option selected value="head">' in field_block(html, "role")
    assert '<option selected value="pt">' in field_block(html, "preferred_language")
    assert "checked" in field_block(html, "public_consent")
    assert ">\r\nStep-free access</textarea>" in field_block(html, "accessibility_needs")


def test_an_email_registered_elsewhere_in_the_congress_is_said_beside_the_email(
    app, client, world, brazil
):
    with app.app_context():
        congress = db.session.get(Congress, world["congress"])
        sweden = make_delegation(congress, make_user("se@example.org"), country_code="SE")
        make_delegate(sweden, "rosario@sedh.gov.br")
        db.session.commit()
    sign_in(client, world["focal_point"])
    html = client.post(
        f"/en/delegations/{brazil}/delegates/new", data=MEMBER | {"email": "Rosario@SEDH.gov.br"}
    ).get_data(as_text=True)
    assert errors_of(html, "email") == [
        "This email address is already registered for this congress."
    ]
    assert 'value="Rosario@SEDH.gov.br"' in field_block(html, "email")
    assert 'value="Nunes"' in field_block(html, "family_name")


def test_the_last_seat_is_said_above_the_form(app, client, world, brazil):
    with app.app_context():
        congress = db.session.get(Congress, world["congress"])
        set_quota(congress, Category.STATE, max_delegates=1)
        make_delegate(db.session.get(Delegation, brazil), "first@gov.br")
        db.session.commit()
    sign_in(client, world["focal_point"])
    html = client.post(f"/en/delegations/{brazil}/delegates/new", data=MEMBER).get_data(
        as_text=True
    )
    assert "The delegation already has 1 members, the most its category allows." in html
    assert 'value="Nunes"' in field_block(html, "family_name")


def test_a_member_is_edited_withdrawn_and_put_back(app, client, world, brazil):
    with app.app_context():
        delegate_id = make_delegate(db.session.get(Delegation, brazil), "ana@gov.br").id
        db.session.commit()
    sign_in(client, world["focal_point"])
    form = client.get(f"/en/delegations/{brazil}/delegates/{delegate_id}").get_data(as_text=True)
    assert 'value="ana@gov.br"' in field_block(form, "email")
    response = client.post(
        f"/en/delegations/{brazil}/delegates/{delegate_id}",
        data=MEMBER | {"email": "ana@gov.br", "given_names": "Ana"},
    )
    assert response.status_code == 302
    client.post(f"/en/delegations/{brazil}/delegates/{delegate_id}/withdraw")
    with app.app_context():
        delegate = db.session.get(Delegate, delegate_id)
        assert (delegate.given_names, delegate.family_name, delegate.withdrawn) == (
            "Ana",
            "Nunes",
            True,
        )
    page = client.get(f"/en/delegations/{brazil}").get_data(as_text=True)
    assert "0 members." in page and "Withdrawn members" in page
    client.post(f"/en/delegations/{brazil}/delegates/{delegate_id}/reinstate")
    with app.app_context():
        assert db.session.get(Delegate, delegate_id).withdrawn is False
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions == ["delegate.edit", "delegate.withdraw", "delegate.reinstate"]


def test_an_accredited_delegation_is_read_only(app, client, world, brazil):
    with app.app_context():
        delegation = db.session.get(Delegation, brazil)
        delegate_id = make_delegate(delegation, "ana@gov.br").id
        delegation.status = S.ACCREDITED
        db.session.commit()
    sign_in(client, world["focal_point"])
    page = client.get(f"/en/delegations/{brazil}").get_data(as_text=True)
    assert "The list can no longer be changed." in page
    assert "/delegates/new" not in page
    assert f"/delegates/{delegate_id}" not in page
    assert f'action="/en/delegations/{brazil}/credentials"' not in page
    response = client.post(f"/en/delegations/{brazil}/delegates/new", data=MEMBER)
    assert "The delegation is accredited: its list can no longer be changed." in (
        response.get_data(as_text=True)
    )
    client.post(f"/en/delegations/{brazil}/delegates/{delegate_id}/withdraw")
    with app.app_context():
        assert count(Delegate) == 1
        assert db.session.get(Delegate, delegate_id).withdrawn is False


# --- Submission, the queue and the decision -------------------------------------------------


def _submitted(app, world, country: str, at: datetime, *, members=("a",), category=None):
    with app.app_context():
        congress = db.session.get(Congress, world["congress"])
        values = {"country_code": country}
        if category is not None:
            values = {"category": category, "organisation_name": country}
        delegation = make_delegation(
            congress,
            make_user(f"fp-{country}@example.org".replace(" ", "")),
            status=S.SUBMITTED,
            credentials_file="x.pdf",
            **values,
        )
        for given in members:
            email = f"{given.lower()}-{delegation.id}@example.org"
            make_delegate(delegation, email, given_names=given)
        db.session.add(
            DelegationTransition(
                delegation=delegation, from_status=S.DRAFT, to_status=S.SUBMITTED, at=at
            )
        )
        db.session.commit()
        return delegation.id


def test_the_queue_puts_the_longest_waiting_first_and_filters(app, client, world):
    t0 = datetime(2008, 10, 1, 12, tzinfo=UTC)
    sweden = _submitted(app, world, "SE", t0 + timedelta(hours=2), members=("Åsa", "Lars"))
    egypt = _submitted(app, world, "EG", t0, members=("Amina",))
    ecpat = _submitted(app, world, "ECPAT Brasil", t0 + timedelta(hours=1), category=Category.NGO)
    with app.app_context():
        congress = db.session.get(Congress, world["congress"])
        draft = make_delegation(congress, make_user("fp-jp@example.org"), country_code="JP").id
        db.session.get(Delegation, sweden).status = S.ACCREDITED
        db.session.commit()
    sign_in(client, world["organiser"])

    def listed(query: str = "", lang: str = "fr") -> list[str]:
        html = client.get(f"/{lang}/manage/congresses/rio-2008/delegations{query}").get_data(
            as_text=True
        )
        return re.findall(r'delegations/(\d+)">', html)

    # Submitted first, oldest first; then the rest by submission, then by registration.
    assert listed() == [str(i) for i in (egypt, ecpat, sweden, draft)]
    assert listed("?status=submitted") == [str(egypt), str(ecpat)]
    assert listed("?category=ngo") == [str(ecpat)]
    assert listed("?q=EGY") == [str(egypt)]  # "Égypte": case and accents ignored
    assert listed("?q=suede", lang="en") == [str(sweden)]  # a name in another language
    assert listed("?q=japon") == [str(draft)]
    assert listed("?q=asa") == [str(sweden)]  # a member's name, accents ignored
    assert listed("?q=ecpat&status=submitted") == [str(ecpat)]
    assert listed("?status=nonsense") == [str(i) for i in (egypt, ecpat, sweden, draft)]
    html = client.get("/en/manage/congresses/rio-2008/delegations?status=submitted").get_data(
        as_text=True
    )
    assert "Wednesday, 1 October 2008, 09:00 (UTC−03:00)" in html
    assert '<option selected value="submitted">' in html


def test_an_organiser_accredits_and_the_history_shows_who_when_from_and_to(app, client, world):
    delegation_id = _submitted(
        app, world, "BR", datetime(2008, 10, 1, 12, tzinfo=UTC), members=("Ana", "Rui")
    )
    sign_in(client, world["organiser"])
    page = client.get(f"/en/manage/congresses/rio-2008/delegations/{delegation_id}").get_data(
        as_text=True
    )
    assert "Accredit the delegation" in page and "Reject the delegation" in page
    response = client.post(f"/en/manage/congresses/rio-2008/delegations/{delegation_id}/accredit")
    assert response.headers["Location"] == (
        f"/en/manage/congresses/rio-2008/delegations/{delegation_id}"
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    history = plain(
        re.search(r'<table class="govuk-table list history">.*?</table>', page, re.S).group(0)
    )
    rows = [
        [text_of(cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", history, re.S)[1:]
    ]
    assert rows[0] == [
        "Wednesday, 1 October 2008, 09:00 (UTC−03:00)",
        "—",
        "Draft",
        "Submitted",
        "",
    ]
    assert rows[1][1:] == ["Olga Organiser", "Submitted", "Accredited", ""]
    assert "Accredit the delegation" not in page
    with app.app_context():
        recipients = sorted(m["To"] for m in read_outbox())
    assert recipients == [
        f"ana-{delegation_id}@example.org",
        "fp-br@example.org",
        f"rui-{delegation_id}@example.org",
    ]


def test_a_rejection_needs_a_reason_which_the_focal_point_then_reads(app, client, world):
    delegation_id = _submitted(app, world, "BR", datetime(2008, 10, 1, 12, tzinfo=UTC))
    sign_in(client, world["organiser"])
    url = f"/en/manage/congresses/rio-2008/delegations/{delegation_id}/reject"
    html = client.post(url, data={"reason": ""}).get_data(as_text=True)
    assert errors_of(html, "reason") == ["Give the reason for the rejection."]
    with app.app_context():
        assert db.session.get(Delegation, delegation_id).status is S.SUBMITTED
    client.post(url, data={"reason": "The note verbale is not signed."})
    with app.app_context():
        focal_point = db.session.get(Delegation, delegation_id).focal_point_id
    sign_in(client, focal_point)
    page = client.get(f"/en/delegations/{delegation_id}").get_data(as_text=True)
    rejection = re.search(r'id="rejection"[^>]*>(.*?)</blockquote>', plain(page), re.S).group(1)
    assert "<blockquote>The note verbale is not signed." in rejection
    # It may be corrected and sent again: the last step is to do once more.
    assert re.search(
        r'<a class="govuk-link govuk-task-list__link" href="/en/delegations/\d+/check"'
        r"[^>]*>Check and submit</a>",
        page,
    )


def test_the_focal_point_submits_and_is_told_what_is_missing(app, client, world):
    with app.app_context():
        congress = db.session.get(Congress, world["congress"])
        delegation_id = make_delegation(congress, db.session.get(User, world["focal_point"])).id
        db.session.commit()
    sign_in(client, world["focal_point"])
    response = client.post(f"/en/delegations/{delegation_id}/submit", follow_redirects=True)
    assert "Upload the credentials letter before submitting." in response.get_data(as_text=True)
    with app.app_context():
        delegation = db.session.get(Delegation, delegation_id)
        delegation.credentials_file = credentials.store(pdf_bytes())
        make_delegate(delegation, "ana@gov.br")
        db.session.commit()
    response = client.post(f"/en/delegations/{delegation_id}/submit", follow_redirects=True)
    assert "The delegation is submitted. The organisers will review it." in (
        response.get_data(as_text=True)
    )
    with app.app_context():
        assert db.session.get(Delegation, delegation_id).status is S.SUBMITTED
        (mail,) = read_outbox()
        assert (mail["To"], mail["Content-Language"]) == ("clara@itamaraty.gov.br", "pt")


# --- CSRF, rate limits and faults -------------------------------------------------------------


def test_a_post_without_its_csrf_token_is_refused_with_a_clear_page(tmp_path, database_url):
    with app_with(tmp_path, database_url, WTF_CSRF_ENABLED=True) as app:
        client = app.test_client()
        with app.app_context():
            congress = make_congress()
            user = make_user("fp@example.org")
            delegation_id = make_delegation(congress, user).id
            db.session.commit()
        sign_in(client, user)
        url = f"/en/delegations/{delegation_id}/delegates/new"
        response = client.post(url, data=MEMBER)
        assert response.status_code == 400
        assert (
            "This form could not be accepted: it has expired or did not come from this site."
            " Go back, reload the page and send the form again."
        ) in response.get_data(as_text=True)
        with app.app_context():
            assert count(Delegate) == 0
        # The same form with the token of the page is accepted.
        page = client.get(url).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
        assert client.post(url, data=MEMBER | {"csrf_token": token}).status_code == 302
        with app.app_context():
            assert count(Delegate) == 1


def test_registration_posts_are_rate_limited(tmp_path, database_url):
    with app_with(tmp_path, database_url, REGISTRATION_RATE_LIMIT="2 per minute") as app:
        client = app.test_client()
        with app.app_context():
            make_congress()
            user = make_user("fp@example.org")
            db.session.commit()
        sign_in(client, user)
        url = "/en/congresses/rio-2008/register"
        answers = [client.post(url, data={"category": "ngo"}).status_code for _ in range(3)]
        assert answers == [200, 200, 429]
        assert client.get(url).status_code == 200  # reading is not limited
        assert "Too many attempts" in client.post(url, data={}).get_data(as_text=True)


def _fail_at_commit(monkeypatch):
    """Every commit writes its rows, then the database fails: a dropped connection."""

    def commit(self):
        self.flush()
        raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(Session, "commit", commit)


def test_a_database_failure_mid_registration_leaves_nothing_and_keeps_the_form(
    app, client, world, monkeypatch
):
    sign_in(client, world["focal_point"])
    _fail_at_commit(monkeypatch)
    response = client.post(
        "/fr/congresses/rio-2008/register",
        data={
            "category": "ngo",
            "organisation_name": "ECPAT Brasil",
            "credentials": (io.BytesIO(pdf_bytes()), "nv.pdf"),
        },
    )
    monkeypatch.undo()
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    alert = re.search(r'<div class="govuk-error-summary__body">(.*?)</div>', html, re.S).group(1)
    message = translated(
        app, "fr", "Your changes could not be saved. Nothing was changed: please try again."
    )
    assert message != "Your changes could not be saved. Nothing was changed: please try again."
    assert f"<li>{escape(message)}</li>" in alert
    assert 'value="ECPAT Brasil"' in field_block(html, "organisation_name")
    assert '<option selected value="ngo">' in field_block(html, "category")
    # The letter waits for the next attempt rather than being lost.
    assert errors_of(html, "credentials") == []
    assert "nv.pdf" in field_block(html, "credentials")
    with app.app_context():
        assert (count(Delegation), count(AuditEntry)) == (0, 0)
        assert list((Path(app.instance_path) / "credentials").glob("*")) == []
        assert len(list((Path(app.instance_path) / "pending-credentials").glob("*.pdf"))) == 1


def test_a_database_failure_while_adding_a_member_keeps_what_was_typed(
    app, client, world, brazil, monkeypatch
):
    with app.app_context():
        touched = db.session.get(Delegation, brazil).updated_at
    sign_in(client, world["focal_point"])
    _fail_at_commit(monkeypatch)
    response = client.post(f"/en/delegations/{brazil}/delegates/new", data=MEMBER)
    monkeypatch.undo()
    html = response.get_data(as_text=True)
    assert "Your changes could not be saved. Nothing was changed: please try again." in html
    for field_id in ("given_names", "family_name", "email", "function"):
        assert f'value="{MEMBER[field_id]}"' in field_block(html, field_id)
    with app.app_context():
        assert (count(Delegate), count(AuditEntry)) == (0, 0)
        # Even the lock's write to the delegation row went with the rollback.
        assert db.session.get(Delegation, brazil).updated_at == touched


# --- Queries per page -------------------------------------------------------------------------


def _grow(app, world, delegations: int, members: int) -> int:
    """Add submitted delegations with their members; return the id of the last one."""
    with app.app_context():
        congress = db.session.get(Congress, world["congress"])
        codes = sorted(states_on(congress.start_date))
        taken = db.session.scalar(select(func.count()).select_from(Delegation))
        for n in range(taken, taken + delegations):
            delegation = make_delegation(
                congress,
                make_user(f"fp{n}@example.org"),
                country_code=codes[n],
                status=S.SUBMITTED,
            )
            for m in range(members):
                make_delegate(delegation, f"d{n}-{m}@example.org", given_names=f"Name {m}")
            db.session.add(
                DelegationTransition(
                    delegation=delegation, from_status=S.DRAFT, to_status=S.SUBMITTED
                )
            )
        db.session.commit()
        return delegation.id


def _queries(app, client, path: str) -> int:
    statements = []

    def note(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert response.status_code == 200
    return len(statements)


def test_the_organisers_pages_cost_the_same_queries_at_ten_times_the_size(app, client, world):
    small = _grow(app, world, delegations=3, members=2)
    sign_in(client, world["organiser"])
    queue = "/en/manage/congresses/rio-2008/delegations"
    paths = [queue, queue + "?q=name", f"{queue}/{small}", f"/en/delegations/{small}"]
    before = [_queries(app, client, path) for path in paths]
    large = _grow(app, world, delegations=27, members=20)
    paths[2:] = [f"{queue}/{large}", f"/en/delegations/{large}"]
    after = [_queries(app, client, path) for path in paths]
    assert after == before
    assert max(before) <= 10
