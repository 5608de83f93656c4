"""Accounts: sign-up with confirmation by mail, sign-in and out, password reset, profile."""

from __future__ import annotations

import re
import time

from flask_babel import force_locale, gettext
from itsdangerous import TimestampSigner
from sqlalchemy import select

from congress.accounts import rules
from congress.accounts.models import User
from congress.db import utcnow
from congress.extensions import db
from congress.mail import read_outbox
from tests import factories
from tests.conftest import make_app, sign_in_as
from tests.factories import PASSWORD_HASH_METHOD
from tests.markup import field_errors, plain

PASSWORD = "correct horse battery"


def make_user(
    app,
    email: str,
    *,
    password: str = PASSWORD,
    name: str = "",
    language: str = "en",
    confirmed: bool = True,
    is_admin: bool = False,
) -> int:
    """A user in the database; returns its id."""
    with app.app_context():
        user = factories.user(
            email,
            password=password,
            name=name,
            language=language,
            confirmed=confirmed,
            admin=is_admin,
            confirmed_at=utcnow(),
        )
        db.session.commit()
        return user.id


log_in = sign_in_as


def outbox(app):
    with app.app_context():
        return read_outbox()


def link_in(message, path_start: str) -> str:
    """The path of the first link in ``message`` that starts with ``path_start``."""
    match = re.search(
        r"http://congress\.test(" + re.escape(path_start) + r"\S*)", message.get_content()
    )
    assert match, message.get_content()
    return match.group(1)


def translated(app, lang: str, msgid: str) -> str:
    """``msgid`` as the catalogue of ``lang`` has it (the msgid itself while untranslated)."""
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        return gettext(msgid)


def sign_up(client, lang="en", **fields):
    data = {
        "name": "Ana Souza",
        "email": "ana@example.org",
        "password": PASSWORD,
        "password_again": PASSWORD,
        "language": lang,
        **fields,
    }
    return client.post(f"/{lang}/account/sign-up", data=data)


def sign_in(client, email, password=PASSWORD, lang="en", **fields):
    return client.post(
        f"/{lang}/account/sign-in", data={"email": email, "password": password, **fields}
    )


def user_by_email(app, email):
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == email))


def test_sign_up_confirm_sign_in_sign_out(app, client):
    response = sign_up(client, email="  Ana.Souza@Example.ORG ")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "We have sent a message to ana.souza@example.org." in page

    user = user_by_email(app, "ana.souza@example.org")
    assert user.name == "Ana Souza"
    assert user.email_confirmed_at is None
    assert user.password_hash.startswith(f"{PASSWORD_HASH_METHOD}$")
    assert PASSWORD not in user.password_hash

    [mail] = outbox(app)
    assert mail["To"] == "ana.souza@example.org"
    assert mail["Subject"] == "Confirm your email address"
    assert mail["Content-Language"] == "en"

    # Not before the address is confirmed, and the page offers to send the link again.
    page = sign_in(client, "ana.souza@example.org").get_data(as_text=True)
    assert "Please confirm your email address first" in page
    assert 'href="/en/account/resend-confirmation?email=ana.souza@example.org"' in page
    assert client.get("/en/account/").status_code == 302

    response = client.get(link_in(mail, "/en/account/confirm/"))
    assert response.headers["Location"] == "/en/account/sign-in?email=ana.souza@example.org"
    assert "your email address is confirmed" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert user_by_email(app, "ana.souza@example.org").email_confirmed_at is not None

    response = sign_in(client, "ANA.SOUZA@example.org")
    assert response.headers["Location"] == "/en/account/"
    page = client.get("/en/account/").get_data(as_text=True)
    assert "ana.souza@example.org" in page
    assert 'action="/en/account/sign-out"' in page

    response = client.post("/en/account/sign-out")
    assert response.headers["Location"] == "/en/"
    assert client.get("/en/account/").headers["Location"] == (
        "/en/account/sign-in?next=%2Fen%2Faccount%2F"
    )


def test_sign_out_only_by_post(client):
    assert client.get("/en/account/sign-out").status_code == 405


