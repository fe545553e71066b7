"""One alert per recipient about a report, a problem or a desludging request."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class Alert(Base):
    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("subject", "recipient_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(40))
    """`kind:id` of what the alert is about, e.g. `problem:12`."""
    ipal_id: Mapped[int] = mapped_column(ForeignKey("ipals.id"), index=True)
    severity: Mapped[str] = mapped_column(String(12))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(String(24))
    """Why this recipient got it: their role (kalurahan_official, operator, …)."""
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    created_at: Mapped[datetime]
