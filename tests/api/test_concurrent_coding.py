"""Many coders on one transcript at once: every coding is kept, none fails, the audit
chain stays whole. Real HTTP against the live server, one thread per client."""

import http.client
import json
import random
import threading
from urllib.parse import urlsplit

from rest_framework.authtoken.models import Token

from analysis.coding.models import Coding
from dyads.audit import audit_verify
from dyads.models import AuditEvent, Role
from tests.factories import CodeFactory, MembershipFactory, UserFactory

CLIENTS = 20
CODINGS_EACH = 50


def post_codings(address, token: str, bodies: list[dict], statuses: list[int]) -> None:
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    try:
        for body in bodies:
            connection.request("POST", "/api/v1/codings/", json.dumps(body), headers)
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
    finally:
        connection.close()


def test_twenty_clients_adding_fifty_codings_each_to_one_transcript_leave_all_1000(
    cast, live_server
):
    codes = [CodeFactory(study=cast.study, name=f"Code {n}") for n in range(5)]
    length = len(cast.revision.text)
    rng = random.Random(4)
    tokens = []
    for n in range(CLIENTS):
        coder = UserFactory(username=f"coder{n}")
        MembershipFactory(study=cast.study, user=coder, role=Role.ANALYST)
        tokens.append(Token.objects.create(user=coder).key)
    work = []
    for _ in tokens:
        bodies = {}  # a coder applies a code to a span once
        while len(bodies) < CODINGS_EACH:
            start = rng.randrange(length - 1)
            end = rng.randrange(start + 1, length + 1)
            code = rng.choice(codes).pk
            body = {"revision": cast.revision.pk, "start": start, "end": end, "code": code}
            bodies[start, end, code] = body
        work.append(list(bodies.values()))
    statuses: list[list[int]] = [[] for _ in tokens]
    address = urlsplit(live_server.url)

    threads = [
        threading.Thread(target=post_codings, args=(address, token, bodies, answered))
        for token, bodies, answered in zip(tokens, work, statuses, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    answered = [status for each in statuses for status in each]
    assert len(answered) == CLIENTS * CODINGS_EACH
    assert set(answered) == {201}
    assert Coding.objects.filter(revision=cast.revision).count() == CLIENTS * CODINGS_EACH
    stored = sorted(Coding.objects.values_list("start", "end", "code"))
    sent = sorted((b["start"], b["end"], b["code"]) for bodies in work for b in bodies)
    assert stored == sent
    events = AuditEvent.objects.filter(study=cast.study, action="coding.create")
    assert events.count() == CLIENTS * CODINGS_EACH
    report = audit_verify(study=cast.study)
    assert report.intact, report.problem
    assert report.events_checked == AuditEvent.objects.filter(study=cast.study).count()
