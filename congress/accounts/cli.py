"""``flask --app congress users ...``: accounts from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from congress.accounts import operations, rules

users_cli = AppGroup("users", help="Accounts of the people who sign in.")


@users_cli.command("create-admin")
@click.argument("email")
@click.option(
    "--password",
    help="The password, for scripts; without it you are asked twice "
    "(an existing account keeps its own if you leave it empty).",
)
def create_admin(email: str, password: str | None) -> None:
    """Make EMAIL a site administrator: create the account, or promote an existing one.

    The address counts as confirmed at once.
    """
    if not rules.looks_like_email(email):
        raise click.BadParameter(f"{email!r} is not an email address.", param_hint="EMAIL")
    existing = rules.user_by_email(email)
    if password is None:
        password = click.prompt(
            "Password" + (" (empty keeps the current one)" if existing else ""),
            hide_input=True,
            confirmation_prompt=True,
            default="" if existing else None,
            show_default=False,
        )
    if password or existing is None:
        minimum = rules.setting("PASSWORD_MIN_LENGTH")
        if len(password) < minimum:
            raise click.BadParameter(f"use at least {minimum} characters.", param_hint="password")
    user, created = operations.create_or_promote_admin(email, password or None)
    verb = "Created" if created else "Promoted"
    click.echo(f"{verb} site administrator {user.email}.")
