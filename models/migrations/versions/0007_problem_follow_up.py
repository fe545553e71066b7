"""problem follow-up: the history of each problem and the alert subjects about it

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "problem_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("problem_id", sa.Integer(), nullable=False),
        sa.Column("state_from", sa.String(length=16), nullable=False),
        sa.Column("state_to", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("photo_file_id", sa.String(length=200), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("check_back_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("check_back_answer", sa.String(length=12), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_problem_events_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["problem_id"],
            ["problem_reports.id"],
            name=op.f("fk_problem_events_problem_id_problem_reports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_problem_events")),
    )
    with op.batch_alter_table("problem_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_problem_events_problem_id"), ["problem_id"], unique=False
        )
    op.create_table(
        "problem_subjects",
        sa.Column("subject", sa.String(length=40), nullable=False),
        sa.Column("problem_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["problem_id"],
            ["problem_reports.id"],
            name=op.f("fk_problem_subjects_problem_id_problem_reports"),
        ),
        sa.PrimaryKeyConstraint("subject", "problem_id", name=op.f("pk_problem_subjects")),
    )


def downgrade() -> None:
    op.drop_table("problem_subjects")
    with op.batch_alter_table("problem_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_problem_events_problem_id"))
    op.drop_table("problem_events")
