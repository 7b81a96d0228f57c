"""Issue 19, point 6: two booking replicas on one database, both sweeping for reminders every second
(REMINDER_CHECK_SECONDS=1), remind of each booking exactly once (the reminder is claimed by a conditional
UPDATE … RETURNING in the transaction that queues its notice)."""
from __future__ import annotations

import time
import uuid


def test_two_booking_replicas_remind_of_each_booking_once(cluster, summary):
    faculty = cluster.login("faculty@example.com", "faculty123")
    marker = f"remind-{uuid.uuid4().hex[:8]}"
    ids = []
    with cluster.session() as session:  # every exchange checked against the documents
        for n in range(12):
            r = session.post(cluster.front + "/api/bookings", headers={"Authorization": f"Bearer {faculty}"}, timeout=15,
                             json={"room_id": 1 + n % 8, "date": time.strftime("%Y-%m-%d", time.gmtime(time.time() + (40 + n // 8) * 86400)),
                                   "start_time": f"{8 + n % 8 + n // 8:02d}:00", "end_time": f"{9 + n % 8 + n // 8:02d}:00", "purpose": f"{marker} {n}"})
            assert r.status_code == 201, r.text
            ids.append(int(r.json()["id"]))
    id_list, first = ",".join(map(str, ids)), min(ids)
    # Made long ago, starting within the next hour (a minute apart, so no room is double booked): all due now.
    cluster.psql(f"UPDATE booking.bookings SET created_at = now() - interval '2 days', "
                 f"starts_at = now() + interval '10 minutes' + (id - {first}) * interval '1 minute', "
                 f"ends_at = now() + interval '11 minutes' + (id - {first}) * interval '1 minute' WHERE id IN ({id_list})")
    deadline = time.monotonic() + 30
    reminded = 0
    while time.monotonic() < deadline:
        reminded = int(cluster.psql(f"SELECT count(*) FROM booking.bookings WHERE id IN ({id_list}) AND reminded_at IS NOT NULL"))
        if reminded == len(ids):
            break
        time.sleep(0.2)
    time.sleep(3)  # let both replicas sweep again
    notices = int(cluster.psql(f"SELECT count(*) FROM booking.outbox_events WHERE payload LIKE '%Booking starts soon%' AND payload LIKE '%{marker}%'"))
    summary["booking_reminders"] = {"bookings": len(ids), "notices": notices}
    assert reminded == len(ids), f"{reminded} of {len(ids)} bookings were reminded of"
    assert notices == len(ids), f"{notices} reminder notices for {len(ids)} bookings: replicas double-remind"
