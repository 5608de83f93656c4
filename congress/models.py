"""Helpers for the models of every area, and the one place that imports them all.

Alembic and ``flask db check`` need every table in the metadata; importing this
module registers them.
"""

from __future__ import annotations

import enum

from sqlalchemy import Enum


def enum_column(enum_class: type[enum.Enum], name: str | None = None) -> Enum:
    """A portable enum column storing the member's value as a checked string.

    ``native_enum=False`` keeps PostgreSQL and SQLite on the same schema and lets
    a migration add a member without ``ALTER TYPE``. ``name`` names the check
    constraint; a table with two columns of one enum needs one per column.
    """
    return Enum(
        enum_class,
        name=name or enum_class.__name__.lower(),
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_class),
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def import_all_models() -> None:
    from congress.accounts import models as _accounts  # noqa: F401
    from congress.archive import models as _archive  # noqa: F401
    from congress.audit import models as _audit  # noqa: F401
    from congress.declarations import models as _declarations  # noqa: F401
    from congress.programme import models as _programme  # noqa: F401
    from congress.registration import models as _registration  # noqa: F401
    from congress.search import models as _search  # noqa: F401
