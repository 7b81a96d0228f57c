"""The Grafana dashboard and the Prometheus alert rules ask only what a running campus can answer.

deploy/grafana/campus-dashboard.json and deploy/prometheus/alerts.yml are read; every PromQL
expression in them (panel targets, the template variable's query, alert rules) is parsed by
promql-parser (a Rust port of Prometheus's own parser; e2e/requirements.txt), and every metric a
selector names must be a sample name on the live `/metrics` of a `campus serve` that has served
some traffic (a failed sign-in, a booking, a ticket): names are compared as exposed, so a histogram
is read through `_bucket`/`_sum`/`_count` and a counter through `_total`. Label names used in
matchers and in by/on clauses must exist on those samples (plus job and instance, which Prometheus
adds), literal label values (`outcome="locked"`, `le="0.005"`) must occur, rate()/increase() may
only take counters and histogram series, deriv()/delta() only gauges, and an alert's annotations
may only use `$labels.X` that its expression keeps. Prometheus's own `up` is allowed in the alert
rules only. Each check also runs on a damaged copy, which must be reported, so a checker that sees
nothing cannot pass. (promtool is not available here; the parser stands in for `promtool check rules`.)
"""
from __future__ import annotations

import copy
import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field

import promql_parser as promql
import pytest
import yaml

from support.campus import ROOT, CampusServer
from support.services import SERVICES, distinct_ports
from support.slots import Slots

DASHBOARD = ROOT / "deploy" / "grafana" / "campus-dashboard.json"
ALERTS = ROOT / "deploy" / "prometheus" / "alerts.yml"

DATASOURCE = "${DS_PROMETHEUS}"
SCRAPE_LABELS = {"job", "instance"}   # added by Prometheus to every scraped sample
PROMETHEUS_OWN = {"up"}              # written by Prometheus itself, never on a /metrics page
SEVERITIES = {"critical", "warning", "info"}

# The value of the `service` label each service puts on its own samples.
SERVICE_LABEL = {"gateway": "gateway", "users": "user-management", "booking": "booking", "gpa": "gpa-calculator",
                 "notification": "notification", "maintenance": "maintenance"}
ALL = set(SERVICES)
# What operators were promised on /metrics (docs/contract.md §1, issue 14 point 4): sample name → services.
OPERATOR_METRICS = {
    "http_requests_total": ALL,
    "http_request_duration_seconds_bucket": ALL,
    "http_request_duration_seconds_sum": ALL,
    "http_request_duration_seconds_count": ALL,
    "campus_outbox_pending_events": {"users", "booking", "maintenance"},
    "campus_outbox_oldest_pending_age_seconds": {"users", "booking", "maintenance"},
    "campus_outbox_failed_events": {"users", "booking", "maintenance"},
    "campus_circuit_breaker_state": ALL - {"gpa"},
    # Every service with a database: its pool, as its callers see it.
    "campus_db_pool_connections_in_use": ALL - {"gpa"},
    "campus_db_pool_waiting_calls": ALL - {"gpa"},
    "campus_db_pool_max_connections": ALL - {"gpa"},
    "campus_websocket_clients": {"gateway", "maintenance", "notification"},
    "campus_mail_pending_emails": {"notification"},
    "campus_mail_oldest_pending_age_seconds": {"notification"},
    "campus_mail_failed_emails": {"notification"},
    "campus_login_attempts_total": {"gateway"},
    "campus_login_lockouts_total": {"gateway"},
    "campus_login_rate_limited_total": {"gateway"},
    "campus_sla_breaches_total": {"maintenance"},
    "campus_triage_duration_seconds_bucket": {"maintenance"},
    "campus_triage_duration_seconds_sum": {"maintenance"},
    "campus_triage_duration_seconds_count": {"maintenance"},
}
# The operators' questions, as the metrics the dashboard must read to answer them …
DASHBOARD_MUST_READ = {
    "http_requests_total", "http_request_duration_seconds_bucket", "campus_outbox_pending_events",
    "campus_outbox_oldest_pending_age_seconds", "campus_outbox_failed_events", "campus_circuit_breaker_state",
    "campus_websocket_clients", "campus_login_attempts_total", "campus_login_lockouts_total",
    "campus_login_rate_limited_total", "campus_sla_breaches_total", "campus_triage_duration_seconds_bucket",
    "campus_db_pool_connections_in_use", "campus_db_pool_waiting_calls",
}
# … and the alert rules must watch.
ALERTS_MUST_WATCH = {
    "up", "http_requests_total", "http_request_duration_seconds_bucket", "campus_outbox_pending_events",
    "campus_outbox_oldest_pending_age_seconds", "campus_outbox_failed_events", "campus_circuit_breaker_state",
    "campus_login_lockouts_total", "campus_login_rate_limited_total", "campus_sla_breaches_total",
    "campus_db_pool_waiting_calls", "campus_mail_oldest_pending_age_seconds", "campus_mail_failed_emails",
}


