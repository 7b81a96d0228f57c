"""Issue 19, point 3: two booking replicas on one database, both sweeping every second
(RELEASE_CHECK_SECONDS=1), release each booking nobody checked in to exactly once and tell its owner
once (the release is claimed by a conditional UPDATE … RETURNING in the transaction that queues the
notice); a booking checked in to is never released."""
from __future__ import annotations

import time
import uuid


def test_two_booking_replicas_release_each_no_show_once(cluster, summary):
    admin = cluster.login("admin@example.com", "admin123")
    faculty = cluster.login("faculty@example.com", "faculty123")
    marker = f"release-{uuid.uuid4().hex[:8]}"
    ids = []
    with cluster.session() as session:  # every exchange checked against the documents
        room = session.post(cluster.front + "/api/rooms", headers={"Authorization": f"Bearer {admin}"}, timeout=15,
                            json={"name": f"Check-in room {marker}", "building": "Scale", "capacity": 4, "check_in_required": True})
        assert room.status_code == 201 and room.json()["check_in_required"] is True, room.text
        day = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 45 * 86400))
        for n in range(10):
            r = session.post(cluster.front + "/api/bookings", headers={"Authorization": f"Bearer {faculty}"}, timeout=15,
                             json={"room_id": room.json()["id"], "date": day, "start_time": f"{8 + n:02d}:00", "end_time": f"{9 + n:02d}:00",
                                   "purpose": f"{marker} {n}"})
            assert r.status_code == 201 and r.json()["check_in"] is not None, r.text
            ids.append(int(r.json()["id"]))
    kept, released_ids = ids[0], ids[1:]
    id_list = ",".join(map(str, ids))
    # Their check-in closed a minute ago (they have not ended: the sweep releases only what is still to come);
    # the first was checked in to.
    cluster.psql(f"UPDATE booking.bookings SET check_in_opens_at = now() - interval '30 minutes', "
                 f"check_in_closes_at = now() - interval '1 minute' WHERE id IN ({id_list})")
    cluster.psql(f"UPDATE booking.bookings SET checked_in_at = now() - interval '5 minutes' WHERE id = {kept}")
    deadline = time.monotonic() + 30
    released = 0
    while time.monotonic() < deadline:
        released = int(cluster.psql(f"SELECT count(*) FROM booking.bookings WHERE id IN ({id_list}) AND status = 'cancelled'"))
        if released == len(released_ids):
            break
        time.sleep(0.2)
    time.sleep(3)  # let both replicas sweep again
    notices = int(cluster.psql(f"SELECT count(*) FROM booking.outbox_events WHERE payload LIKE '%Booking released%' AND payload LIKE '%Check-in room {marker}%'"))
    still = cluster.psql(f"SELECT status FROM booking.bookings WHERE id = {kept}").strip()
    summary["booking_releases"] = {"bookings": len(released_ids), "notices": notices}
    assert released == len(released_ids), f"{released} of {len(released_ids)} bookings were released"
    assert notices == len(released_ids), f"{notices} release notices for {len(released_ids)} bookings: replicas double-release"
    assert still == "confirmed", "a booking checked in to was released"


def test_two_booking_replicas_serve_each_freed_slot_once(cluster, summary):
    """Issue 19, point 2: both replicas serve the waiting lists every second; each freed slot goes to the first
    in line exactly once (booked for them: they asked), and the second in line is neither booked nor told."""
    admin = cluster.login("admin@example.com", "admin123")
    holder = cluster.login("faculty@example.com", "faculty123")
    marker = uuid.uuid4().hex[:8]
    with cluster.session() as session:  # every exchange checked against the documents
        def faculty(name: str) -> str:
            email = f"wait-{name}-{marker}@example.com"
            r = session.post(cluster.front + "/api/users", headers={"Authorization": f"Bearer {admin}"}, timeout=15,
                             json={"email": email, "name": f"Waiting {name}", "password": "waiting-in-line", "role": "faculty"})
            assert r.status_code == 201, r.text
            return cluster.login(email, "waiting-in-line")
        first, second = faculty("first"), faculty("second")
        room = session.post(cluster.front + "/api/rooms", headers={"Authorization": f"Bearer {admin}"}, timeout=15,
                            json={"name": f"Waitlist room {marker}", "building": "Scale", "capacity": 4}).json()["id"]
        day = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 50 * 86400))
        slots = [{"room_id": room, "date": day, "start_time": f"{8 + n:02d}:00", "end_time": f"{9 + n:02d}:00"} for n in range(8)]
        held = []
        for slot in slots:
            r = session.post(cluster.front + "/api/bookings", headers={"Authorization": f"Bearer {holder}"}, timeout=15,
                             json={**slot, "purpose": f"held {marker}"})
            assert r.status_code == 201, r.text
            held.append(r.json()["id"])
        for token, auto in ((first, True), (second, True)):
            for slot in slots:
                r = session.post(cluster.front + "/api/bookings/waitlist", headers={"Authorization": f"Bearer {token}"}, timeout=15,
                                 json={**slot, "purpose": f"waited {marker}", "auto_book": auto})
                assert r.status_code == 201, r.text
        for booking in held:
            assert session.delete(cluster.front + f"/api/bookings/{booking}", headers={"Authorization": f"Bearer {holder}"}, timeout=15).status_code == 204
    deadline = time.monotonic() + 30
    booked = 0
    while time.monotonic() < deadline:
        booked = int(cluster.psql(f"SELECT count(*) FROM booking.bookings WHERE room_id = {room} AND status = 'confirmed'"))
        if booked == len(slots):
            break
        time.sleep(0.2)
    time.sleep(3)  # let both replicas sweep again
    confirmed = int(cluster.psql(f"SELECT count(*) FROM booking.bookings WHERE room_id = {room} AND status = 'confirmed' AND purpose = 'waited {marker}'"))
    states = cluster.psql(f"SELECT status, count(*) FROM booking.waitlist WHERE room_id = {room} GROUP BY status ORDER BY status")
    told = int(cluster.psql(f"SELECT count(*) FROM booking.outbox_events WHERE payload LIKE '%A room you waited for is free%' AND payload LIKE '%Waitlist room {marker}%'"))
    summary["waitlist_serving"] = {"slots": len(slots), "booked": confirmed, "entries": states}
    assert confirmed == len(slots), f"{confirmed} of {len(slots)} freed slots were booked for the first in line"
    assert states.split() == [f"booked|{len(slots)}", f"waiting|{len(slots)}"], states
    assert told == 0, f"{told} 'free' notices: the second in line was told of slots already booked for the first"


