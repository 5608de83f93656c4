"""notify calendar polls of writes to the tables they read

Revision ID: 637609d90657
Revises: 69417f12da56
Create Date: 2026-11-28 04:30:00

On PostgreSQL only: each process keeps the rows its calendar polls read, and
forgets them when one of these tables is written (congress.calendar.polls).
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "637609d90657"
down_revision = "69417f12da56"
branch_labels = None
depends_on = None

TABLES = ("congresses", "agendas", "delegates")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE OR REPLACE FUNCTION congress_polls_notify() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN PERFORM pg_notify('congress_polls', TG_TABLE_NAME); RETURN NULL; END $$"
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_notify_polls "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION congress_polls_notify()"
        )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_notify_polls ON {table}")
    op.execute("DROP FUNCTION IF EXISTS congress_polls_notify()")
