"""A real SMTP server for the end-to-end suites: what `campus serve` e-mails, received by aiosmtpd
(e2e/requirements.txt) on loopback and read with Python's `email` package.

    from support.smtp import SMTPReceiver, TestPKI
    with SMTPReceiver() as smtp:                          # 127.0.0.1, a free port, plain SMTP, no AUTH
        env = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.port), "SMTP_TLS": "none"}
        ...
        [mail] = smtp.wait_for_mail("student@example.com")          # one accepted message to that address
        mail.message["Subject"], mail.tls, mail.auth_login, mail.raw

    pki = TestPKI(folder)                                  # a throwaway CA (openssl CLI), PEM files
    cert = pki.server_certificate("good")                 # signed by the CA, naming 127.0.0.1 and localhost
    smtp = SMTPReceiver(tls="starttls", certificate=cert, auth=("mailer", "secret"))  # STARTTLS required, AUTH required
    smtp.stop(); smtp.start()                             # down, then up again on the SAME port
    smtp.reject.add("nobody@example.com")                 # 550 at RCPT TO for that address
    smtp.data_delay = 1.5                                 # wait before answering the end of DATA (a slow server)
    smtp.defer(2)                                          # 451 for the next two MAIL FROM (a temporary failure)

Modes (`tls`): "none" (no STARTTLS offered), "starttls" (offered and required before MAIL / AUTH),
"tls" (implicit TLS from the first byte, as on port 465). With `auth`, AUTH is required before MAIL
and, unless tls="none", offered only over TLS; `auth_mechanisms` limits what is offered (e.g.
("LOGIN",) to see a client fall back from PLAIN). Settings may change while running; a change of
`tls`, `certificate` or `auth` is taken by the next connection (a change to or from implicit TLS needs
stop()/start()).

What is recorded:
  - `messages`: every message ACCEPTED (answered 250 after DATA, the client still connected), as
    `Received`: raw bytes (after DATA's dot-unstuffing), envelope sender and recipients, whether the
    session was TLS, the AUTH login and mechanism, the connection number and when it was accepted;
  - `connections`: every connection with a transcript of commands (AUTH arguments hidden) and replies;
  - `rejections`: every RCPT TO answered 550 (address, time); `aborted`: DATA that ended without a
    250 reaching a connected client (the client went away during a slow answer);
  - `in_flight()`: messages whose DATA has been received and whose answer is pending (slow server).
A message whose DATA was cut off is never in `messages`, so "exactly once" is judged on what the
server really acknowledged.
"""
from __future__ import annotations

import asyncio
import email
import email.policy
import itertools
import logging
import ssl
import subprocess
import threading
import time
import warnings
from dataclasses import dataclass, field
from email.message import EmailMessage
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, TypeVar

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

T = TypeVar("T")
logging.getLogger("mail.log").setLevel(logging.CRITICAL)  # aiosmtpd's own log: handshakes the tests make fail on purpose


# ---- a throwaway certificate authority (the openssl CLI) ---------------------------------------------------------------
@dataclass(frozen=True)
class Certificate:
    cert: Path   # PEM certificate
    key: Path    # PEM private key (unencrypted)


class TestPKI:
    """A certificate authority made for one run in `folder`: `ca` is its PEM certificate (what
    SMTP_TLS_CA_FILE takes); server_certificate() signs leaf certificates for the names given."""

    __test__ = False  # not a pytest class

    def __init__(self, folder: Path, name: str = "Campus e2e test CA"):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        slug = "".join(c if c.isalnum() else "-" for c in name.lower())
        self.ca = self.folder / f"{slug}.pem"
        self.ca_key = self.folder / f"{slug}.key"
        _openssl("req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", self.ca_key, "-out", self.ca, "-days", "3", "-subj", f"/CN={name}",
                 "-addext", "basicConstraints=critical,CA:TRUE",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                 "-addext", "subjectKeyIdentifier=hash")
        self._serial = itertools.count(int(time.time()))

    def server_certificate(self, label: str, names: Iterable[str] = ("127.0.0.1", "localhost")) -> Certificate:
        """A server certificate signed by this CA whose subjectAltName lists `names` (IP or DNS)."""
        names = list(names)
        san = ",".join(f"IP:{n}" if n.replace(".", "").isdigit() or ":" in n else f"DNS:{n}" for n in names)
        key, csr, cert = (self.folder / f"{label}.{ext}" for ext in ("key", "csr", "pem"))
        extensions = self.folder / f"{label}.ext"
        extensions.write_text(f"subjectAltName={san}\nbasicConstraints=critical,CA:FALSE\n"
                              "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
                              "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n")
        _openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", key, "-out", csr, "-subj", f"/CN={names[0]}")
        _openssl("x509", "-req", "-in", csr, "-CA", self.ca, "-CAkey", self.ca_key, "-set_serial", str(next(self._serial)),
                 "-days", "2", "-out", cert, "-extfile", extensions)
        return Certificate(cert, key)


