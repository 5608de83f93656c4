"""``flask --app congress users create-admin EMAIL``."""

from __future__ import annotations

from sqlalchemy import select
from werkzeug.security import check_password_hash

from congress.accounts.models import User
from congress.extensions import db
from tests.factories import PASSWORD_HASH_METHOD
from tests.test_accounts import make_user, sign_in


def _users(app) -> list[User]:
    with app.app_context():
        return list(db.session.scalars(select(User).order_by(User.id)))


def test_create_admin_with_a_password_for_scripts(app, runner, client):
    result = runner.invoke(
        args=["users", "create-admin", "Admin@Example.org", "--password", "a long password"]
    )
    assert result.exit_code == 0, result.output
    assert result.output == "Created site administrator admin@example.org.\n"
    [admin] = _users(app)
    assert admin.email == "admin@example.org"
    assert admin.is_admin
    assert admin.email_confirmed_at is not None
    assert admin.password_hash.startswith(f"{PASSWORD_HASH_METHOD}$")
    # Confirmed at once: the administrator signs in and reaches the administration.
    assert sign_in(client, "admin@example.org", "a long password").status_code == 302
    assert client.get("/en/admin/").status_code == 200


def test_create_admin_asks_for_the_password_twice(app, runner):
    result = runner.invoke(
        args=["users", "create-admin", "admin@example.org"],
        input="first password\nsecond password\nthe real password\nthe real password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Error: The two entered values do not match." in result.output
    [admin] = _users(app)
    assert check_password_hash(admin.password_hash, "the real password")


def test_create_admin_promotes_an_existing_account_and_keeps_its_password(app, runner):
    make_user(app, "ana@example.org", password="ana's own password", confirmed=False)
    result = runner.invoke(args=["users", "create-admin", "ana@example.org"], input="\n\n")
    assert result.exit_code == 0, result.output
    assert "Promoted site administrator ana@example.org." in result.output
    [ana] = _users(app)
    assert ana.is_admin and ana.email_confirmed_at is not None
    assert check_password_hash(ana.password_hash, "ana's own password")


def test_create_admin_refuses_a_short_password_and_a_bad_address(app, runner):
    short = runner.invoke(args=["users", "create-admin", "a@example.org", "--password", "short"])
    assert short.exit_code == 2
    assert "use at least 10 characters" in short.output
    bad = runner.invoke(args=["users", "create-admin", "not-an-address", "--password", "x" * 12])
    assert bad.exit_code == 2
    assert "'not-an-address' is not an email address." in bad.output
    assert _users(app) == []
