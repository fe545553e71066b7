"""Database models, the data functions over them, and their Alembic migrations."""

from models.alerts import Alert
from models.areas import Area, AreaLevel, Ipal
from models.audit import AuditEntry
from models.base import Base
from models.conversations import Conversation
from models.desludging import DesludgingRequest
from models.inbox import InboxUpdate
from models.invitations import Invitation, JoinGuard
from models.notices import Notice, NoticeDelivery, NoticeSegment, Rsvp
from models.outbox import OutboxFile, OutboxMessage, OutboxStatus
from models.problems import ProblemAddition, ProblemReport
from models.reminders import ReminderOptOut, SweepMark
from models.reports import MonthlyReport
from models.users import RoleGrant, User

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
    "Notice",
    "NoticeDelivery",
    "NoticeSegment",
    "OutboxFile",
    "OutboxMessage",
    "OutboxStatus",
    "ProblemAddition",
    "ProblemReport",
    "ReminderOptOut",
    "RoleGrant",
    "Rsvp",
    "SweepMark",
    "User",
]