# ---- the Prometheus text format ------------------------------------------------------------------
_SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?[ \t]+(\S+)(?:[ \t]+-?\d+)?$")
_LABEL = re.compile(r'[ \t]*([a-zA-Z_][a-zA-Z0-9_]*)[ \t]*=[ \t]*"((?:[^"\\\n]|\\.)*)"[ \t]*(?:,|$)')
_TYPE = re.compile(r"^#[ \t]+TYPE[ \t]+([a-zA-Z_:][a-zA-Z0-9_:]*)[ \t]+(counter|gauge|histogram|summary|untyped)[ \t]*$")
_HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")


@dataclass
class Exposition:
    """Samples of one or more /metrics pages: sample name → label name → values seen; family types."""
    labels: dict[str, dict[str, set[str]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))
    types: dict[str, str] = field(default_factory=dict)
    samples: list[tuple[str, dict[str, str], float]] = field(default_factory=list)

    def add(self, text: str) -> list[str]:
        """Reads one page; returns the lines it could not read (empty: a well-formed page)."""
        problems = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            if line.startswith("#"):
                typed = _TYPE.match(line)
                if typed:
                    self.types[typed.group(1)] = typed.group(2)
                elif not re.match(r"^#[ \t]+HELP[ \t]", line) and line.split()[1:2] == ["TYPE"]:
                    problems.append(f"line {number}: bad TYPE line: {line}")
                continue
            match = _SAMPLE.match(line)
            if not match:
                problems.append(f"line {number}: not a sample: {line}")
                continue
            name, label_text, value = match.groups()
            labels, position = {}, 0
            label_text = label_text or ""
            while position < len(label_text.rstrip()):
                label = _LABEL.match(label_text, position)
                if not label:
                    problems.append(f"line {number}: bad labels: {line}")
                    break
                labels[label.group(1)] = label.group(2)
                position = label.end()
            try:
                number_value = float(value)
            except ValueError:
                problems.append(f"line {number}: bad value {value!r}: {line}")
                continue
            self.samples.append((name, labels, number_value))
            self.labels[name]  # a sample without labels still names a series
            for key, val in labels.items():
                self.labels[name][key].add(val)
        return problems

    def kind(self, name: str) -> str | None:
        """counter, gauge, histogram (for _bucket/_sum/_count too), … or None when the page has no TYPE for it."""
        if name in self.types:
            return self.types[name]
        for suffix in _HISTOGRAM_SUFFIXES:
            if name.endswith(suffix) and self.types.get(name[: -len(suffix)]) in ("histogram", "summary"):
                return "histogram"
        return None

    def label_names(self, name: str) -> set[str]:
        return set(self.labels.get(name, {}))


# ---- PromQL ------------------------------------------------------------------------------------------
_GRAFANA_MACRO = re.compile(r"\$\{?__(rate_interval|interval|range)\}?(?![A-Za-z0-9_])")
_MACRO_VALUES = {"rate_interval": "5m", "interval": "1m", "range": "1h"}
_LITERAL_ALTERNATIVES = re.compile(r"[A-Za-z0-9_.+-]+(?:\|[A-Za-z0-9_.+-]+)*")
_COUNTER_FUNCTIONS = {"rate", "irate", "increase"}
_GAUGE_FUNCTIONS = {"deriv", "delta", "idelta", "predict_linear"}


def as_promql(text: str) -> str:
    """A Grafana query as Prometheus would receive it: $__rate_interval & co. replaced by durations
    ($service and other template variables stay: they only occur inside label matcher strings)."""
    return _GRAFANA_MACRO.sub(lambda m: _MACRO_VALUES[m.group(1)], text)


def selector_name(node) -> str | None:
    if node.name:
        return node.name
    for matcher in node.matchers.matchers:
        if matcher.name == "__name__" and matcher.op == promql.MatchOp.Equal:
            return matcher.value
    return None


def nodes(ast) -> list:
    found = []
    promql.walk(ast, lambda node: found.append(node))
    return found


