"""A real OTLP/HTTP trace receiver for the end-to-end suites: what `campus serve` exports, decoded with
OpenTelemetry's own protobuf classes (opentelemetry-proto, e2e/requirements.txt).

    from support.otlp import OTLPReceiver
    with OTLPReceiver() as receiver:                     # 127.0.0.1, a free port, its own thread
        env = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.base_url, "OTEL_BSP_SCHEDULE_DELAY": "200"}
        ...
        span = receiver.wait_for(lambda spans: receiver.server_span(request_id), "the gateway's span")
        receiver.trace(span.trace_id)                    # every span of that trace received so far
        receiver.exports                                 # one Export per POST: path, content type, span count

Each POST body is decoded as an ExportTraceServiceRequest and answered with a serialized
ExportTraceServiceResponse (200, application/x-protobuf); a body that does not decode is answered 400
and kept in `errors`. Every span is kept as a `Span`: ids as lowercase hex ("" for no parent), kind
as its name ("SERVER", "CLIENT", "PRODUCER", …), attributes as plain Python values, links as
(trace_id, span_id) pairs, and the resource attributes of the batch it came in.
"""
from __future__ import annotations

import gzip
import http.server
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, TypeVar

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (ExportTraceServiceRequest,
                                                                        ExportTraceServiceResponse)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span as ProtoSpan

T = TypeVar("T")


def plain_value(value: AnyValue):
    """An OTLP AnyValue as a Python value (arrays as lists, key-value lists as dicts)."""
    which = value.WhichOneof("value")
    if which is None:
        return None
    if which == "array_value":
        return [plain_value(v) for v in value.array_value.values]
    if which == "kvlist_value":
        return {kv.key: plain_value(kv.value) for kv in value.kvlist_value.values}
    return getattr(value, which)


@dataclass(frozen=True)
class Span:
    trace_id: str
    span_id: str
    parent_span_id: str
    name: str
    kind: str
    trace_state: str
    start_ns: int
    end_ns: int
    attributes: dict
    links: tuple[tuple[str, str], ...]
    resource: dict
    scope: str

    @classmethod
    def from_proto(cls, span: ProtoSpan, resource: dict, scope: str) -> "Span":
        kind = ProtoSpan.SpanKind.Name(span.kind).removeprefix("SPAN_KIND_")
        return cls(span.trace_id.hex(), span.span_id.hex(), span.parent_span_id.hex(), span.name, kind,
                   span.trace_state, span.start_time_unix_nano, span.end_time_unix_nano,
                   {a.key: plain_value(a.value) for a in span.attributes},
                   tuple((link.trace_id.hex(), link.span_id.hex()) for link in span.links), resource, scope)

    def short(self) -> str:
        """One line for failure messages."""
        keep = ("campus.service", "url.path", "http.response.status_code", "fluent.query.summary", "db.query.text")
        shown = {k: self.attributes[k] for k in keep if k in self.attributes}
        return (f"{self.kind} {self.name!r} span={self.span_id} parent={self.parent_span_id or '-'} "
                f"trace={self.trace_id} {shown}")


@dataclass(frozen=True)
class Export:
    path: str
    content_type: str
    spans: int


class _Handler(http.server.BaseHTTPRequestHandler):
    receiver: "OTLPReceiver"

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if (self.headers.get("Content-Encoding") or "").lower() == "gzip":
            body = gzip.decompress(body)
        request = ExportTraceServiceRequest()
        try:
            request.ParseFromString(body)
        except Exception as error:  # a body that is not an ExportTraceServiceRequest
            self.receiver._record_error(f"{self.path}: {error!r} ({len(body)} bytes)")
            self.send_response(400)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.receiver._record(self.path, self.headers.get("Content-Type") or "", request)
        answer = ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *_):  # quiet
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


class OTLPReceiver:
    """An OTLP/HTTP receiver on `host`:`port` (0: a free port) in a thread of this process."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        handler = type("Handler", (_Handler,), {"receiver": self})
        server_class = _Server
        if ":" in host:  # an IPv6 address
            server_class = type("Server6", (_Server,), {"address_family": __import__("socket").AF_INET6})
        self._server = server_class((host, port), handler)
        self.host, self.port = host, self._server.server_address[1]
        self._lock = threading.Lock()
        self._spans: list[Span] = []
        self._exports: list[Export] = []
        self._errors: list[str] = []
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"otlp-{self.port}", daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        """What OTEL_EXPORTER_OTLP_ENDPOINT takes: the exporter adds /v1/traces."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "OTLPReceiver":
        return self

    def __exit__(self, *_) -> None:
        self.close()

    # ---- what arrived ----
    def _record(self, path: str, content_type: str, request: ExportTraceServiceRequest) -> None:
        spans = []
        for resource_spans in request.resource_spans:
            resource = {a.key: plain_value(a.value) for a in resource_spans.resource.attributes}
            for scope_spans in resource_spans.scope_spans:
                spans += [Span.from_proto(s, resource, scope_spans.scope.name) for s in scope_spans.spans]
        with self._lock:
            self._spans += spans
            self._exports.append(Export(path, content_type, len(spans)))

    def _record_error(self, message: str) -> None:
        with self._lock:
            self._errors.append(message)

    @property
    def spans(self) -> list[Span]:
        with self._lock:
            return list(self._spans)

    @property
    def exports(self) -> list[Export]:
        with self._lock:
            return list(self._exports)

    @property
    def errors(self) -> list[str]:
        with self._lock:
            return list(self._errors)

    def requests(self) -> int:
        """POSTs received so far, decodable or not."""
        with self._lock:
            return len(self._exports) + len(self._errors)

    def trace(self, trace_id: str) -> list[Span]:
        return [s for s in self.spans if s.trace_id == trace_id]

    def server_span(self, request_id: str, service: str | None = None) -> Span | None:
        """The SERVER span whose response carried X-Request-ID `request_id` (of `service`, if given)."""
        for span in self.spans:
            if (span.kind == "SERVER" and span.attributes.get("http.response.header.x_request_id") == request_id
                    and (service is None or span.attributes.get("campus.service") == service)):
                return span
        return None

    def wait_for(self, found: Callable[[], T], what: str, timeout: float = 30, required: bool = True) -> T:
        """Polls `found()` until it returns something truthy (returned); after `timeout` fails naming `what`,
        or with `required=False` returns the last (falsy) result for the caller's own assertions."""
        deadline = time.monotonic() + timeout
        while True:
            result = found()
            if result:
                return result
            if time.monotonic() > deadline:
                if not required:
                    return result
                spans = self.spans
                raise AssertionError(f"not received within {timeout:.0f} s: {what}; {len(spans)} spans in "
                                     f"{len(self.exports)} exports, errors {self.errors[:3]}; last spans:\n"
                                     + "\n".join(s.short() for s in spans[-15:]))
            time.sleep(0.05)
