"""Database models, the data functions over them, and their Alembic migrations."""

from models.alerts import Alert
from models.areas import Area, AreaLevel, Ipal
from models.audit import AuditEntry
from models.base import Base
from models.conversations import Conversation
from models.inbox import InboxUpdate
from models.outbox import OutboxMessage, OutboxStatus
from models.reports import DesludgingRequest, MonthlyReport, ProblemAddition, ProblemReport
from models.users import Invitation, JoinGuard, RoleGrant, User

__all__ = [
    "Alert",
    "Area",
    "AreaLevel",
    "AuditEntry",
    "Base",
    "Conversation",
    "DesludgingRequest",
    "InboxUpdate",
    "Invitation",
    "Ipal",
    "JoinGuard",
    "MonthlyReport",
    "OutboxMessage",
    "OutboxStatus",
    "ProblemAddition",
    "ProblemReport",
    "RoleGrant",
    "User",
]
