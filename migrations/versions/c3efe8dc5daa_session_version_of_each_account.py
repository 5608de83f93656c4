"""session version of each account

Revision ID: c3efe8dc5daa
Revises: 637609d90657
Create Date: 2026-12-02 22:22:07.755074

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c3efe8dc5daa"
down_revision = "637609d90657"
branch_labels = None
depends_on = None


def upgrade():
    # Every existing account starts at 0, the version of the sessions signed in before.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_version")
