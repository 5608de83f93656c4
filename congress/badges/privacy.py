"""Erasure of a congress's personal data: members' photographs, entries at the doors and
the passport details of letters of invitation, by `flask privacy erase <slug>` and, on the
day the organisers set, by every job worker's sweep."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from congress.badges import operations
from congress.badges.pdf import forget_drawn
from congress.congresses.models import Congress
from congress.db import utcnow
from congress.extensions import db
from congress.invitations.operations import erase_personal_data as erase_passports
from congress.jobs import sweep

privacy_cli = AppGroup("privacy", help="Erase personal data once a congress no longer needs it.")


def erase(congress: Congress) -> tuple[int, int, int]:
    """(photographs, entries, letters) erased."""
    photos, entries = operations.erase_personal_data(congress)
    forget_drawn()
    return photos, entries, erase_passports(congress)


@sweep
def sweep_erasure() -> None:
    for congress in operations.due_for_erasure(utcnow().date()):
        erase(congress)


@privacy_cli.command("erase")
@click.argument("slug")
def erase_command(slug: str) -> None:
    """Erase the photographs, entries at the doors and passport details of congress SLUG."""
    congress = db.session.scalar(db.select(Congress).where(Congress.slug == slug))
    if congress is None:
        raise click.ClickException(f"No congress {slug}.")
    photos, entries, letters = erase(congress)
    click.echo(
        f"Erased {photos} photographs, {entries} entries at the doors and the passport "
        f"details of {letters} letters of invitation."
    )
