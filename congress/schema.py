"""The app refuses to start on a database whose schema is behind the code.

Serving pages from an older schema fails later, on some request, with an error
no one can read; refusing at start says what to run instead. On the command
line each of the app's commands checks as it runs, not when it is listed or
asked for its ``--help``; ``flask db ...``, ``flask shell``, ``flask routes`` and
``flask translate ...`` are let through, since they are how one looks at or
upgrades such a database, or need none. ``SCHEMA_CHECK = False`` turns the check off
(tests that build their tables with ``create_all`` do).
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import click
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy.exc import OperationalError

from congress.extensions import db

# `flask <command>` commands that must work whatever the state of the schema.
EXEMPT_COMMANDS = frozenset({"db", "shell", "routes", "translate"})

UPGRADE = "flask --app congress db upgrade"


class SchemaNotCurrent(click.ClickException):
    """The database's schema does not match the migrations of this code.

    A ``click.ClickException`` so that ``flask`` commands print the message alone
    and exit with status 1, rather than a traceback.
    """


def _cli_command() -> list[str] | None:
    """The ``flask`` command being run (``["db", "upgrade"]``), [] while an app command is
    being looked up, or None outside the command line."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return None
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return names[::-1]


def revisions(app: Flask) -> tuple[set[str], set[str]]:
    """The revisions the database is at, and the heads of the code's migrations."""
    script = ScriptDirectory(app.extensions["migrate"].directory)
    with app.app_context():
        with db.engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
        # The server forks its workers after this: they open their own connections.
        db.engine.dispose()
    return current, set(script.get_heads())


def problem(app: Flask) -> str | None:
    """What is wrong with the database's schema, or None when it is current."""
    script = ScriptDirectory(app.extensions["migrate"].directory)
    with app.app_context():
        where = db.engine.url.render_as_string(hide_password=True)
    try:
        current, heads = revisions(app)
    except OperationalError as error:
        return f"The database {where} cannot be reached: {error.orig or error}"
    if current == heads:
        return None
    if not current:
        return (
            f"The database {where} has no schema yet. "
            f"Run `{UPGRADE}` to build it, then start again."
        )
    known = {rev.revision for rev in script.walk_revisions()}
    unknown = current - known
    if unknown:
        return (
            f"The database {where} is at revision {', '.join(sorted(unknown))}, which this code "
            "does not know: it was upgraded by a newer version of Congress. Run that version."
        )
    return (
        f"The database schema is behind the code: {where} is at revision "
        f"{', '.join(sorted(current))}, the code at {', '.join(sorted(heads))}. "
        f"Run `{UPGRADE}`, then start again."
    )


def ensure_current(app: Flask) -> None:
    """Raise :class:`SchemaNotCurrent` unless the schema is current."""
    message = problem(app)
    if message:
        raise SchemaNotCurrent(message)


def init_app(app: Flask) -> None:
    """Check the schema now when the app is built to serve; on the command line, when one
    of the app's own commands is about to run, so that every ``--help`` works on a
    database that does not exist yet."""
    if not app.config.get("SCHEMA_CHECK", True):
        return
    command = _cli_command()
    if command is None or command:
        # Serving (a WSGI server, `flask run`), or a command of Flask's that loads the app.
        if not command or command[0] not in EXEMPT_COMMANDS:
            ensure_current(app)
        return
    # `flask <name>` loads the app to look up which of the app's commands to run, and to
    # list them for `flask --help`: the command it finds checks the schema when invoked,
    # which `--help` never reaches.
    look_up = app.cli.get_command

    def get_command(ctx: click.Context, name: str) -> click.Command | None:
        found = look_up(ctx, name)
        if found is None or name in EXEMPT_COMMANDS:
            return found
        return _checked(found, lambda: ensure_current(app))

    app.cli.get_command = get_command  # type: ignore[method-assign]


def _checked(command: click.Command, check: Callable[[], None]) -> click.Command:
    """A copy of ``command`` that runs ``check`` before it runs, as do its subcommands."""
    checked = copy.copy(command)
    if isinstance(command, click.Group):
        group = command

        def get_command(ctx: click.Context, name: str) -> click.Command | None:
            found = group.get_command(ctx, name)
            return None if found is None else _checked(found, check)

        checked.get_command = get_command  # type: ignore[method-assign]
    else:

        def invoke(ctx: click.Context):
            check()
            return command.invoke(ctx)

        checked.invoke = invoke  # type: ignore[method-assign]
    return checked
