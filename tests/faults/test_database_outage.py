"""The database goes away under load: every request fails cleanly, nothing is half-written, and the
running server recovers by itself when the database is back."""

from __future__ import annotations

import http.client
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.test import Client

from xieshang.audit.models import AuditEvent
from xieshang.core.dbdown import DatabaseUnavailableMiddleware, database_unavailable
from xieshang.proposals.models import Proposal, ProposalState
from xieshang.web.views import error_500

from ..proposals import walk
from .helpers import BIN, TcpProxy, app_env, database_url, free_port, postgres_only, start, stop, wait_for

DOWN_MESSAGE = "数据库暂时不可用，请稍后再试"
CSRF = "fault0test0csrf0secret0abcdefghi"  # a 32-character secret serves as cookie and form token
TIMEOUT = 10.0  # no request may take longer than this


@dataclass
class Answer:
    status: int
    body: str
    retry_after: str | None
    seconds: float


@dataclass
class Server:
    port: int
    session: str

    def get(self, path: str, *, signed_in: bool = True) -> Answer:
        return self._send("GET", path, signed_in=signed_in)

    def post(self, path: str, fields: dict[str, str]) -> Answer:
        body = "&".join(f"{k}={v}" for k, v in {**fields, "csrfmiddlewaretoken": CSRF}.items())
        return self._send("POST", path, body=body, signed_in=True)

    def _send(self, method: str, path: str, *, body: str | None = None, signed_in: bool) -> Answer:
        cookie = f"csrftoken={CSRF}" + (f"; sessionid={self.session}" if signed_in else "")
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        began = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        return Answer(response.status, text, response.getheader("Retry-After"), time.monotonic() - began)


@pytest.fixture(scope="module")
def proxy(django_db_setup, django_db_blocker) -> Iterator[TcpProxy]:
    s = connection.settings_dict
    with TcpProxy((s.get("HOST") or "127.0.0.1", int(s.get("PORT") or 5432))) as p:
        yield p


@pytest.fixture(scope="module")
def gunicorn(proxy: TcpProxy, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One gunicorn for the module, serving the app on the test database through the proxy."""
    tmp_path = tmp_path_factory.mktemp("server")
    port = free_port()
    args = [str(BIN / "gunicorn"), "xieshang.wsgi:application", "-b", f"127.0.0.1:{port}"]
    args += ["--workers", "1", "--threads", "4", "--timeout", "30"]
    proc = start(args, app_env(tmp_path, database_url("127.0.0.1", proxy.port)), tmp_path / "server.log")
    srv = Server(port, session="")

    def up() -> bool:
        try:
            return srv.get("/public/", signed_in=False).status == 200
        except OSError:
            return False

    try:
        wait_for(up, 30, "gunicorn to serve the portal", every=0.2)
        yield srv
    finally:
        stop(proc)


@pytest.fixture
def server(world, proxy: TcpProxy, gunicorn: Server) -> Iterator[Server]:
    """The server with the city's member signed in; the database link whole again afterwards."""
    client = Client()
    client.force_login(world.city.member)
    gunicorn.session = client.cookies["sessionid"].value
    yield gunicorn
    proxy.cut_when_sent(None)
    proxy.cut()
    proxy.restore()


def _assert_clean_outage(answer: Answer) -> None:
    assert answer.status == 503, answer.body[:300]
    assert DOWN_MESSAGE in answer.body
    assert answer.retry_after == "10"
    assert "Traceback" not in answer.body


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_requests_fail_cleanly_while_the_database_is_down_and_succeed_after(world, proxy, server):
    p = walk.draft(world.city)
    pages = [f"/proposals/{p.pk}/", "/"]
    # given: the server answers, signed in and on the public portal
    for path in pages:
        assert server.get(path).status == 200
    assert server.get("/public/", signed_in=False).status == 200

    # when: the database goes away (open connections closed, new ones refused) for three seconds
    proxy.cut()
    outage: list[Answer] = []
    ends = time.monotonic() + 3
    while time.monotonic() < ends:
        outage += [server.get(path) for path in pages]
        outage.append(server.get("/public/", signed_in=False))
    # then: every request got the 503 page, fast
    assert len(outage) >= 6
    for answer in outage:
        _assert_clean_outage(answer)
    assert max(a.seconds for a in outage) < TIMEOUT

    # when: the database is back; then: the same server process answers again
    proxy.restore()
    for path in pages:
        assert server.get(path).status == 200
    assert server.get("/public/", signed_in=False).status == 200


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_mid_transaction_leaves_nothing_written(world, proxy, server):
    # given: a draft, and a database link that breaks when the audit event of the action is sent,
    # that is after the proposal's new state was written inside the same transaction
    p = walk.draft(world.city)
    cuts = proxy.cuts
    proxy.cut_when_sent(b'INSERT INTO "audit_auditevent"')
    # when: the member submits it
    answer = server.post(f"/proposals/{p.pk}/act/submit/", {"version": str(p.version)})
    # then: a clean 503, and neither the new state nor its audit event exist
    _assert_clean_outage(answer)
    assert proxy.cuts == cuts + 1
    p.refresh_from_db()
    assert (p.state, p.version) == (ProposalState.DRAFT, 1)
    assert not AuditEvent.objects.filter(verb="submit", target_id=p.pk).exists()
    # and: submitting again, with the link whole, works
    answer = server.post(f"/proposals/{p.pk}/act/submit/", {"version": str(p.version)})
    assert answer.status == 302
    assert Proposal.objects.get(pk=p.pk).state != ProposalState.DRAFT


def test_the_503_page_needs_no_database():
    # no database fixture: a query here would fail the test
    response = database_unavailable()
    assert response.status_code == 503
    assert DOWN_MESSAGE in response.content.decode()


def test_a_view_that_loses_the_database_gets_the_503_page(rf):
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse())
    error = OperationalError("server closed the connection unexpectedly")
    response = middleware.process_exception(rf.get("/"), error)
    assert response is not None and response.status_code == 503
    assert response["Retry-After"] == "10"
    assert middleware.process_exception(rf.get("/"), ValueError("a bug")) is None


def test_the_500_handler_answers_503_when_a_middleware_lost_the_database(rf):
    # Django calls the handler while the exception is being handled, as here
    try:
        raise InterfaceError("connection already closed")
    except InterfaceError:
        response = error_500(rf.get("/"))
    assert response.status_code == 503
    assert DOWN_MESSAGE in response.content.decode()
    try:
        raise ValueError("a bug")
    except ValueError:
        assert error_500(rf.get("/")).status_code == 500
