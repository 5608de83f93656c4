"""drop the notifications of calendar polls

Revision ID: 4f1c2d9e8b7a
Revises: c3efe8dc5daa
Create Date: 2026-12-03 09:00:00

On PostgreSQL only. Polls are no longer answered from each process's memory:
every poll reads its one indexed row of versions, so nothing listens for
writes to these tables any more, and the triggers would only cost each write a
notification nobody reads.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "4f1c2d9e8b7a"
down_revision = "c3efe8dc5daa"
branch_labels = None
depends_on = None

TABLES = ("congresses", "agendas", "delegates")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_notify_polls ON {table}")
    op.execute("DROP FUNCTION IF EXISTS congress_polls_notify()")


def downgrade():
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
