"""Sessions end when they should: signing out, a new password, a password reset and an
administrator's "sign out everywhere" each end every session and remember cookie of the
account, on every device. Each test copies the cookies of a signed-in browser before
the event, and replays them, in another browser, after it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from congress.accounts.auth import parse_session_id
from congress.accounts.models import User
from congress.extensions import db
from tests.conftest import sign_in_as
from tests.test_accounts import PASSWORD, link_in, make_user, outbox, sign_in

HOST = "congress.test"
NEW_PASSWORD = "another long passphrase 7"


def cookies_of(client) -> dict[str, str]:
    """The browser's cookies for the site, as someone copying them would take them."""
    found = {}
    for name in ("session", "remember_token"):
        cookie = client.get_cookie(name, domain=HOST)
        if cookie is not None:
            found[name] = cookie.value
    return found


def browser_with(app, cookies: dict[str, str]):
    """Another browser, presenting ``cookies``."""
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value, domain=HOST)
    return client


def signed_in(client) -> bool:
    """Whether the account page opens (a signed-out browser is sent to sign in)."""
    response = client.get("/en/account/")
    if response.status_code == 200:
        return True
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/en/account/sign-in")
    return False


def version_of(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.session_version).where(User.email == email))


@pytest.fixture
def ana(app) -> int:
    return make_user(app, "ana@example.org", name="Ana Souza")


def device(app, remember: bool = True):
    """A browser in which Ana signed in, with "Keep me signed in" unless told otherwise."""
    client = app.test_client()
    response = sign_in(client, "ana@example.org", **({"remember": "y"} if remember else {}))
    assert response.status_code == 302
    assert signed_in(client)
    return client


def copies(app, client) -> list:
    """Three browsers holding copies of ``client``'s cookies: both, the session cookie alone,
    the remember cookie alone."""
    taken = cookies_of(client)
    assert set(taken) == {"session", "remember_token"}
    return [
        browser_with(app, taken),
        browser_with(app, {"session": taken["session"]}),
        browser_with(app, {"remember_token": taken["remember_token"]}),
    ]


def test_the_copies_sign_in_before_the_event(app, ana):
    """The replay is a fair test: before anything ends, each copy is signed in."""
    for copy in copies(app, device(app)):
        assert signed_in(copy)


def test_signing_out_ends_every_session_and_remember_cookie(app, ana):
    laptop, phone = device(app), device(app)
    taken = copies(app, laptop) + copies(app, phone)
    assert version_of(app, "ana@example.org") == 0

    response = laptop.post("/en/account/sign-out")

    assert response.status_code == 302
    assert version_of(app, "ana@example.org") == 1
    assert not signed_in(laptop)
    assert not signed_in(phone)
    for copy in taken:
        assert not signed_in(copy)
    # Signing in again works, in any browser, and ends nothing else.
    assert signed_in(device(app))


def test_a_refused_remember_cookie_is_deleted(app, ana):
    laptop = device(app)
    stale = cookies_of(laptop)["remember_token"]
    laptop.post("/en/account/sign-out")
    copy = browser_with(app, {"remember_token": stale})
    response = copy.get("/en/account/")
    assert response.status_code == 302
    deleted = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token=")]
    assert deleted and "Expires=Thu, 01 Jan 1970" in deleted[0]
    assert copy.get_cookie("remember_token", domain=HOST) is None


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(app, ana):
    laptop, phone = device(app), device(app)
    taken = copies(app, laptop) + copies(app, phone)

    response = laptop.post(
        "/en/account/password",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert version_of(app, "ana@example.org") == 1
    assert not signed_in(phone)
    for copy in taken:
        assert not signed_in(copy)
    # The browser that changed it stays signed in, and keeps a fresh remember cookie
    # that signs in on its own.
    assert signed_in(laptop)
    fresh = cookies_of(laptop)
    assert fresh["remember_token"].startswith(f"{ana}:1|")
    assert signed_in(browser_with(app, {"remember_token": fresh["remember_token"]}))


def test_resetting_the_password_ends_every_session(app, ana):
    laptop, phone = device(app), device(app, remember=False)
    taken = copies(app, laptop) + [browser_with(app, cookies_of(phone))]
    stranger = app.test_client()
    stranger.post("/en/account/reset", data={"email": "ana@example.org"})
    path = link_in(outbox(app)[-1], "/en/account/reset/")

    response = stranger.post(path, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})

    assert response.status_code == 302
    assert version_of(app, "ana@example.org") == 1
    for client in [laptop, phone, *taken]:
        assert not signed_in(client)
    # Only the new password signs in now.
    assert sign_in(app.test_client(), "ana@example.org").status_code == 200
    assert sign_in(app.test_client(), "ana@example.org", NEW_PASSWORD).status_code == 302