def metric_names(text: str) -> set[str]:
    """Every metric name the expression selects (raises ValueError when it does not parse)."""
    return {selector_name(n) for n in nodes(promql.parse(as_promql(text)))
            if isinstance(n, promql.VectorSelector) and selector_name(n)}


def _is_scalar(node) -> bool:
    if isinstance(node, promql.NumberLiteral):
        return True
    if isinstance(node, (promql.ParenExpr, promql.UnaryExpr)):
        return _is_scalar(node.expr)
    if isinstance(node, promql.BinaryExpr):
        return _is_scalar(node.lhs) and _is_scalar(node.rhs)
    if isinstance(node, promql.Call):
        return node.func.return_type == promql.ValueType.Scalar
    return False


def output_labels(node, exposition: Exposition) -> set[str]:
    """The label names every series of the expression's result carries (Prometheus's rules)."""
    if isinstance(node, promql.VectorSelector):
        name = selector_name(node)
        return exposition.label_names(name) | SCRAPE_LABELS if name else set()
    if isinstance(node, promql.MatrixSelector):
        return output_labels(node.vector_selector, exposition)
    if isinstance(node, (promql.SubqueryExpr, promql.ParenExpr, promql.UnaryExpr)):
        return output_labels(node.expr, exposition)
    if isinstance(node, (promql.NumberLiteral, promql.StringLiteral)):
        return set()
    if isinstance(node, promql.AggregateExpr):
        inner = output_labels(node.expr, exposition)
        if str(node.op) in ("topk", "bottomk", "limitk", "limit_ratio"):
            return inner
        if node.modifier is None:
            return set()
        if node.modifier.type == promql.AggModifierType.By:
            return set(node.modifier.labels)
        return inner - set(node.modifier.labels)
    if isinstance(node, promql.Call):
        name, args = node.func.name, node.args
        if name in ("absent", "absent_over_time"):
            selector = args[0].vector_selector if isinstance(args[0], promql.MatrixSelector) else args[0]
            return {m.name for m in getattr(getattr(selector, "matchers", None), "matchers", [])
                    if m.op == promql.MatchOp.Equal and m.name != "__name__"}
        if name == "histogram_quantile":
            return output_labels(args[1], exposition) - {"le"}
        if name in ("label_replace", "label_join"):
            return output_labels(args[0], exposition) | {args[1].val}
        vectors = [a for a in args if isinstance(a, promql.Expr) and not isinstance(a, (promql.NumberLiteral, promql.StringLiteral))]
        return output_labels(vectors[0], exposition) if vectors else set()
    if isinstance(node, promql.BinaryExpr):
        if _is_scalar(node.lhs):
            return output_labels(node.rhs, exposition)
        left = output_labels(node.lhs, exposition)
        if _is_scalar(node.rhs):
            return left
        right = output_labels(node.rhs, exposition)
        op = str(node.op)
        if op in ("and", "unless"):
            return left
        if op == "or":
            return left & right
        modifier = node.modifier
        card = modifier.card if modifier else promql.VectorMatchCardinality.OneToOne
        matching = modifier.matching if modifier else None
        group = set(modifier.group_labels or []) if modifier else set()
        if card == promql.VectorMatchCardinality.ManyToOne:
            return left | group
        if card == promql.VectorMatchCardinality.OneToMany:
            return right | group
        if matching is not None and matching.type == promql.LabelModifierType.Include:
            return set(matching.labels)
        if matching is not None:
            return left - set(matching.labels)
        return left
    return set()


