"""Follow-up records, their revisions, and the monitors who keep them

Revision ID: 7f28b366498d
Revises: 4f1c2d9e8b7a
Create Date: 2026-12-02 22:45:22.864924

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7f28b366498d"
down_revision = "4f1c2d9e8b7a"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "monitors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_monitors_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitors")),
        sa.UniqueConstraint(
            "user_id", "organisation", name=op.f("uq_monitors_user_id_organisation")
        ),
    )
    op.create_table(
        "follow_up_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=60), nullable=True),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "national_plan",
                "law",
                "coordination_body",
                "report",
                "assessment",
                "other",
                name="recordkind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.JSON(), nullable=False),
        sa.Column("original_language", sa.String(length=2), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column(
            "reliability",
            sa.Enum(
                "verified",
                "disputed",
                "illustrative",
                name="reliability",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "submitted",
                "published",
                "withdrawn",
                name="recordstatus",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("is_synthetic", sa.Boolean(), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["outcome_documents.id"],
            name=op.f("fk_follow_up_records_document_id_outcome_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["users.id"],
            name=op.f("fk_follow_up_records_reviewed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["users.id"],
            name=op.f("fk_follow_up_records_submitted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_records")),
    )
    with op.batch_alter_table("follow_up_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_follow_up_records_country_code"), ["country_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_follow_up_records_document_id"), ["document_id"], unique=False
        )

    op.create_table(
        "follow_up_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["by_id"],
            ["users.id"],
            name=op.f("fk_follow_up_revisions_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["follow_up_records.id"],
            name=op.f("fk_follow_up_revisions_record_id_follow_up_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_revisions")),
        sa.UniqueConstraint(
            "record_id", "number", name=op.f("uq_follow_up_revisions_record_id_number")
        ),
    )


def downgrade():
    op.drop_table("follow_up_revisions")
    with op.batch_alter_table("follow_up_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_records_document_id"))
        batch_op.drop_index(batch_op.f("ix_follow_up_records_country_code"))

    op.drop_table("follow_up_records")
    op.drop_table("monitors")
