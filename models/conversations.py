"""The step and answers of each running conversation, written with the step's effects."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

ACTIVE = "active"


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        Index(
            "uq_conversations_active_user",
            "user_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    flow: Mapped[str] = mapped_column(String(32))
    flow_version: Mapped[int]
    step: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(12), default=ACTIVE)
    prompt_outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    """The question message now shown, whose buttons are taken away once it is answered."""
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime] = mapped_column(index=True)
