"""Issue 19, point 10: a room a technician marked out of order reaches booking by maintenance's statement,
restated by both maintenance replicas every SLA_CHECK_SECONDS (1 s here). A statement lost (the mark
written where booking never heard of it) is made good by either replica; then both booking replicas
refuse the room, and once the ticket is resolved the room takes bookings again. Two replicas state the
same rows, so they never undo each other."""
from __future__ import annotations

import time
import uuid


def wait_for(cluster, sql: str, wanted: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = cluster.psql(sql).strip()
        if value == wanted:
            return value
        time.sleep(0.2)
    return value


def test_two_maintenance_replicas_restate_rooms_out_of_order_to_booking(cluster, summary):
    admin = cluster.login("admin@example.com", "admin123")
    marker = uuid.uuid4().hex[:8]
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 3 * 86400))
    with cluster.session() as session:  # every exchange checked against the documents
        email = f"out-of-order-{marker}@example.com"
        user = session.post(cluster.front + "/api/users", headers={"Authorization": f"Bearer {admin}"}, timeout=15,
                            json={"email": email, "name": "Out of order", "password": "out-of-order-pass", "role": "student"})
        assert user.status_code == 201, user.text
        student = cluster.login(email, "out-of-order-pass")
        room = session.post(cluster.front + "/api/rooms", headers={"Authorization": f"Bearer {admin}"}, timeout=15,
                            json={"name": f"Out of order {marker}", "building": "Scale", "capacity": 6})
        assert room.status_code == 201, room.text
        room_id = room.json()["id"]
        ticket = session.post(cluster.instances["maintenance-a"].url + "/tickets", headers={"Authorization": f"Bearer {student}"}, timeout=15,
                              json={"title": f"{marker} radiator leaking", "description": "water on the floor", "location": "Scale",
                                    "room_id": room_id})
        assert ticket.status_code == 201, ticket.text
        ticket_id = ticket.json()["id"]

        # Marked where booking never heard of it: the restatement carries it over.
        cluster.psql(f"UPDATE maintenance.tickets SET room_out_of_order = true WHERE id = {ticket_id}")
        marked = wait_for(cluster, f"SELECT coalesce(out_of_order_ticket::text, '') FROM booking.rooms WHERE id = {room_id}", str(ticket_id))
        assert marked == str(ticket_id), f"booking still has {marked!r} for the room after 30 s of restatements"
        slot = {"room_id": room_id, "date": day, "start_time": "10:00", "end_time": "11:00", "purpose": marker}
        refusals = {}
        for label in ("booking-a", "booking-b"):
            r = session.post(cluster.instances[label].url + "/bookings", headers={"Authorization": f"Bearer {student}"}, timeout=15, json=slot)
            refusals[label] = (r.status_code, r.json().get("code"))
        assert refusals == {"booking-a": (409, "room_out_of_order"), "booking-b": (409, "room_out_of_order")}, refusals

        # Resolved (where booking never heard of it either): the room comes back, and stays back.
        cluster.psql(f"UPDATE maintenance.tickets SET status = 'resolved', room_out_of_order = false WHERE id = {ticket_id}")
        back = wait_for(cluster, f"SELECT coalesce(out_of_order_ticket::text, '') FROM booking.rooms WHERE id = {room_id}", "")
        assert back == "", f"booking still has the room out of order ({back!r}) after the ticket was resolved"
        time.sleep(2.5)  # both replicas restate again: neither brings the mark back
        assert cluster.psql(f"SELECT coalesce(out_of_order_ticket::text, '') FROM booking.rooms WHERE id = {room_id}").strip() == ""
        booked = session.post(cluster.front + "/api/bookings", headers={"Authorization": f"Bearer {student}"}, timeout=15, json=slot)
        assert booked.status_code == 201, booked.text
        summary["rooms_out_of_order"] = {"refused_by": sorted(refusals), "back_in_order": True}