def _openssl(*args) -> None:
    result = subprocess.run(["openssl", *map(str, args)], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(map(str, args[:2]))} failed: {result.stderr[-1000:]}")


# ---- what the server saw ---------------------------------------------------------------------------------------------------
@dataclass
class Connection:
    number: int
    peer: str
    opened_at: float                                   # time.time()
    closed_at: float | None = None
    tls: bool = False                                  # a TLS session was established (STARTTLS or implicit)
    starttls_requested: bool = False
    auth: list[tuple[str, str, bool]] = field(default_factory=list)  # (mechanism, login, accepted)
    transcript: list[str] = field(default_factory=list)

    def short(self) -> str:
        state = "open" if self.closed_at is None else "closed"
        return f"connection #{self.number} ({state}, tls={self.tls}): " + " | ".join(self.transcript[-14:])


@dataclass(frozen=True)
class Received:
    raw: bytes
    mail_from: str
    rcpt_tos: tuple[str, ...]
    tls: bool
    auth_login: str | None
    auth_mechanism: str | None
    connection: int
    data_started_at: float    # time.time() when the end of DATA arrived
    accepted_at: float        # time.time() when 250 was answered

    @cached_property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)

    @property
    def message_id(self) -> str:
        return str(self.message.get("Message-ID", "")).strip()

    @property
    def subject(self) -> str:
        return str(self.message.get("Subject", ""))

    def short(self) -> str:
        return (f"<{self.mail_from}> -> {list(self.rcpt_tos)} Message-ID {self.message_id!r} Subject {self.subject!r} "
                f"(connection #{self.connection}, tls={self.tls}, auth={self.auth_login!r})")


@dataclass(frozen=True, eq=False)  # compared by identity: two deliveries of one message are two Pendings
class Pending:
    """A message whose DATA has arrived and whose answer is being held back (data_delay)."""
    raw: bytes
    rcpt_tos: tuple[str, ...]
    connection: int
    since: float

    @property
    def message_id(self) -> str:
        return str(email.message_from_bytes(self.raw, policy=email.policy.default).get("Message-ID", "")).strip()


# ---- the server ------------------------------------------------------------------------------------------------------------
class _RecordingSMTP(SMTP):
    """aiosmtpd's SMTP protocol, writing a transcript of each connection into the receiver."""

    def __init__(self, receiver: "SMTPReceiver", record: Connection, **kwargs):
        super().__init__(receiver._handler, **kwargs)
        self.receiver = receiver
        self.record = record
        for name, method in list(self._smtp_methods.items()):
            self._smtp_methods[name] = self._logged(name, method)

    def _logged(self, name: str, method):
        async def run(arg):
            shown = "***" if name == "AUTH" and arg else (arg or "")
            if name == "AUTH" and arg:
                shown = arg.split()[0] + " ***"
            self.record.transcript.append(f"C: {name} {shown}".rstrip())
            if name == "STARTTLS":
                self.record.starttls_requested = True
            return await method(arg)
        return run

    async def push(self, status):
        text = status.decode("utf-8", "replace") if isinstance(status, bytes) else status
        if not text.startswith("334"):  # AUTH challenges carry nothing worth keeping
            self.record.transcript.append(f"S: {text.splitlines()[0][:120]}")
        await super().push(status)

    def connection_made(self, transport) -> None:
        first = self.transport is None
        super().connection_made(transport)
        if transport.get_extra_info("ssl_object") is not None:
            self.record.tls = True
            self.record.transcript.append("-- TLS established")
        if first:
            self.receiver._opened(self)

    def connection_lost(self, error) -> None:
        self.record.closed_at = time.time()
        self.record.transcript.append(f"-- closed{f' ({error!r})' if error else ''}")
        self.receiver._closed(self)
        super().connection_lost(error)

    def is_tls(self) -> bool:
        return self.transport is not None and self.transport.get_extra_info("ssl_object") is not None


