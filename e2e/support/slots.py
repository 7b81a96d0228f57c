"""Free booking slots for the end-to-end suites: one layout, so no two bookings of a run collide.

    from support.slots import Slots, days_ahead, slot
    slots = Slots(rooms)                       # thread-safe; next() never repeats a slot
    body = {**slots.next(), "purpose": "..."}  # {"room_id", "date", "start_time", "end_time"}
    slot(i, rooms, first_day=5)                # the i-th slot of the layout, for a suite that counts itself
    days_ahead(3)                              # "YYYY-MM-DD", three days after today on the campus clock

The layout: one-hour slots 08:00–18:00 (inside the booking hours); the room turns fastest, then
the hour, then the day, counted from `first_day` days ahead. With `days` the day wraps after that
many days (students may book 14 days ahead: Slots(rooms) stays 1–13 days ahead, and repeats a slot
only after 130 × len(rooms) slots). Dates are on the campus clock (CAMPUS_TIMEZONE, UTC by default).
"""
from __future__ import annotations

import itertools
import threading
from datetime import date, datetime, timedelta, timezone
from typing import Sequence

HOURS = 10  # 08:00–09:00 … 17:00–18:00


def campus_today() -> date:
    """Today on the campus clock (the suites start campus with CAMPUS_TIMEZONE unset: UTC)."""
    return datetime.now(timezone.utc).date()


def days_ahead(days: int) -> str:
    """The ISO date `days` days after today on the campus clock."""
    return (campus_today() + timedelta(days=days)).isoformat()


def hours(index: int) -> tuple[str, str]:
    """(start_time, end_time) of the index-th one-hour slot of a day, 08:00–18:00 (wraps after 10)."""
    hour = 8 + index % HOURS
    return f"{hour:02d}:00", f"{hour + 1:02d}:00"


def slot(index: int, rooms: Sequence[int], first_day: int = 1, days: int | None = None) -> dict:
    """The index-th slot of the layout: {"room_id", "date", "start_time", "end_time"}."""
    room = rooms[index % len(rooms)]
    n = index // len(rooms)
    day = n // HOURS
    if days:
        day %= days
    start, end = hours(n)
    return {"room_id": room, "date": days_ahead(first_day + day), "start_time": start, "end_time": end}


class Slots:
    """Hands out the layout's slots in order, each once (thread-safe). `rooms` may also be given per call."""

    def __init__(self, rooms: Sequence[int] | None = None, first_day: int = 1, days: int | None = 13):
        self.rooms = rooms
        self.first_day = first_day
        self.days = days
        self._counter = itertools.count()
        self._lock = threading.Lock()

    def next(self, rooms: Sequence[int] | None = None) -> dict:
        with self._lock:
            index = next(self._counter)
        return slot(index, rooms if rooms is not None else self.rooms, self.first_day, self.days)


def booking_uid(booking: dict) -> str:
    """The calendar UID of a booking (feed, download and e-mailed invitation alike): its id and its creation
    time in Unix seconds, so another installation's booking with the same id is another event."""
    created = datetime.fromisoformat(booking["created_at"].replace("Z", "+00:00"))
    return f"booking-{booking['id']}.{int(created.timestamp())}@campus-services-hub"