def test_sign_up_with_a_taken_address_says_the_same_and_mails_the_owner(app, client):
    make_user(app, "ana@example.org", name="Ana", language="pt")
    page = sign_up(client, email="Ana@example.org", name="Someone Else").get_data(as_text=True)
    assert "We have sent a message to ana@example.org." in page
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(User)) == 1
    [mail] = outbox(app)
    assert mail["Subject"] == translated(app, "pt", "You already have an account")
    assert mail["Content-Language"] == "pt"
    assert "/pt/account/reset" in mail.get_content()


def test_sign_up_errors_are_beside_their_fields_and_keep_the_input(app, client):
    page = sign_up(
        client, name="Ana Souza", email="ana@", password="short", password_again="other"
    ).get_data(as_text=True)
    assert any(e.startswith("Enter an email address such as") for e in field_errors(page, "email"))
    assert any(e.startswith("Use at least 10 characters") for e in field_errors(page, "password"))
    assert any(
        e.startswith("The two passwords differ") for e in field_errors(page, "password_again")
    )
    assert 'value="Ana Souza"' in page
    assert 'value="ana@"' in page
    assert outbox(app) == []


def test_minimum_password_length_is_configurable(app, client):
    app.config["PASSWORD_MIN_LENGTH"] = 25
    page = sign_up(client).get_data(as_text=True)
    assert "Use at least 25 characters for your password." in page


def test_wrong_password_and_unknown_address_get_the_same_answer(app, client):
    make_user(app, "ana@example.org")
    wrong = sign_in(client, "ana@example.org", "not the password").get_data(as_text=True)
    unknown = sign_in(client, "nobody@example.org", "not the password").get_data(as_text=True)
    message = "The email address or the password is not right."
    assert message in wrong and message in unknown
    assert client.get("/en/account/").status_code == 302


def test_an_unknown_address_is_not_told_apart_by_the_reset_page(app, client):
    make_user(app, "ana@example.org")
    known = client.post("/en/account/reset", data={"email": "ana@example.org"})
    unknown = client.post("/en/account/reset", data={"email": "nobody@example.org"})
    assert known.get_data(as_text=True).replace("ana@example.org", "X") == unknown.get_data(
        as_text=True
    ).replace("nobody@example.org", "X")
    assert [m["To"] for m in outbox(app)] == ["ana@example.org"]


def test_bad_confirmation_link_gives_a_clear_message(client):
    response = client.get("/en/account/confirm/not-a-token")
    assert response.headers["Location"] == "/en/account/resend-confirmation"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This link is not valid" in page


def test_expired_confirmation_link_gives_a_clear_message(app, client, monkeypatch):
    user_id = make_user(app, "ana@example.org", confirmed=False)
    four_days_ago = int(time.time()) - 4 * 24 * 3600
    with monkeypatch.context() as m:
        m.setattr(TimestampSigner, "get_timestamp", lambda self: four_days_ago)
        client.post("/en/account/resend-confirmation", data={"email": "ana@example.org"})
    response = client.get(link_in(outbox(app)[0], "/en/account/confirm/"))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This link has expired. Ask for a new one below." in page
    with app.app_context():
        assert db.session.get(User, user_id).email_confirmed_at is None


def test_a_reset_link_does_not_confirm_an_address(app, client):
    """Links are signed per purpose: one kind never opens the other."""
    make_user(app, "ana@example.org", confirmed=False)
    client.post("/en/account/reset", data={"email": "ana@example.org"})
    token = link_in(outbox(app)[0], "/en/account/reset/").rsplit("/", 1)[1]
    response = client.get(f"/en/account/confirm/{token}")
    assert response.headers["Location"] == "/en/account/resend-confirmation"
    assert user_by_email(app, "ana@example.org").email_confirmed_at is None


def test_resend_confirmation_mails_only_unconfirmed_accounts(app, client):
    make_user(app, "new@example.org", confirmed=False)
    make_user(app, "old@example.org")
    for email in ("new@example.org", "old@example.org", "nobody@example.org"):
        page = client.post("/en/account/resend-confirmation", data={"email": email}).get_data(
            as_text=True
        )
        assert f"We have sent a message to {email}." in page
    assert [m["To"] for m in outbox(app)] == ["new@example.org"]


