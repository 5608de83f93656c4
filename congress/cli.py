"""Command-line commands: ``flask --app congress <command>``."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from congress.extensions import db

archive_cli = AppGroup("archive", help="The archive of past congresses.")


@archive_cli.command("load")
def archive_load() -> None:
    """Load (or update) the archived editions from the package's data files."""
    from congress.archive.loader import load_archive
    from congress.search.index import rebuild

    congresses = load_archive()
    changed = bool(db.session.dirty or db.session.new or db.session.deleted)
    db.session.flush()
    # Flushes keep the search index in step; this fills it for a database older than it.
    rebuild(db.session, [c.id for c in congresses])
    db.session.commit()
    names = ", ".join(c.slug for c in congresses)
    click.echo(f"Archive loaded: {names}" + ("" if changed else " (nothing changed)"))


@click.command("demo-data")
@with_appcontext
@click.option("--delegations", default=170, show_default=True, help="Number of delegations.")
@click.option("--delegates", default=3500, show_default=True, help="Number of delegates.")
@click.option("--sessions", default=300, show_default=True, help="Number of sessions.")
@click.option("--rooms", default=20, show_default=True, help="Number of rooms.")
@click.option("--days", default=4, show_default=True, help="Length of the congress in days.")
@click.option("--seed", default=2008, show_default=True, help="Seed: the same seed, the same data.")
def demo_data(delegations: int, delegates: int, sessions: int, rooms: int, days: int, seed: int):
    """Create the demo congress, filled with fictional delegations and delegates.

    It replaces any earlier demo congress and never writes into a real edition.
    """
    from congress.demo import DemoSize, build_demo

    size = DemoSize(delegations, delegates, sessions, rooms, days, seed)
    try:
        with click.progressbar(length=sessions + delegates, label="Building demo congress") as bar:
            congress = build_demo(size, progress=bar.update)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Demo congress {congress.slug!r}: {delegations} delegations, "
        f"{delegates} delegates, {sessions} sessions."
    )


def init_app(app: Flask) -> None:
    app.cli.add_command(archive_cli)
    app.cli.add_command(demo_data)

    from congress.i18n.catalogues import translate_cli

    app.cli.add_command(translate_cli)

    from congress.backup import export_command, import_command

    app.cli.add_command(export_command)
    app.cli.add_command(import_command)

    from congress.accounts.cli import users_cli

    app.cli.add_command(users_cli)