def expression_problems(where: str, text: str, exposition: Exposition, allowed: set[str] = frozenset()) -> list[str]:
    """What is wrong with one PromQL expression against the metrics a live campus exports."""
    try:
        ast = promql.parse(as_promql(text))
    except ValueError as error:
        return [f"{where}: does not parse ({error}): {text}"]
    problems = []
    every = nodes(ast)
    selectors = [n for n in every if isinstance(n, promql.VectorSelector)]
    used = {selector_name(s) for s in selectors} - {None}
    known_labels = set().union(*(exposition.label_names(n) for n in used)) | SCRAPE_LABELS
    for selector in selectors:
        name = selector_name(selector)
        if name is None:
            problems.append(f"{where}: selects metrics by a pattern, not by name: {selector}")
            continue
        if name in allowed:
            continue
        if name not in exposition.labels:
            problems.append(f"{where}: metric {name} is not exported by any service")
            continue
        labels = exposition.labels[name]
        for matcher in [*selector.matchers.matchers, *(m for group in selector.matchers.or_matchers for m in group)]:
            if matcher.name == "__name__":
                continue
            if matcher.name not in labels and matcher.name not in SCRAPE_LABELS:
                problems.append(f"{where}: {name} has no label {matcher.name} (it has {sorted(labels)})")
                continue
            if "$" in matcher.value or matcher.name in SCRAPE_LABELS:
                continue  # a template variable, or a label only the scrape configuration decides
            if matcher.op == promql.MatchOp.Equal:
                wanted = [matcher.value]
            elif matcher.op == promql.MatchOp.Re and _LITERAL_ALTERNATIVES.fullmatch(matcher.value) and "." not in matcher.value:
                wanted = matcher.value.split("|")
            else:
                continue
            for value in wanted:
                if value not in labels[matcher.name]:
                    problems.append(f"{where}: {name}{{{matcher.name}=...}} never has the value {value!r} "
                                    f"(seen: {sorted(labels[matcher.name])})")
    for node in every:
        if isinstance(node, promql.AggregateExpr) and node.modifier is not None:
            for label in node.modifier.labels:
                if label not in known_labels:
                    problems.append(f"{where}: aggregates by/without {label!r}, which no selected metric has")
        if isinstance(node, promql.BinaryExpr) and node.modifier is not None:
            for label in [*(node.modifier.matching.labels if node.modifier.matching else []), *(node.modifier.group_labels or [])]:
                if label not in known_labels:
                    problems.append(f"{where}: matches on {label!r}, which no selected metric has")
        if isinstance(node, promql.Call) and node.func.name in _COUNTER_FUNCTIONS | _GAUGE_FUNCTIONS | {"histogram_quantile"}:
            for inner in nodes(node.args[-1] if node.func.name == "histogram_quantile" else node.args[0]):
                name = selector_name(inner) if isinstance(inner, promql.VectorSelector) else None
                if not name or name in allowed or name not in exposition.labels:
                    continue
                kind = exposition.kind(name)
                if node.func.name in _COUNTER_FUNCTIONS and kind not in ("counter", "histogram"):
                    problems.append(f"{where}: {node.func.name}() of {name}, a {kind}: only counters may be rated")
                if node.func.name in _GAUGE_FUNCTIONS and kind != "gauge":
                    problems.append(f"{where}: {node.func.name}() of {name}, a {kind}: use rate()/increase() on counters")
                if node.func.name == "histogram_quantile" and not name.endswith("_bucket"):
                    problems.append(f"{where}: histogram_quantile() over {name}, which is not a _bucket series")
    return problems


# ---- the dashboard -------------------------------------------------------------------------------------
def _panels(panels: list) -> list:
    for panel in panels:
        yield panel
        yield from _panels(panel.get("panels", []))


def _label_values_as_promql(query: str) -> str:
    """Grafana's Prometheus variable queries, as PromQL the checks can read."""
    query = query.strip()
    match = re.fullmatch(r"label_values\((.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)", query, re.S)
    if match:
        return f"count by ({match.group(2)}) ({match.group(1)})"
    match = re.fullmatch(r"query_result\((.*)\)", query, re.S)
    if match:
        return match.group(1)
    return query


def dashboard_queries(dashboard: dict) -> list[tuple[str, str]]:
    """(where, PromQL) for every panel target and every query variable."""
    queries = []
    for panel in _panels(dashboard.get("panels", [])):
        for target in panel.get("targets", []):
            if target.get("expr") is not None:
                queries.append((f'panel "{panel.get("title")}" target {target.get("refId")}', target["expr"]))
    for variable in dashboard.get("templating", {}).get("list", []):
        if variable.get("type") == "query":
            query = variable.get("query")
            query = query.get("query", "") if isinstance(query, dict) else query
            queries.append((f"variable ${variable.get('name')}", _label_values_as_promql(query or "")))
    return queries


def _uid(datasource) -> str | None:
    return datasource.get("uid") if isinstance(datasource, dict) else datasource