def test_two_booking_replicas_expire_each_undecided_request_once(cluster, summary):
    """Issue 19, point 4: both replicas sweep every second; each request nobody decided by its deadline
    expires exactly once and its booker is told once per request (a weekly series is one request); a
    request still within its deadline stays pending and holds its slot."""
    admin = cluster.login("admin@example.com", "admin123")
    faculty = cluster.login("faculty@example.com", "faculty123")
    marker = f"approval-{uuid.uuid4().hex[:8]}"
    with cluster.session() as session:  # every exchange checked against the documents
        room = session.post(cluster.front + "/api/rooms", headers={"Authorization": f"Bearer {admin}"}, timeout=15,
                            json={"name": f"Approval room {marker}", "building": "Scale", "capacity": 8, "approval_required": True})
        assert room.status_code == 201 and room.json()["approval_required"] is True, room.text
        room_id = room.json()["id"]
        day = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 40 * 86400))
        ids = []
        for n in range(8):
            r = session.post(cluster.front + "/api/bookings", headers={"Authorization": f"Bearer {faculty}"}, timeout=15,
                             json={"room_id": room_id, "date": day, "start_time": f"{8 + n:02d}:00", "end_time": f"{9 + n:02d}:00",
                                   "purpose": f"{marker} {n}"})
            assert r.status_code == 201 and r.json()["status"] == "pending", r.text
            ids.append(int(r.json()["id"]))
        series = session.post(cluster.front + "/api/bookings", headers={"Authorization": f"Bearer {faculty}"}, timeout=15,
                              json={"room_id": room_id, "date": day, "start_time": "17:00", "end_time": "18:00", "purpose": f"{marker} weekly",
                                    "repeat_weeks": 3})
        assert series.status_code == 201, series.text
        series_ids = [int(b["id"]) for b in series.json()["bookings"]]
    kept, due = ids[0], ids[1:] + series_ids
    id_list = ",".join(map(str, due))
    cluster.psql(f"UPDATE booking.bookings SET decide_by = now() - interval '1 minute' WHERE id IN ({id_list})")
    deadline = time.monotonic() + 30
    expired = 0
    while time.monotonic() < deadline:
        expired = int(cluster.psql(f"SELECT count(*) FROM booking.bookings WHERE id IN ({id_list}) AND status = 'cancelled' AND cancelled_by = 'no-decision'"))
        if expired == len(due):
            break
        time.sleep(0.2)
    time.sleep(3)  # let both replicas sweep again
    notices = int(cluster.psql(f"SELECT count(*) FROM booking.outbox_events WHERE payload LIKE '%Booking request expired%' AND payload LIKE '%Approval room {marker}%'"))
    still = cluster.psql(f"SELECT status FROM booking.bookings WHERE id = {kept}").strip()
    requests = len(ids) - 1 + 1  # the single requests past their deadline, and the series as one
    summary["approval_expiry"] = {"requests": requests, "bookings": len(due), "notices": notices}
    assert expired == len(due), f"{expired} of {len(due)} undecided bookings expired"
    assert notices == requests, f"{notices} expiry notices for {requests} requests (one a series): replicas double-expire"
    assert still == "pending", "a request within its deadline expired"