@pytest.fixture
def admin_client(app):
    admin_id = make_user(app, "admin@example.org", is_admin=True)
    client = app.test_client()
    sign_in_as(client, admin_id)
    return client


def test_an_administrator_signs_an_account_out_everywhere(app, ana, admin_client):
    laptop, phone = device(app), device(app)
    taken = copies(app, laptop) + copies(app, phone)

    # Finding the account asks for confirmation and ends nothing.
    page = admin_client.get("/en/account/sign-out-everywhere?email=ANA@example.org")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Sign <bdi>Ana Souza</bdi> out on every device?" in body
    assert 'name="email" type="hidden" value="ana@example.org"' in body
    assert version_of(app, "ana@example.org") == 0
    assert signed_in(laptop) and signed_in(phone)

    response = admin_client.post(
        "/en/account/sign-out-everywhere", data={"email": "ana@example.org"}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/en/admin/"
    assert version_of(app, "ana@example.org") == 1
    for client in [laptop, phone, *taken]:
        assert not signed_in(client)
    # The administrator's own session goes on.
    flashed = admin_client.get("/en/admin/").get_data(as_text=True)
    assert "ana@example.org is signed out on every device." in flashed


def test_sign_out_everywhere_names_an_unknown_address_beside_the_field(app, admin_client):
    page = admin_client.get("/en/account/sign-out-everywhere?email=nobody@example.org")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert (
        '<p id="email-errors" class="govuk-error-message errors">'
        '<span class="govuk-visually-hidden">Error:</span> No account has this email address.</p>'
    ) in body
    assert "Sign out everywhere</button>" not in body


def test_sign_out_everywhere_is_for_administrators_only(app, ana):
    laptop = device(app)
    assert laptop.get("/en/account/sign-out-everywhere").status_code == 404
    response = laptop.post("/en/account/sign-out-everywhere", data={"email": "ana@example.org"})
    assert response.status_code == 404
    assert version_of(app, "ana@example.org") == 0
    anonymous = app.test_client().get("/en/account/sign-out-everywhere")
    assert anonymous.headers["Location"].startswith("/en/account/sign-in")


def test_a_session_from_before_versions_counts_as_version_zero(app, ana):
    """Cookies signed before the version existed held the bare id: they stay valid until
    the first event that ends sessions, and not after it."""
    old = app.test_client()
    sign_in_as(old, ana)  # the session holds "<id>", as it did before
    assert signed_in(old)
    taken = cookies_of(old)
    device(app).post("/en/account/sign-out")
    assert not signed_in(old)
    assert not signed_in(browser_with(app, taken))


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("7", (7, 0)),
        ("7:3", (7, 3)),
        ("7:", (7, 0)),
        ("", None),
        ("x", None),
        ("7:x", None),
        ("-7:1", None),
        ("7:-1", None),
        ("٧:1", None),  # an Arabic-Indic digit: int() would read it, we do not
        (str(2**63), None),
        (f"7:{2**63}", None),
        ("7:1:2", None),
    ],
)
def test_parse_session_id(value, parsed):
    assert parse_session_id(value) == parsed
