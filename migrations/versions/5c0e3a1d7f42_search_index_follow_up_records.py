"""search index: follow-up records are found too

Revision ID: 5c0e3a1d7f42
Revises: b06424838e5f
Create Date: 2026-12-03 13:20:00

Autogenerate does not compare CHECK constraints, so this one is written by hand: the index's
kinds (``searchkind``, a checked string) gain ``record``. The rows of the records already
published are written by ``flask search rebuild`` (or each congress's rebuild page).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5c0e3a1d7f42"
down_revision = "b06424838e5f"
branch_labels = None
depends_on = None

BEFORE = ("congress", "session", "document", "delegation")
AFTER = (*BEFORE, "record")


def _allow(kinds):
    with op.batch_alter_table("search_index", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_search_index_searchkind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_search_index_searchkind"), sa.column("kind").in_(kinds)
        )


def upgrade():
    _allow(AFTER)


def downgrade():
    op.execute("DELETE FROM search_index WHERE kind = 'record'")
    _allow(BEFORE)
