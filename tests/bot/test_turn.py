"""What a turn reads when it opens, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import event

from bot.turn import find_sender
from domain.dates import WIB
from domain.joining import CodeProblem
from domain.vocabulary import Role
from models.areas import find_ipal, import_ipals, load_ipal
from models.conversations import Conversation
from models.database import Database
from models.invitations import create_invitation, redeem_invitation
from models.outbox import enqueue
from models.users import Profile
from tests.support.harness import IPAL_ROWS

NOW = datetime(2026, 12, 1, 9, tzinfo=WIB)
TELEGRAM_ID = 4242
SHOWN_MESSAGE_ID = 77


@contextmanager
def statements_of(database: Database) -> Iterator[list[str]]:
    """The SQL statements run on `database` inside the block (SQLite's `BEGIN IMMEDIATE`
    aside: it opens the transaction, it reads nothing)."""
    run: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.startswith("BEGIN"):
            run.append(statement)

    engine = database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield run
    finally:
        event.remove(engine, "before_cursor_execute", note)


async def member_with_a_question(database: Database) -> tuple[int, int]:
    """A member of KP-WTS-01 whose running conversation shows a sent question: (ipal id,
    conversation id)."""
    async with database.transaction() as session:
        await import_ipals(session, rows=IPAL_ROWS, now=NOW)
        ipal = await find_ipal(session, code="KP-WTS-01")
        assert ipal is not None
        invitation = await create_invitation(
            session, role=Role.MEMBER, ipal=ipal, area=None, max_uses=1, expires_in=None, now=NOW
        )
        profile = Profile(TELEGRAM_ID, "Sri", None, None, "id")
        outcome = await redeem_invitation(session, invitation=invitation, profile=profile, now=NOW)
        assert not isinstance(outcome, CodeProblem)
        user = outcome[0]
        question = await enqueue(
            session, chat_id=TELEGRAM_ID, method="sendMessage", params={"text": "?"}, now=NOW
        )
        assert question is not None
        question.message_id = SHOWN_MESSAGE_ID
        conversation = Conversation(
            user_id=user.id,
            chat_id=TELEGRAM_ID,
            flow="report",
            flow_version=1,
            step="condition",
            data={},
            prompt_outbox_id=question.id,
            started_at=NOW,
            updated_at=NOW,
        )
        session.add(conversation)
        await session.flush()
        return ipal.id, conversation.id


async def test_the_sender_comes_with_conversation_question_and_ipals_in_one_read(
    database: Database,
) -> None:
    """One statement finds the user, their grants' IPALs with kalurahan and kapanewon, their
    running conversation and its question's message id; the IPAL then needs no read."""
    ipal_id, conversation_id = await member_with_a_question(database)
    async with database.transaction() as session:
        with statements_of(database) as run:
            sender = await find_sender(session, TELEGRAM_ID)
            assert sender is not None
            ipal = await load_ipal(session, ipal_id=ipal_id)
        assert ipal is not None
        assert (ipal.kalurahan.name, ipal.kapanewon.name) == ("Triharjo", "Wates")
        assert [grant.ipal_id for grant in sender.user.roles] == [ipal_id]
        assert sender.conversation is not None
        assert sender.conversation.id == conversation_id
        assert sender.prompt_message_id == SHOWN_MESSAGE_ID
        assert len(run) == 1, run


async def test_a_sender_without_a_conversation_and_a_stranger(database: Database) -> None:
    ipal_id, _ = await member_with_a_question(database)
    async with database.transaction() as session:
        sender = await find_sender(session, TELEGRAM_ID)
        assert sender is not None and sender.conversation is not None
        sender.conversation.status = "done"
    async with database.transaction() as session:
        sender = await find_sender(session, TELEGRAM_ID)
        assert sender is not None
        assert (sender.conversation, sender.prompt_message_id) == (None, None)
        assert await find_sender(session, TELEGRAM_ID + 1) is None
        with statements_of(database) as run:
            assert await load_ipal(session, ipal_id=ipal_id + 1000) is None
        assert len(run) == 1  # not in this session: read (and not found)
