"""desludging lifecycle: schedule, done, rejection, closing; members' ratings

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("desludging_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scheduled_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("team", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("done_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("volume_m3", sa.Numeric(precision=6, scale=2), nullable=True))
        batch_op.add_column(sa.Column("done_photo_file_id", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("reject_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "desludging_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("no_spillage", sa.Boolean(), nullable=False),
        sa.Column("protective_gear", sa.Boolean(), nullable=False),
        sa.Column("site_clean", sa.Boolean(), nullable=False),
        sa.Column("rated_by_id", sa.Integer(), nullable=False),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("stars BETWEEN 1 AND 5", name=op.f("ck_desludging_ratings_stars_range")),
        sa.ForeignKeyConstraint(
            ["rated_by_id"], ["users.id"], name=op.f("fk_desludging_ratings_rated_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["desludging_requests.id"],
            name=op.f("fk_desludging_ratings_request_id_desludging_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desludging_ratings")),
        sa.UniqueConstraint("request_id", name=op.f("uq_desludging_ratings_request_id")),
    )


def downgrade() -> None:
    op.drop_table("desludging_ratings")
    with op.batch_alter_table("desludging_requests", schema=None) as batch_op:
        batch_op.drop_column("closed_at")
        batch_op.drop_column("reject_reason")
        batch_op.drop_column("done_photo_file_id")
        batch_op.drop_column("volume_m3")
        batch_op.drop_column("done_on")
        batch_op.drop_column("team")
        batch_op.drop_column("scheduled_on")