def test_password_reset(app, client):
    make_user(app, "ana@example.org", language="en")
    client.post("/en/account/reset", data={"email": " ANA@example.org"})
    [mail] = outbox(app)
    assert mail["Subject"] == "Choose a new password"
    assert "The link works for 2 hours and only once." in mail.get_content()
    link = link_in(mail, "/en/account/reset/")
    assert "For the account ana@example.org." in client.get(link).get_data(as_text=True)

    # A short password comes back with the message beside it.
    page = client.post(link, data={"password": "short", "password_again": "short"}).get_data(
        as_text=True
    )
    assert any(e.startswith("Use at least 10 characters") for e in field_errors(page, "password"))

    new = "a new and longer password"
    response = client.post(link, data={"password": new, "password_again": new})
    assert response.headers["Location"] == "/en/account/sign-in?email=ana@example.org"
    assert [m["Subject"] for m in outbox(app)][-1] == "Your password was changed"

    assert "not right" in sign_in(client, "ana@example.org").get_data(as_text=True)
    assert sign_in(client, "ana@example.org", new).headers["Location"] == "/en/account/"

    # The password changed: the link is spent.
    response = client.get(link)
    assert response.headers["Location"] == "/en/account/reset"
    assert "This link is not valid" in client.get("/en/account/reset").get_data(as_text=True)


def test_reset_link_expires(app, client, monkeypatch):
    make_user(app, "ana@example.org")
    three_hours_ago = int(time.time()) - 3 * 3600
    with monkeypatch.context() as m:
        m.setattr(TimestampSigner, "get_timestamp", lambda self: three_hours_ago)
        client.post("/en/account/reset", data={"email": "ana@example.org"})
    response = client.get(link_in(outbox(app)[0], "/en/account/reset/"))
    assert response.headers["Location"] == "/en/account/reset"
    page = client.get("/en/account/reset").get_data(as_text=True)
    assert "This link has expired. Ask for a new one below." in page


def test_next_is_followed_only_to_local_paths(app, client):
    make_user(app, "ana@example.org")
    response = sign_in(client, "ana@example.org", next="/en/congresses/rio-2008/")
    assert response.headers["Location"] == "/en/congresses/rio-2008/"
    client.post("/en/account/sign-out")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"):
        response = sign_in(client, "ana@example.org", next=target)
        assert response.headers["Location"] == "/en/account/", target
        client.post("/en/account/sign-out")


def test_the_sign_in_page_keeps_next_for_the_form(client):
    page = client.get("/en/account/sign-in?next=/en/admin/").get_data(as_text=True)
    assert 'name="next" type="hidden" value="/en/admin/"' in page


def test_protected_page_sends_to_sign_in_with_a_message(app, client):
    response = client.get("/fr/account/")
    assert response.headers["Location"] == "/fr/account/sign-in?next=%2Ffr%2Faccount%2F"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    message = translated(app, "fr", "Please sign in to see this page.")
    assert f'<p class="govuk-notification-banner__heading">{message}</p>' in page


def test_remember_me(app, client):
    make_user(app, "ana@example.org")
    plain = sign_in(client, "ana@example.org")
    assert not any(c.startswith("remember_token=") for c in plain.headers.getlist("Set-Cookie"))
    client.post("/en/account/sign-out")
    remembered = sign_in(client, "ana@example.org", remember="y")
    [cookie] = [c for c in remembered.headers.getlist("Set-Cookie") if "remember_token=" in c]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_sign_in_is_rate_limited(app, client):
    app.config["RATELIMIT_SIGN_IN"] = "2 per minute"
    for _ in range(2):
        assert sign_in(client, "nobody@example.org", "x").status_code == 200
    response = sign_in(client, "nobody@example.org", "x")
    assert response.status_code == 429
    assert "Too many attempts. Please wait a moment and try again." in response.get_data(
        as_text=True
    )
    # Only POSTs count: the page itself still opens.
    assert client.get("/en/account/sign-in").status_code == 200


def test_sign_up_and_reset_are_rate_limited(app, client):
    app.config["RATELIMIT_SIGN_UP"] = "1 per minute"
    app.config["RATELIMIT_RESET"] = "1 per minute"
    assert sign_up(client).status_code == 200
    assert sign_up(client, email="other@example.org").status_code == 429
    assert client.post("/en/account/reset", data={"email": "a@example.org"}).status_code == 200
    assert client.post("/en/account/reset", data={"email": "a@example.org"}).status_code == 429


