"""notices with audiences, deliveries and rsvp; organisations

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("admin_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("text_html", sa.Text(), nullable=False),
        sa.Column("photo_file_id", sa.String(length=200), nullable=True),
        sa.Column("document_file_id", sa.String(length=200), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "scheduled",
                "sending",
                "done",
                "cancelled",
                name="noticestatus",
                native_enum=False,
                length=12,
            ),
            nullable=False,
        ),
        sa.Column("send_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rsvp", sa.Boolean(), nullable=False),
        sa.Column("event_on", sa.Date(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("rsvp_deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attending", sa.Integer(), nullable=False),
        sa.Column("cursor_user_id", sa.Integer(), nullable=False),
        sa.Column("fanned_out", sa.Boolean(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("unreachable", sa.Integer(), nullable=False),
        sa.Column(
            "progress_outbox_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("progress_text", sa.Text(), nullable=True),
        sa.Column("progress_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("attending >= 0", name=op.f("ck_notices_attending_not_negative")),
        sa.CheckConstraint(
            "capacity IS NULL OR attending <= capacity", name=op.f("ck_notices_within_capacity")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_notices_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["progress_outbox_id"], ["outbox.id"], name=op.f("fk_notices_progress_outbox_id_outbox")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    op.create_table(
        "notice_deliveries",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notices.id"], name=op.f("fk_notice_deliveries_notice_id_notices")
        ),
        sa.ForeignKeyConstraint(
            ["outbox_id"], ["outbox.id"], name=op.f("fk_notice_deliveries_outbox_id_outbox")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notice_deliveries_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_deliveries")),
        sa.UniqueConstraint(
            "notice_id", "user_id", name=op.f("uq_notice_deliveries_notice_id_user_id")
        ),
    )
    with op.batch_alter_table("notice_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notice_deliveries_outbox_id"), ["outbox_id"], unique=False
        )

    op.create_table(
        "notice_segments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=24), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("organisation", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name=op.f("fk_notice_segments_area_id_areas")
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notices.id"], name=op.f("fk_notice_segments_notice_id_notices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_segments")),
    )
    with op.batch_alter_table("notice_segments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notice_segments_notice_id"), ["notice_id"], unique=False
        )

    op.create_table(
        "rsvps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "answer",
            sa.Enum("yes", "no", name="answer", native_enum=False, length=4),
            nullable=False,
        ),
        sa.Column(
            "standing",
            sa.Enum(
                "attending", "waiting", "declined", name="standing", native_enum=False, length=10
            ),
            nullable=False,
        ),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("queue_number", sa.Integer(), nullable=True),
        sa.Column("reminded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notices.id"], name=op.f("fk_rsvps_notice_id_notices")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_rsvps_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rsvps")),
        sa.UniqueConstraint("notice_id", "user_id", name=op.f("uq_rsvps_notice_id_user_id")),
    )
    with op.batch_alter_table("rsvps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rsvps_notice_id"), ["notice_id"], unique=False)

    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation", sa.String(length=120), nullable=True))

    with op.batch_alter_table("role_grants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation", sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("role_grants", schema=None) as batch_op:
        batch_op.drop_column("organisation")

    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_column("organisation")

    with op.batch_alter_table("rsvps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rsvps_notice_id"))

    op.drop_table("rsvps")
    with op.batch_alter_table("notice_segments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_segments_notice_id"))

    op.drop_table("notice_segments")
    with op.batch_alter_table("notice_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_deliveries_outbox_id"))

    op.drop_table("notice_deliveries")
    op.drop_table("notices")