def dashboard_problems(dashboard: dict) -> list[str]:
    """Form: a Grafana dashboard on the ${DS_PROMETHEUS} data source whose panels answer the operators' questions."""
    problems = []
    if not isinstance(dashboard.get("schemaVersion"), int) or dashboard["schemaVersion"] < 36:
        problems.append(f"schemaVersion {dashboard.get('schemaVersion')!r}: want 36 or later (Grafana 9.4+)")
    for key in ("title", "uid"):
        if not dashboard.get(key):
            problems.append(f"dashboard has no {key}")
    inputs = [i for i in dashboard.get("__inputs", []) if i.get("name") == "DS_PROMETHEUS" and i.get("pluginId") == "prometheus"]
    variables = [v for v in dashboard.get("templating", {}).get("list", [])
                 if v.get("name") == "DS_PROMETHEUS" and v.get("type") == "datasource" and v.get("query") == "prometheus"]
    if not inputs and not variables:
        problems.append("DS_PROMETHEUS is neither an import input (__inputs) nor a datasource variable")
    ids = []
    for panel in _panels(dashboard.get("panels", [])):
        title = panel.get("title") or "(untitled)"
        ids.append(panel.get("id"))
        grid = panel.get("gridPos") or {}
        if not all(isinstance(grid.get(k), int) for k in ("x", "y", "w", "h")) or grid["x"] + grid["w"] > 24:
            problems.append(f'panel "{title}": gridPos {grid} is not on the 24-column grid')
        if panel.get("type") == "row":
            continue
        if not panel.get("title"):
            problems.append(f"panel {panel.get('id')} has no title")
        if not panel.get("description"):
            problems.append(f'panel "{title}" has no description telling the operator what it shows')
        if _uid(panel.get("datasource")) != DATASOURCE:
            problems.append(f'panel "{title}": data source {panel.get("datasource")!r}, not {DATASOURCE}')
        targets = panel.get("targets") or []
        if not any((t.get("expr") or "").strip() for t in targets):
            problems.append(f'panel "{title}" has no PromQL target')
        for target in targets:
            if "datasource" in target and _uid(target["datasource"]) != DATASOURCE:
                problems.append(f'panel "{title}" target {target.get("refId")}: data source {target["datasource"]!r}')
    if len(ids) != len(set(ids)) or None in ids:
        problems.append(f"panel ids are missing or repeated: {ids}")
    for variable in dashboard.get("templating", {}).get("list", []):
        if variable.get("type") == "query" and _uid(variable.get("datasource")) != DATASOURCE:
            problems.append(f"variable ${variable.get('name')}: data source {variable.get('datasource')!r}")
    queries = dashboard_queries(dashboard)
    read = set()
    for where, text in queries:
        try:
            read |= metric_names(text)
        except ValueError:
            pass  # reported by expression_problems
    for name in sorted(DASHBOARD_MUST_READ - read):
        problems.append(f"no panel reads {name}")
    if not any("histogram_quantile(0.95," in re.sub(r"\s+", "", t) and "http_request_duration_seconds_bucket" in t for _, t in queries):
        problems.append("no panel draws the p95 latency (histogram_quantile(0.95, … http_request_duration_seconds_bucket …))")
    if not any('status=~"5.."' in t and "http_requests_total" in t for _, t in queries):
        problems.append('no panel draws the 5xx ratio (http_requests_total{status=~"5.."})')
    return problems


# ---- the alert rules -------------------------------------------------------------------------------------
def alert_rules(document: dict) -> list[dict]:
    return [rule for group in document.get("groups") or [] for rule in group.get("rules") or []]


def alert_queries(document: dict) -> list[tuple[str, str]]:
    return [(f"alert {rule.get('alert') or rule.get('record')}", rule.get("expr", "")) for rule in alert_rules(document)]


