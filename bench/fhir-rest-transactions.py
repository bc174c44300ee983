"""Times 1,000-entry FHIR transactions against the REST base (/fhir/r4), as the fhir-import scenario's shape.

Usage: python3 bench/fhir-rest-transactions.py BASE_URL ACCESS_TOKEN new|resent|changed
(ACCESS_TOKEN: a SMART Backend Services token with system/Patient.write and system/Appointment.write, e.g. from the
walk-through in docs/integration.md). Run new, then resent, then changed against a fresh data folder.
"""
import json, sys, time, urllib.request, uuid, datetime, statistics
base, token, phase = sys.argv[1], sys.argv[2], sys.argv[3]
def bundle(b, shift):
    entries = []
    start = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.timezone.utc) + datetime.timedelta(hours=shift)
    for p in range(200):
        pid = f"rest-bench-{b}-{p}"; full = f"urn:uuid:{uuid.uuid4()}"
        entries.append({"fullUrl": full, "resource": {"resourceType": "Patient", "id": pid, "name": [{"given": ["Bench"], "family": f"Rest{b}x{p}"}], "birthDate": f"1980-01-{p % 28 + 1:02d}"}, "request": {"method": "PUT", "url": f"Patient/{pid}"}})
        for a in range(4):
            at = start + datetime.timedelta(days=a * 7 + p % 5, minutes=30 * (p % 16))
            aid = f"{pid}-appt-{a}"
            entries.append({"resource": {"resourceType": "Appointment", "id": aid, "status": "booked", "description": "Check-up", "start": at.strftime("%Y-%m-%dT%H:%M:%SZ"), "end": (at + datetime.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ"), "participant": [{"actor": {"reference": full}, "status": "accepted"}]}, "request": {"method": "PUT", "url": f"Appointment/{aid}"}})
    return json.dumps({"resourceType": "Bundle", "type": "transaction", "entry": entries}).encode()
times = []
for b in range(10):
    body = bundle(b, 1 if phase == "changed" else 0)
    req = urllib.request.Request(base + "/fhir/r4", data=body, headers={"Authorization": "Bearer " + token, "Content-Type": "application/fhir+json"})
    t = time.perf_counter()
    with urllib.request.urlopen(req) as r:
        answer = json.load(r)
    times.append((time.perf_counter() - t) * 1000)
    assert answer["type"] == "transaction-response" and len(answer["entry"]) == 1000
print(phase, "median", round(statistics.median(times)), "max", round(max(times)))
