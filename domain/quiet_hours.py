"""Quiet hours: the night-time window in which only critical alerts may be sent."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from domain.dates import WIB


def is_quiet(moment: datetime, *, start: time, end: time) -> bool:
    """Whether `moment` (any zone) falls in the WIB window [start, end); equal ends mean never."""
    local = moment.astimezone(WIB).time()
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def after_quiet_hours(moment: datetime, *, start: time, end: time) -> datetime:
    """`moment` itself outside the quiet hours, else the end of the quiet window it falls in."""
    if not is_quiet(moment, start=start, end=end):
        return moment
    local = moment.astimezone(WIB)
    wake = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    return wake if wake > local else wake + timedelta(days=1)