def alert_rule_problems(document: dict, exposition: Exposition | None = None) -> list[str]:
    """Form: groups of rules, each with a name, an expression, `for`, a severity and annotations for the
    on-call person; with `exposition`, the `$labels.X` in annotations must survive the expression."""
    problems = []
    groups = document.get("groups")
    if not isinstance(groups, list) or not groups:
        return ["alert rules: no groups"]
    group_names = [g.get("name") for g in groups]
    if None in group_names or len(group_names) != len(set(group_names)):
        problems.append(f"group names missing or repeated: {group_names}")
    names = []
    for group in groups:
        if set(group) - {"name", "interval", "rules", "limit", "labels", "query_offset"}:
            problems.append(f"group {group.get('name')}: unknown keys {sorted(set(group) - {'name', 'interval', 'rules', 'limit', 'labels', 'query_offset'})}")
        if not group.get("rules"):
            problems.append(f"group {group.get('name')} has no rules")
    for rule in alert_rules(document):
        name = rule.get("alert")
        names.append(name)
        where = f"alert {name}"
        if not name or not re.fullmatch(r"[A-Z][A-Za-z0-9]+", name):
            problems.append(f"{where}: an alert needs a CamelCase name")
        unknown = set(rule) - {"alert", "expr", "for", "keep_firing_for", "labels", "annotations"}
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        if not isinstance(rule.get("expr"), str) or not rule["expr"].strip():
            problems.append(f"{where}: no expr")
        if "for" not in rule:
            problems.append(f"{where}: no `for:` (it would fire on one bad evaluation)")
        else:
            try:
                promql.parse_duration(str(rule["for"]))
            except ValueError as error:
                problems.append(f"{where}: for {rule['for']!r} is not a duration ({error})")
        severity = (rule.get("labels") or {}).get("severity")
        if severity not in SEVERITIES:
            problems.append(f"{where}: severity {severity!r}, want one of {sorted(SEVERITIES)}")
        annotations = rule.get("annotations") or {}
        for key in ("summary", "description"):
            if not isinstance(annotations.get(key), str) or len(annotations[key].strip()) < 10:
                problems.append(f"{where}: no {key} annotation for the on-call person")
        if exposition is not None and isinstance(rule.get("expr"), str):
            try:
                kept = output_labels(promql.parse(rule["expr"]), exposition)
            except ValueError:
                continue  # reported by expression_problems
            texts = " ".join(str(v) for v in [*annotations.values(), *(rule.get("labels") or {}).values()])
            for label in sorted(set(re.findall(r"\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)", texts))):
                if label not in kept:
                    problems.append(f"{where}: annotations use $labels.{label}, which the expression drops (keeps {sorted(kept)})")
    if len(names) != len(set(names)):
        problems.append(f"alert names repeated: {sorted(n for n in set(names) if names.count(n) > 1)}")
    watched = set()
    for _, text in alert_queries(document):
        try:
            watched |= metric_names(text)
        except ValueError:
            pass
    for name in sorted(ALERTS_MUST_WATCH - watched):
        problems.append(f"no alert watches {name}")
    return problems




# ---- fixtures ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dashboard() -> dict:
    return json.loads(DASHBOARD.read_text())


@pytest.fixture(scope="module")
def alerts() -> dict:
    return yaml.safe_load(ALERTS.read_text())


@pytest.fixture(scope="module")
def live():
    """(pages, exposition): every service's /metrics after some traffic — a failed sign-in, a booking, a
    ticket (triaged), a GPA calculation — so the request counters and histograms have series."""
    with CampusServer(log_name="observability", ports=distinct_ports()) as campus:
        refused = campus.post("gateway", "/auth/login", json={"email": "student@example.com", "password": "wrong-password"})
        assert refused.status_code == 401, refused.text
        student = campus.token("student")
        rooms = campus.get("gateway", "/api/rooms", token=student, params={"limit": 200})
        assert rooms.status_code == 200, rooms.text
        open_rooms = [room["id"] for room in rooms.json() if not room["faculty_only"]]
        booking = campus.post("gateway", "/api/bookings", token=student, json={**Slots(open_rooms).next(), "purpose": "Observability check"})
        assert booking.status_code == 201, booking.text
        ticket = campus.post("gateway", "/api/tickets", token=student, json={
            "title": "water coming through the ceiling", "description": "dripping onto the projector",
            "location": "Building B, room 201"})
        assert ticket.status_code == 201, ticket.text
        gpa = campus.post("gateway", "/api/gpa/calculate", token=student,
                          json={"courses": [{"name": "Calculus", "grade": "B+", "credits": 3}]})
        assert gpa.status_code == 200, gpa.text
        # A service's first scrape may come before its own request counter exists: read each page until
        # it shows request series (a deadline, not a fixed sleep).
        pages: dict[str, str] = {}
        deadline = time.monotonic() + 30
        for name in SERVICES:
            while True:
                response = campus.get(name, "/metrics")
                assert response.status_code == 200, response.text
                pages[name] = response.text
                if "http_requests_total{" in response.text:
                    break
                assert time.monotonic() < deadline, f"{name}'s /metrics never showed http_requests_total:\n{response.text[:2000]}"
                time.sleep(0.1)
    exposition = Exposition()
    for name, text in pages.items():
        problems = exposition.add(text)
        assert problems == [], f"{name}'s /metrics is not valid Prometheus text: {problems[:10]}"
    return pages, exposition


