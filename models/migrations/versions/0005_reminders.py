"""reminders: opt-outs, handled steps, the LLTT reminder day per IPAL, due-query indexes

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

The LLTT columns of existing IPALs are filled with the default interval (24 months) and the
default steps (first reminder 30 days before the due date); `sanimas ipal import` sets them
again from the settings.
"""

import calendar
from collections.abc import Sequence
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_INTERVAL_MONTHS = 24
FIRST_REMINDER_DAYS = 30


def upgrade() -> None:
    op.create_table(
        "sweep_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sweep_marks")),
        sa.UniqueConstraint("key", name=op.f("uq_sweep_marks_key")),
    )
    op.create_table(
        "reminder_opt_outs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_reminder_opt_outs_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_opt_outs")),
        sa.UniqueConstraint("user_id", "kind", name=op.f("uq_reminder_opt_outs_user_id_kind")),
    )
    with op.batch_alter_table("desludging_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_desludging_requests_scheduled_on"), ["scheduled_on"], unique=False
        )
        batch_op.create_index(
            "ix_desludging_requests_state_requested_at", ["state", "requested_at"], unique=False
        )
    with op.batch_alter_table("problem_reports", schema=None) as batch_op:
        batch_op.create_index(
            "ix_problem_reports_state_reported_at", ["state", "reported_at"], unique=False
        )
    with op.batch_alter_table("ipals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lltt_due_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("lltt_remind_on", sa.Date(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_ipals_lltt_remind_on"), ["lltt_remind_on"], unique=False
        )
    _fill_lltt()


def _fill_lltt() -> None:
    """Each existing IPAL's next LLTT due date and first reminder day, with the defaults."""
    ipals = sa.table(
        "ipals",
        sa.column("id", sa.Integer),
        sa.column("last_desludged_on", sa.Date),
        sa.column("built_year", sa.Integer),
        sa.column("desludging_interval_months", sa.Integer),
        sa.column("lltt_due_on", sa.Date),
        sa.column("lltt_remind_on", sa.Date),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            ipals.c.id,
            ipals.c.last_desludged_on,
            ipals.c.built_year,
            ipals.c.desludging_interval_months,
        )
    ).all()
    for ipal_id, last, built, interval in rows:
        start = last if last is not None else date(built, 1, 1) if built is not None else None
        if start is None:
            continue
        due = _add_months(start, interval or DEFAULT_INTERVAL_MONTHS)
        connection.execute(
            ipals.update()
            .where(ipals.c.id == ipal_id)
            .values(lltt_due_on=due, lltt_remind_on=due - timedelta(days=FIRST_REMINDER_DAYS))
        )


def _add_months(day: date, months: int) -> date:
    """`domain.dates.add_months` as it was written for this revision (the end of a shorter
    month stays in that month)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def downgrade() -> None:
    with op.batch_alter_table("ipals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ipals_lltt_remind_on"))
        batch_op.drop_column("lltt_remind_on")
        batch_op.drop_column("lltt_due_on")
    with op.batch_alter_table("problem_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_problem_reports_state_reported_at")
    with op.batch_alter_table("desludging_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_desludging_requests_state_requested_at")
        batch_op.drop_index(batch_op.f("ix_desludging_requests_scheduled_on"))
    op.drop_table("reminder_opt_outs")
    op.drop_table("sweep_marks")
