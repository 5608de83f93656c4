"""Command-line commands: ``flask --app congress <command>``."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from congress.demo import MINIMUM as DEMO_MINIMUM
from congress.extensions import db

archive_cli = AppGroup("archive", help="The archive of past congresses.")


@archive_cli.command("load")
def archive_load() -> None:
    """Load (or update) the archived editions from the package's data files."""
    from congress.archive.loader import ArchiveDataError, load_archive
    from congress.search.index import rebuild

    try:
        congresses = load_archive()
    except ArchiveDataError as error:
        raise click.ClickException(str(error)) from error
    changed = bool(db.session.dirty or db.session.new or db.session.deleted)
    db.session.flush()
    # Flushes keep the search index in step; this fills it for a database older than it.
    rebuild(db.session, [c.id for c in congresses])
    db.session.commit()
    names = ", ".join(c.slug for c in congresses)
    click.echo(f"Archive loaded: {names}" + ("" if changed else " (nothing changed)"))


def _count(name: str) -> click.IntRange:
    """A demo size's option: a whole number no smaller than the demo builder accepts."""
    return click.IntRange(min=DEMO_MINIMUM[name])


@click.command("demo-data")
@with_appcontext
@click.option(
    "--delegations",
    type=_count("delegations"),
    default=170,
    show_default=True,
    help="Number of delegations.",
)
@click.option(
    "--delegates",
    type=_count("delegates"),
    default=3500,
    show_default=True,
    help="Number of delegates.",
)
@click.option(
    "--sessions",
    type=_count("sessions"),
    default=300,
    show_default=True,
    help="Number of sessions (eight a day fit in each room).",
)
@click.option(
    "--rooms", type=_count("rooms"), default=20, show_default=True, help="Number of rooms."
)
@click.option(
    "--days",
    type=_count("days"),
    default=4,
    show_default=True,
    help="Length of the congress in days.",
)
@click.option("--seed", default=2008, show_default=True, help="Seed: the same seed, the same data.")
def demo_data(delegations: int, delegates: int, sessions: int, rooms: int, days: int, seed: int):
    """Create the demo congress, filled with fictional delegations and delegates.

    It replaces any earlier demo congress and never writes into a real edition.
    """
    from congress.demo import DemoSize, build_demo

    try:
        # The size is checked whole before anything is built or replaced.
        size = DemoSize(delegations, delegates, sessions, rooms, days, seed)
    except ValueError as error:
        raise click.UsageError(str(error)) from error
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

    from congress.jobs.cli import jobs_cli
    from congress.registration import reminders as _reminders  # noqa: F401  (`jobs remind`)

    app.cli.add_command(jobs_cli)

    from congress.badges.privacy import privacy_cli  # also the sweep that erases on the day

    app.cli.add_command(privacy_cli)
