"""Partners' countries, copies of full texts and explanatory statements

Revision ID: 2cb5a5846cb9
Revises: c6d5d9ae8327
Create Date: 2026-12-03 06:51:24.319516

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "2cb5a5846cb9"
down_revision = "c6d5d9ae8327"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "document_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("made_by", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["outcome_documents.id"],
            name=op.f("fk_document_statements_document_id_outcome_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_statements")),
    )
    with op.batch_alter_table("document_statements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_statements_country_code"), ["country_code"], unique=False
        )

    op.create_table(
        "document_text_copies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("site", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "institution",
                "sharing_site",
                name="copykind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["outcome_documents.id"],
            name=op.f("fk_document_text_copies_document_id_outcome_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_text_copies")),
    )
    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.add_column(sa.Column("country_code", sa.String(length=2), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_partners_country_code"), ["country_code"], unique=False
        )


def downgrade():
    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partners_country_code"))
        batch_op.drop_column("country_code")

    op.drop_table("document_text_copies")
    with op.batch_alter_table("document_statements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_statements_country_code"))

    op.drop_table("document_statements")