# ---- the product's /metrics ---------------------------------------------------------------------------------
def test_exposition_reader_reads_the_text_format():
    exposition = Exposition()
    text = ('# HELP x_total A counter.\n# TYPE x_total counter\nx_total{a="1",b="say \\"hi\\", ok"} 3\n'
            '# TYPE h histogram\nh_bucket{le="0.5"} 1\nh_bucket{le="+Inf"} 2\nh_sum 0.7\nh_count 2\nplain 1.5e3 1700000000000\n')
    assert exposition.add(text) == []
    assert exposition.labels["x_total"]["b"] == {'say \\"hi\\", ok'}
    assert exposition.kind("x_total") == "counter" and exposition.kind("h_bucket") == "histogram" and exposition.kind("h_count") == "histogram"
    assert set(exposition.labels) == {"x_total", "h_bucket", "h_sum", "h_count", "plain"}
    assert exposition.add('x_total{a="1" 3\nnot a sample line\n') != []


def test_every_service_exports_the_operators_metrics(live):
    pages, _ = live
    missing = []
    for service, text in pages.items():
        exposition = Exposition()
        exposition.add(text)
        for metric, services in OPERATOR_METRICS.items():
            if service in services and metric not in exposition.labels:
                missing.append(f"{service} does not export {metric}")
        # One registry per service, even in one process: every sample is labelled with the service that answered.
        stray = {labels.get("service") for _, labels, _ in exposition.samples} - {SERVICE_LABEL[service]}
        if stray:
            missing.append(f"{service}'s /metrics has samples labelled service={sorted(map(str, stray))}")
    assert missing == []


def test_live_metrics_have_the_labels_the_panels_group_by(live):
    _, exposition = live
    assert {"service", "route", "method", "status"} <= exposition.label_names("http_requests_total")
    assert {"service", "route", "method", "status", "le"} <= exposition.label_names("http_request_duration_seconds_bucket")
    assert exposition.label_names("campus_circuit_breaker_state") == {"service", "downstream"}
    assert exposition.labels["campus_login_attempts_total"]["outcome"] == {"success", "invalid_credentials", "locked"}
    for name in ("http_requests_total", "campus_login_attempts_total", "campus_login_lockouts_total",
                 "campus_login_rate_limited_total", "campus_sla_breaches_total"):
        assert exposition.kind(name) == "counter", name
    for name in ("campus_outbox_pending_events", "campus_outbox_oldest_pending_age_seconds", "campus_outbox_failed_events",
                 "campus_circuit_breaker_state", "campus_websocket_clients", "campus_db_pool_connections_in_use",
                 "campus_db_pool_waiting_calls", "campus_db_pool_max_connections"):
        assert exposition.kind(name) == "gauge", name
    for name in ("http_request_duration_seconds", "campus_triage_duration_seconds"):
        assert exposition.types.get(name) == "histogram", name
    # The traffic above is on the pages: a 401 sign-in, a 201 booking, a triaged ticket.
    samples = {(name, tuple(sorted(labels.items()))): value for name, labels, value in exposition.samples}
    assert samples[("campus_login_attempts_total", (("outcome", "invalid_credentials"), ("service", "gateway")))] >= 1
    assert samples[("campus_triage_duration_seconds_count", (("service", "maintenance"),))] >= 1
    assert any(name == "http_requests_total" and labels.get("service") == "booking" and labels.get("status") == "201"
               for name, labels, _ in exposition.samples)


# ---- the dashboard ------------------------------------------------------------------------------------------------
def test_dashboard_is_a_grafana_dashboard_for_the_operators_questions(dashboard):
    assert dashboard_problems(dashboard) == []
    assert len(dashboard_queries(dashboard)) >= 15


def test_every_dashboard_query_parses_and_names_only_exported_metrics(dashboard, live):
    _, exposition = live
    problems = [p for where, text in dashboard_queries(dashboard) for p in expression_problems(where, text, exposition)]
    assert problems == []


