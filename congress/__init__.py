"""Congress: run international congresses from registration to archive."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from congress.paths import (
    PROJECT_ROOT,  # noqa: F401  (imported from here by tools and tests)
    default_instance_path,
    project_folder,
)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application.

    Configuration is read from :mod:`congress.config`, then ``instance/config.py``
    if present, then ``CONGRESS_*`` environment variables, then ``config``. The
    instance folder is ``INSTANCE_PATH`` (or ``CONGRESS_INSTANCE_PATH``); without it,
    ``instance/`` at the top of a source tree, ``<prefix>/var/congress-instance`` for an
    installed wheel.
    """
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get("CONGRESS_INSTANCE_PATH")
    app = Flask(
        __name__,
        instance_path=str(instance_path or default_instance_path()),
        instance_relative_config=True,
        template_folder=str(project_folder("templates")),
        static_folder=str(project_folder("static")),
    )
    app.config.from_object("congress.config")
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("CONGRESS")
    if config:
        app.config.update(config)
    os.makedirs(app.instance_path, exist_ok=True)
    _configure_database(app)
    _configure_secret_key(app)

    from sqlalchemy.orm import configure_mappers

    from congress import cli, errors, extensions, i18n, schema, security
    from congress.db import render_migration_type
    from congress.models import import_all_models

    import_all_models()
    # The areas attach their rows to the core's models by backref, which exists only once
    # the mappers are configured: do it now, before a query names one (Congress.figures).
    configure_mappers()
    extensions.db.init_app(app)
    extensions.migrate.init_app(
        app,
        extensions.db,
        directory=str(project_folder("migrations")),
        render_as_batch=True,
        compare_type=True,
        render_item=render_migration_type,
    )
    extensions.csrf.init_app(app)
    extensions.login_manager.init_app(app)
    extensions.limiter.init_app(app)
    from congress import jobs
    from congress.mail import outbox as _mail_jobs  # noqa: F401  (registers the mail's job)

    jobs.init_app(app)
    from congress.accounts import auth  # noqa: F401  (registers the user loader)
    from congress.badges import rules as _photo_check  # noqa: F401  (a submission's photographs)

    # The access rules that load a congress or a delegation register their checks.
    from congress.congresses import access as _congress_rules  # noqa: F401
    from congress.monitoring import access as _monitor_rules  # noqa: F401
    from congress.registration import access as _delegation_rules  # noqa: F401
    from congress.security.access import check_rules_defined

    check_rules_defined()

    i18n.init_app(app)
    security.init_app(app)
    _register_blueprints(app)
    errors.init_app(app)
    cli.init_app(app)
    _enable_sqlite_foreign_keys(app)
    # Last: it needs the database configured, and refuses to start on a schema behind the code.
    schema.init_app(app)
    return app


def _configure_database(app: Flask) -> None:
    url = app.config.get("DATABASE_URL") or app.config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        url = "sqlite:///" + os.path.join(app.instance_path, "congress.sqlite3")
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if not url.startswith("sqlite"):
        # A database server drops connections (a restart, a proxy's idle timeout): test
        # each one as it leaves the pool. A SQLite file has no connection to lose.
        options = {"pool_pre_ping": True, **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _configure_secret_key(app: Flask) -> None:
    """Use the configured key, or one generated once and kept in the instance folder."""
    if app.config.get("SECRET_KEY"):
        return
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        # Created with owner-only permissions before the key is written.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    app.config["SECRET_KEY"] = path.read_text().strip()


def _register_blueprints(app: Flask) -> None:
    from congress.accounts.views import bp as accounts
    from congress.admin.outbox import bp as outbox
    from congress.admin.views import bp as admin
    from congress.api.views import bp as api
    from congress.archive.views import bp as archive
    from congress.audit.views import bp as audit
    from congress.backup.views import bp as backup
    from congress.badges.views import bp as badges
    from congress.calendar.redirects import bp as calendar_in_language
    from congress.calendar.schedule_views import bp as schedule
    from congress.calendar.schedule_views import in_language as schedule_in_language
    from congress.calendar.views import bp as calendar
    from congress.countries.views import bp as countries
    from congress.declarations.views import bp as declarations
    from congress.invitations.views import bp as invitations
    from congress.monitoring.views import bp as monitoring
    from congress.participants.views import bp as participants
    from congress.programme.manage import bp as programme_manage
    from congress.programme.views import bp as programme
    from congress.registration.views import bp as registration
    from congress.search.views import bp as search
    from congress.statements.views import bp as statements

    for blueprint in (
        archive,
        programme,
        programme_manage,
        registration,
        invitations,
        badges,
        participants,
        declarations,
        statements,
        monitoring,
        countries,
        search,
        calendar,
        calendar_in_language,
        schedule,
        schedule_in_language,
        accounts,
        admin,
        outbox,
        audit,
        backup,
        api,
    ):
        app.register_blueprint(blueprint)


def _enable_sqlite_foreign_keys(app: Flask) -> None:
    """SQLite ignores foreign keys unless each connection asks for them."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from congress.extensions import db

    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name != "sqlite":
            return

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