def test_change_of_name_and_language(app, client):
    user_id = make_user(app, "ana@example.org", name="Ana")
    log_in(client, user_id)
    page = client.get("/en/account/").get_data(as_text=True)
    assert '<option selected value="en">English</option>' in page
    response = client.post("/en/account/", data={"name": "Ana Souza", "language": "fr"})
    assert response.headers["Location"] == "/fr/account/"
    with app.app_context():
        user = db.session.get(User, user_id)
        assert (user.name, user.language) == ("Ana Souza", "fr")
    # Mails follow the new language, whatever the language of the page that sends them.
    client.post("/en/account/sign-out")
    client.post("/en/account/reset", data={"email": "ana@example.org"})
    [mail] = outbox(app)
    assert mail["Content-Language"] == "fr"
    assert "2\xa0heures" in mail.get_content()
    assert "http://congress.test/fr/account/reset/" in mail.get_content()


def test_unknown_language_is_refused_beside_the_field(app, client):
    log_in(client, make_user(app, "ana@example.org", name="Ana"))
    page = client.post("/en/account/", data={"name": "Ana", "language": "xx"}).get_data(
        as_text=True
    )
    assert 'id="language-errors"' in page


def test_change_of_password(app, client):
    user_id = make_user(app, "ana@example.org", name="Ana")
    log_in(client, user_id)
    new = "another long password"
    page = client.post(
        "/en/account/password",
        data={"current_password": "wrong one", "password": new, "password_again": new},
    ).get_data(as_text=True)
    assert any(
        e.startswith("This is not your current password")
        for e in field_errors(page, "current_password")
    )
    # The other form of the page still shows the account as it is.
    assert 'id="name" maxlength="200" name="name" required type="text" value="Ana"' in page
    response = client.post(
        "/en/account/password",
        data={"current_password": PASSWORD, "password": new, "password_again": new},
    )
    assert response.headers["Location"] == "/en/account/"
    assert [m["Subject"] for m in outbox(app)] == ["Your password was changed"]
    client.post("/en/account/sign-out")
    assert sign_in(client, "ana@example.org", new).headers["Location"] == "/en/account/"


def test_header_shows_sign_in_or_account(app, client):
    page = client.get("/en/congresses/").get_data(as_text=True)
    assert 'href="/en/account/sign-in?next=/en/congresses/">Sign in</a>' in page
    log_in(client, make_user(app, "admin@example.org", is_admin=True))
    page = client.get("/en/congresses/").get_data(as_text=True)
    assert '<a href="/en/admin/">Administration</a>' in plain(page)
    assert '<a href="/en/account/">Your account</a>' in plain(page)
    assert '<form method="post" action="/en/account/sign-out" class="inline">' in page


def test_a_double_submitted_sign_up_creates_one_account(app, client, monkeypatch):
    """Two requests both find the address free; the unique constraint lets one through."""
    from congress.accounts import operations

    make_user(app, "ana@example.org", confirmed=False)
    monkeypatch.setattr(operations, "user_by_email", lambda email: None)
    page = sign_up(client, email="ana@example.org").get_data(as_text=True)
    assert "We have sent a message to ana@example.org." in page
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(User)) == 1
    # The first request mailed the link; this one sends nothing more.
    assert outbox(app) == []


def test_forms_need_their_csrf_token(tmp_path, database_url):
    from tests.conftest import app_with

    with app_with(tmp_path, database_url, WTF_CSRF_ENABLED=True) as app:
        client = app.test_client()
        page = client.get("/en/account/sign-in").get_data(as_text=True)
        assert re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="[^"]+"', page)
        # CSRFProtect refuses a POST without its token before any view runs.
        for response in (sign_in(client, "ana@example.org"), client.post("/en/account/sign-out")):
            assert response.status_code == 400
            assert "it has expired or did not come from this site" in response.get_data(
                as_text=True
            )


def test_the_app_hashes_with_scrypt_unless_told_otherwise(tmp_path):
    # The tests hash cheaply (tests/conftest.py); a deployment keeps scrypt.
    app = make_app(tmp_path, None)
    del app.config["PASSWORD_HASH_METHOD"]
    with app.app_context():
        hashed = rules.hash_password("correct horse battery")
    assert hashed.startswith("scrypt:32768:8:1$")
    assert rules.check_password_hash(hashed, "correct horse battery")