def test_dashboard_checks_catch_a_damaged_copy(dashboard, live):
    _, exposition = live
    damaged = copy.deepcopy(dashboard)
    texts = []
    for panel in _panels(damaged["panels"]):
        for target in panel.get("targets", []):
            texts.append(target)
    first = next(t for t in texts if "campus_outbox_pending_events" in t["expr"])
    first["expr"] = first["expr"].replace("campus_outbox_pending_events", "campus_outbox_pending_event")
    lockouts = next(t for t in texts if "campus_login_lockouts_total" in t["expr"])
    lockouts["expr"] = lockouts["expr"].replace("campus_login_lockouts_total", "campus_login_lockouts_total{servce=\"gateway\"}")
    outcomes = next(t for t in texts if "campus_login_attempts_total" in t["expr"])
    outcomes["expr"] = outcomes["expr"].replace("campus_login_attempts_total", 'campus_login_attempts_total{outcome="lockd"}')
    broken = next(t for t in texts if "histogram_quantile" in t["expr"])
    broken["expr"] = broken["expr"].rstrip(")")
    gauge = next(t for t in texts if "campus_websocket_clients" in t["expr"])
    gauge["expr"] = "sum(rate(campus_websocket_clients[5m]))"
    panel = next(p for p in _panels(damaged["panels"]) if p.get("type") == "stat")
    panel["datasource"] = {"type": "prometheus", "uid": "prometheus"}

    problems = [p for where, text in dashboard_queries(damaged) for p in expression_problems(where, text, exposition)]
    assert any("metric campus_outbox_pending_event is not exported" in p for p in problems), problems
    assert any("campus_login_lockouts_total has no label servce" in p for p in problems), problems
    assert any("never has the value 'lockd'" in p for p in problems), problems
    assert any("does not parse" in p for p in problems), problems
    assert any("rate() of campus_websocket_clients, a gauge" in p for p in problems), problems
    form = dashboard_problems(damaged)
    assert any(f"not {DATASOURCE}" in p for p in form), form
    assert "no panel reads campus_outbox_pending_events" in form, form  # its only panel now reads the misspelt name
    without_p95 = dashboard_problems({**dashboard, "panels": [p for p in dashboard["panels"] if "p95 latency" not in p.get("title", "")]})
    assert any(p.startswith("no panel draws the p95 latency") for p in without_p95), without_p95


# ---- the alert rules -------------------------------------------------------------------------------------------------
def test_alert_rules_are_complete_for_the_on_call_person(alerts, live):
    _, exposition = live
    assert alert_rule_problems(alerts, exposition) == []
    assert len(alert_rules(alerts)) >= 10


def test_every_alert_expression_parses_and_names_only_exported_metrics(alerts, live):
    _, exposition = live
    problems = [p for where, text in alert_queries(alerts) for p in expression_problems(where, text, exposition, allowed=PROMETHEUS_OWN)]
    assert problems == []


def test_alert_checks_catch_a_damaged_copy(alerts, live):
    _, exposition = live
    damaged = copy.deepcopy(alerts)
    rules = {rule["alert"]: rule for rule in alert_rules(damaged)}
    rules["CampusLoginLockoutBurst"]["expr"] = rules["CampusLoginLockoutBurst"]["expr"].replace(
        "campus_login_lockouts_total", "campus_login_lockout_total")
    del rules["CampusServiceDown"]["for"]
    del rules["CampusOutboxEventsParked"]["labels"]["severity"]
    rules["CampusOutboxEventStuck"]["expr"] = "max(campus_outbox_oldest_pending_age_seconds) > 300"  # by (service) dropped
    rules["CampusLoginFailureRatioHigh"]["expr"] = rules["CampusLoginFailureRatioHigh"]["expr"].replace("locked", "lockd")
    rules["CampusOutboxBacklogGrowing"]["expr"] = "max by (service) (rate(campus_outbox_pending_events[15m])) > 0"
    rules["CampusSLABreaches"]["expr"] = "sum(increase(campus_sla_breaches_total[1h]) > 0"
    rules["CampusTriageSlow"]["annotations"]["description"] = ""

    problems = [p for where, text in alert_queries(damaged) for p in expression_problems(where, text, exposition, allowed=PROMETHEUS_OWN)]
    assert "alert CampusLoginLockoutBurst: metric campus_login_lockout_total is not exported by any service" in problems, problems
    assert any(p.startswith("alert CampusLoginFailureRatioHigh:") and "'lockd'" in p for p in problems), problems
    assert any(p.startswith("alert CampusOutboxBacklogGrowing: rate() of campus_outbox_pending_events, a gauge") for p in problems), problems
    assert any(p.startswith("alert CampusSLABreaches: does not parse") for p in problems), problems
    form = alert_rule_problems(damaged, exposition)
    assert any(p.startswith("alert CampusServiceDown: no `for:`") for p in form), form
    assert any(p.startswith("alert CampusOutboxEventsParked: severity None") for p in form), form
    assert any(p.startswith("alert CampusOutboxEventStuck: annotations use $labels.service") for p in form), form
    assert any(p.startswith("alert CampusTriageSlow: no description") for p in form), form
    # `up` is Prometheus's: allowed in the rules, but still a metric no service exports.
    assert any("metric up is not exported" in p for where, text in alert_queries(alerts) for p in expression_problems(where, text, exposition))