class _Handler:
    def __init__(self, receiver: "SMTPReceiver"):
        self.receiver = receiver

    async def handle_MAIL(self, server: _RecordingSMTP, session, envelope, address, mail_options):
        with self.receiver._lock:
            if self.receiver._deferrals > 0:
                self.receiver._deferrals -= 1
                return "451 4.3.0 Try again later (campus e2e: deferred on purpose)"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server: _RecordingSMTP, session, envelope, address, rcpt_options):
        if address.lower() in {a.lower() for a in self.receiver.reject}:
            with self.receiver._lock:
                self.receiver._rejections.append((address, time.time()))
            return f"550 5.1.1 <{address}>: mailbox unknown (campus e2e: rejected on purpose)"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server: _RecordingSMTP, session, envelope):
        receiver = self.receiver
        raw = bytes(envelope.original_content or b"")
        pending = Pending(raw, tuple(envelope.rcpt_tos), server.record.number, time.time())
        with receiver._lock:
            receiver._pending.append(pending)
        try:
            delay = receiver.data_delay
            if delay:
                await asyncio.sleep(delay)
        except asyncio.CancelledError:
            receiver._abort(pending, "connection lost while the server held the answer")
            raise
        finally:
            with receiver._lock:
                if pending in receiver._pending:
                    receiver._pending.remove(pending)
        if server.transport is None or server.transport.is_closing():
            receiver._abort(pending, "client gone before the answer")
            return "451 4.4.2 Connection lost"
        auth = session.auth_data if isinstance(session.auth_data, LoginPassword) else None
        mechanism = next((m for m, login, ok in reversed(server.record.auth) if ok), None)
        received = Received(raw, envelope.mail_from or "", tuple(envelope.rcpt_tos), server.is_tls(),
                            auth.login.decode("utf-8", "replace") if auth else None, mechanism,
                            server.record.number, pending.since, time.time())
        with receiver._lock:
            receiver._messages.append(received)
            number = len(receiver._messages)
        return f"250 2.0.0 OK queued as e2e-{number}"

    def authenticate(self, server: _RecordingSMTP, session, envelope, mechanism, auth_data):
        expected = self.receiver.auth
        ok = (isinstance(auth_data, LoginPassword) and expected is not None
              and (auth_data.login.decode("utf-8", "replace"), auth_data.password.decode("utf-8", "replace")) == tuple(expected))
        login = auth_data.login.decode("utf-8", "replace") if isinstance(auth_data, LoginPassword) else repr(auth_data)
        server.record.auth.append((mechanism, login, ok))
        return AuthResult(success=ok, auth_data=auth_data if ok else None)


