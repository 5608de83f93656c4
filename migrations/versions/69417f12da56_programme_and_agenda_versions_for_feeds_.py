"""programme and agenda versions for feeds polled unchanged

Revision ID: 69417f12da56
Revises: 675032640dee
Create Date: 2026-11-28 01:43:39.369163

"""

import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "69417f12da56"
down_revision = "675032640dee"
branch_labels = None
depends_on = None


def _give_versions(table: str, column: str) -> None:
    """A random version for each existing row, as the model's default gives new ones."""
    connection = op.get_bind()
    rows = sa.table(table, sa.column("id"), sa.column(column))
    ids = connection.execute(sa.select(rows.c.id)).scalars().all()
    if ids:
        connection.execute(
            rows.update()
            .where(rows.c.id == sa.bindparam("row_id"))
            .values({column: sa.bindparam("value")}),
            [{"row_id": id_, "value": secrets.token_hex(16)} for id_ in ids],
        )


def upgrade():
    with op.batch_alter_table("agendas", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True))
    _give_versions("agendas", "version")
    with op.batch_alter_table("agendas", schema=None) as batch_op:
        batch_op.alter_column("version", existing_type=sa.String(length=32), nullable=False)

    with op.batch_alter_table("congresses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("programme_version", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("programme_changed_at", sa.DateTime(timezone=True), nullable=True)
        )
    _give_versions("congresses", "programme_version")
    # Until now the newest change of a session stood for the programme's last change.
    op.execute(
        "UPDATE congresses SET programme_changed_at = "
        "(SELECT max(sessions.updated_at) FROM sessions WHERE sessions.congress_id = congresses.id)"
    )
    with op.batch_alter_table("congresses", schema=None) as batch_op:
        batch_op.alter_column(
            "programme_version", existing_type=sa.String(length=32), nullable=False
        )

    # Nothing asks for the newest change of a congress's sessions any more.
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sessions_congress_id_updated_at"))


def downgrade():
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sessions_congress_id_updated_at"),
            ["congress_id", "updated_at"],
            unique=False,
        )

    with op.batch_alter_table("congresses", schema=None) as batch_op:
        batch_op.drop_column("programme_changed_at")
        batch_op.drop_column("programme_version")

    with op.batch_alter_table("agendas", schema=None) as batch_op:
        batch_op.drop_column("changed_at")
        batch_op.drop_column("version")
