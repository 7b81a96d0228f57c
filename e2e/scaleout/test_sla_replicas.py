"""Regression: two maintenance replicas on one database mark each SLA breach exactly once
(the breach is claimed by a conditional UPDATE … RETURNING; it used to be marked by both)."""
from __future__ import annotations

import os
import time
import uuid

import pytest



def test_two_maintenance_replicas_mark_each_sla_breach_once(cluster, summary):
    """Both replicas run the SLA check (every SLA_CHECK_SECONDS, 1 s here) over the same due tickets;
    each ticket must get exactly one 'The SLA deadline passed' history line and one notice."""
    student = cluster.login("student@example.com", "student123")
    a = cluster.instances["maintenance-a"]
    marker = f"sla-{uuid.uuid4().hex[:8]}"
    ids = []
    with cluster.session() as session:  # every exchange checked against the documents
        for n in range(60):
            r = session.post(a.url + "/tickets", headers={"Authorization": f"Bearer {student}"}, timeout=15,
                             json={"title": f"{marker} squeaky door {n}", "description": "squeaks", "location": "Building D"})
            assert r.status_code == 201, r.text
            ids.append(int(r.json()["id"]))
    id_list = ",".join(map(str, ids))
    cluster.psql(f"UPDATE maintenance.tickets SET sla_due_at = now() - interval '1 minute' WHERE id IN ({id_list})")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        breached = int(cluster.psql(f"SELECT count(*) FROM maintenance.tickets WHERE id IN ({id_list}) AND sla_breached"))
        if breached == len(ids):
            break
        time.sleep(0.2)
    time.sleep(3)  # let a second, overlapping check finish too
    records = int(cluster.psql(f"SELECT count(*) FROM maintenance.ticket_changes WHERE ticket_id IN ({id_list}) AND change LIKE 'The SLA deadline passed%'"))
    summary["sla_breach_records"] = {"tickets": len(ids), "records": records}
    assert breached == len(ids)
    assert records == len(ids), f"{records} 'The SLA deadline passed' lines for {len(ids)} tickets: replicas double-mark"
