"""A local Telegram Bot API for tests, benchmarks and the demo.

Serves the Bot API over real HTTP, so a real python-telegram-bot Application talks to it through
`ApplicationBuilder().base_url(sim.base_url).base_file_url(sim.base_file_url)`, and lets the
caller act as users and read what the bot did.

Every Bot API call is checked the way Telegram checks it (HTML entities, lengths, keyboards,
callback answers, flood limits); calls a correct bot never makes land in `Simulator.violations`.
A control API under `/_sim/` (users, groups, block, membership, edit_text, send_text/photo/
voice/sticker/location/document, press (also forged), messages, chat_log, wait_messages,
callback_answers, commands, reply_keyboard, calls, violations, stats, fail_next) lets
`SimulatorClient` drive it from another process; `python -m telesim --port 8081` serves one on
its own.
"""

from telesim.client import SimulatorClient
from telesim.errors import SimulatorUsageError
from telesim.limits import SimLimits
from telesim.models import CallRecord, SimChat, SimEdit, SimMessage, SimStats, SimUser
from telesim.simulator import DEFAULT_TOKEN, Simulator

__all__ = [
    "DEFAULT_TOKEN",
    "CallRecord",
    "SimChat",
    "SimEdit",
    "SimLimits",
    "SimMessage",
    "SimStats",
    "SimUser",
    "Simulator",
    "SimulatorClient",
    "SimulatorUsageError",
]