class SMTPReceiver:
    """An SMTP server on `host`:`port` (0: a free port, kept across stop()/start()) in a thread of this process."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, tls: str = "none", certificate: Certificate | None = None,
                 auth: tuple[str, str] | None = None, auth_mechanisms: Iterable[str] | None = None,
                 hostname: str = "mail.campus-e2e.test", start: bool = True):
        if tls not in ("none", "starttls", "tls"):
            raise ValueError(f"tls must be none, starttls or tls, not {tls!r}")
        if tls != "none" and certificate is None:
            raise ValueError("a TLS mode needs a certificate")
        self.host, self.port = host, port
        self.tls, self.certificate, self.auth = tls, certificate, auth
        self.auth_mechanisms = tuple(auth_mechanisms) if auth_mechanisms else None
        self.hostname = hostname
        self.reject: set[str] = set()
        self.data_delay: float = 0.0
        self._deferrals = 0
        self._handler = _Handler(self)
        self._lock = threading.Lock()
        self._messages: list[Received] = []
        self._connections: list[Connection] = []
        self._rejections: list[tuple[str, float]] = []
        self._aborted: list[tuple[Pending, str]] = []
        self._pending: list[Pending] = []
        self._live: set[_RecordingSMTP] = set()
        self._server: asyncio.AbstractServer | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="smtp-receiver", daemon=True)
        self._thread.start()
        if start:
            self.start()

    # ---- lifecycle ----
    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> "SMTPReceiver":
        """Listens (again) on the same port; raises if it cannot bind."""
        if self._server is None:
            self._server = self._call(self._listen())
            self.port = self._server.sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        """Stops listening and cuts every open connection: the server is down (connections refused)."""
        if self._server is not None:
            self._call(self._shut())
            self._server = None

    def close(self) -> None:
        self.stop()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        if not self._thread.is_alive():
            self._loop.close()

    def __enter__(self) -> "SMTPReceiver":
        return self.start()

    def __exit__(self, *_) -> None:
        self.close()

    def defer(self, count: int) -> None:
        """Answers 451 (a temporary failure) to the next `count` MAIL FROM commands."""
        with self._lock:
            self._deferrals = count

    @property
    def deferrals_left(self) -> int:
        with self._lock:
            return self._deferrals

    def _call(self, coroutine, timeout: float = 15):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def _server_context(self) -> ssl.SSLContext | None:
        if self.certificate is None:
            return None
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(self.certificate.cert), str(self.certificate.key))
        return context

    def _factory(self) -> _RecordingSMTP:
        with self._lock:
            record = Connection(len(self._connections) + 1, "", time.time())
            self._connections.append(record)
        excluded = None
        if self.auth_mechanisms is not None:
            excluded = [m for m in ("PLAIN", "LOGIN") if m not in self.auth_mechanisms]
        context = self._server_context() if self.tls == "starttls" else None
        with warnings.catch_warnings():  # "AUTH without TLS" is what implicit TLS looks like to aiosmtpd
            warnings.simplefilter("ignore")
            return _RecordingSMTP(
                self, record, hostname=self.hostname, loop=self._loop,
                tls_context=context, require_starttls=self.tls == "starttls",
                auth_required=self.auth is not None,
                # implicit TLS is invisible to aiosmtpd's own check (it only knows STARTTLS): the socket is TLS already
                auth_require_tls=self.tls == "starttls",
                authenticator=self._handler.authenticate, auth_exclude_mechanism=excluded,
                timeout=60)

    async def _listen(self) -> asyncio.AbstractServer:
        context = self._server_context() if self.tls == "tls" else None
        return await self._loop.create_server(self._factory, self.host, self.port, ssl=context, reuse_address=True)

    async def _shut(self) -> None:
        server = self._server
        server.close()
        for protocol in list(self._live):
            for transport in (protocol._original_transport, protocol.transport):
                if transport is not None:
                    transport.abort()
        try:
            await asyncio.wait_for(server.wait_closed(), 5)
        except asyncio.TimeoutError:
            pass
        await asyncio.sleep(0.05)  # let the aborted connections' callbacks run

    def _opened(self, protocol: _RecordingSMTP) -> None:
        peer = protocol.transport.get_extra_info("peername") if protocol.transport else None
        protocol.record.peer = f"{peer[0]}:{peer[1]}" if peer else "?"
        self._live.add(protocol)

    def _closed(self, protocol: _RecordingSMTP) -> None:
        self._live.discard(protocol)

    def _abort(self, pending: Pending, why: str) -> None:
        with self._lock:
            self._aborted.append((pending, why))

    # ---- what arrived ----
    @property
    def messages(self) -> list[Received]:
        with self._lock:
            return list(self._messages)

    @property
    def connections(self) -> list[Connection]:
        with self._lock:
            return list(self._connections)

    @property
    def rejections(self) -> list[tuple[str, float]]:
        with self._lock:
            return list(self._rejections)

    @property
    def aborted(self) -> list[tuple[Pending, str]]:
        with self._lock:
            return list(self._aborted)

    def in_flight(self) -> list[Pending]:
        with self._lock:
            return list(self._pending)

    def messages_to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address.lower() in (r.lower() for r in m.rcpt_tos)]

    def describe(self, last: int = 12) -> str:
        """The last messages and connections, for failure messages."""
        messages, connections = self.messages, self.connections
        return (f"{len(messages)} messages accepted, {len(connections)} connections, rejections {self.rejections[-5:]}, "
                f"aborted {[(p.rcpt_tos, why) for p, why in self.aborted[-5:]]}, in flight {[p.rcpt_tos for p in self.in_flight()]};"
                f" last messages:\n  " + "\n  ".join(m.short() for m in messages[-last:])
                + "\nlast connections:\n  " + "\n  ".join(c.short() for c in connections[-6:]))

    def wait_for(self, found: Callable[[], T], what: str, timeout: float = 60, interval: float = 0.05) -> T:
        """Polls `found()` until it returns something truthy (returned); fails naming `what` after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            result = found()
            if result:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"not seen within {timeout:.0f} s: {what}; the SMTP server saw {self.describe()}")
            time.sleep(interval)

    def wait_for_mail(self, address: str, count: int = 1, where: Callable[[Received], bool] | None = None,
                      timeout: float = 60) -> list[Received]:
        """The first `count` accepted messages to `address` (matching `where`), once that many have arrived."""
        def enough():
            found = [m for m in self.messages_to(address) if where is None or where(m)]
            return found if len(found) >= count else None
        return self.wait_for(enough, f"{count} message(s) to {address}", timeout)
