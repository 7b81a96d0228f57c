"""Drift checks between the code and the deploy files.

The source of truth is `campus config --json`: the services (name, port, port and host
variables) and every settings variable the code reads. Each `*_problems` function returns a
list of human-readable problems (empty = in step), so the tests can show that a real file
has none and that a damaged copy is caught.
"""
from __future__ import annotations

import fnmatch
import json
import re
import subprocess
from pathlib import Path

import yaml

from support.campus import ROOT, campus_binary

COMPOSE = ROOT / "deploy" / "compose.yaml"
ENV_EXAMPLE = ROOT / ".env.example"
CLOUDFORMATION = ROOT / "deploy" / "aws" / "campus.yaml"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"

# docs/contract.md §4: public paths (a sample of each row) that must reach the gateway.
PUBLIC_PATHS = [
    "/auth/login", "/auth/me", "/auth/logout",
    "/api/users", "/api/users/42",
    "/api/rooms", "/api/rooms/7", "/api/bookings", "/api/bookings/available", "/api/bookings/series/abc",
    "/api/gpa/calculate", "/api/gpa/plan", "/api/gpa/scale",
    "/api/notifications", "/api/notifications/read-all",
    "/api/tickets", "/api/tickets/3/comments", "/api/triage",
    "/api/ws",
    "/api/status",
    "/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics",
]
# Settings that hold secrets: never written in clear into a deploy file.
SECRET_VARIABLES = {"JWT_SECRET_KEY", "DB_PASSWORD"}
# Secrets only some installations use (e-mail): never given a value in .env.example, and never a plain
# variable in compose or the AWS template; when used, they come as SMTP_PASSWORD_FILE like the others.
OPTIONAL_SECRET_VARIABLES = {"SMTP_PASSWORD"}


def code_listing() -> dict:
    """`campus config --json`: {"services": [{name, port, port_variable, host_variable, ...}], "variables": [...]}."""
    result = subprocess.run([campus_binary(), "config", "--json"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    if result.returncode != 0:
        raise RuntimeError(f"campus config --json failed ({result.returncode}): {result.stderr}")
    listing = json.loads(result.stdout)
    if not listing.get("services") or not listing.get("variables"):
        raise RuntimeError(f"campus config --json listed nothing: {result.stdout[:500]}")
    return listing


# ---- YAML ----------------------------------------------------------------------------------------
class CloudFormationLoader(yaml.SafeLoader):
    """Reads CloudFormation YAML: a short-form tag `!Ref X` becomes {"Ref": X}, `!Sub s` {"Fn::Sub": s}, …"""


def _construct_tag(loader: yaml.Loader, suffix: str, node: yaml.Node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {"Ref" if suffix == "Ref" else f"Fn::{suffix}": value}


CloudFormationLoader.add_multi_constructor("!", _construct_tag)


def load_cloudformation(text: str) -> dict:
    return yaml.load(text, Loader=CloudFormationLoader)


def load_compose(text: str) -> dict:
    return yaml.safe_load(text)


def env_file_keys(text: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"^\s*(?:export\s+)?([A-Z][A-Z0-9_]*)\s*=", text, re.M)]


# ---- .env.example --------------------------------------------------------------------------------
def env_example_problems(text: str, listing: dict) -> list[str]:
    problems = []
    keys = env_file_keys(text)
    known = set(listing["variables"])
    for variable in listing["variables"]:
        if variable not in keys:
            problems.append(f".env.example does not list {variable}")
    for key in keys:
        if key not in known:
            problems.append(f".env.example lists {key}, which the code does not read")
    duplicates = {k for k in keys if keys.count(k) > 1}
    problems += [f".env.example lists {k} more than once" for k in sorted(duplicates)]
    # Every variable has a comment: the nearest non-blank line above it is a comment or another
    # variable of the same commented group (ports and hosts come in one commented block).
    lines = text.splitlines()
    for index, line in enumerate(lines):
        match = re.match(r"^([A-Z][A-Z0-9_]*)=", line)
        if not match:
            continue
        above = index - 1
        while above >= 0 and re.match(r"^[A-Z][A-Z0-9_]*=", lines[above]):
            above -= 1
        if above < 0 or not lines[above].startswith("#"):
            problems.append(f".env.example has no comment above {match.group(1)}")
    for secret in SECRET_VARIABLES | OPTIONAL_SECRET_VARIABLES:
        value = re.search(rf"^{secret}=(.*)$", text, re.M)
        if value and value.group(1).strip():
            problems.append(f".env.example gives {secret} a value; secrets must be left empty")
    return problems


# ---- compose ---------------------------------------------------------------------------------------
# Keys of a Compose service (compose-spec), so a misspelt key (depends_onn) is caught here rather
# than silently ignored by an old docker compose.
COMPOSE_SERVICE_KEYS = {
    "annotations", "attach", "build", "blkio_config", "cap_add", "cap_drop", "cgroup", "cgroup_parent", "command",
    "configs", "container_name", "cpu_count", "cpu_percent", "cpu_shares", "cpu_quota", "cpu_period", "cpu_rt_period",
    "cpu_rt_runtime", "cpus", "cpuset", "credential_spec", "depends_on", "deploy", "develop", "device_cgroup_rules",
    "devices", "dns", "dns_opt", "dns_search", "domainname", "entrypoint", "env_file", "environment", "expose",
    "extends", "external_links", "extra_hosts", "gpus", "group_add", "healthcheck", "hostname", "image", "init", "ipc",
    "isolation", "labels", "links", "logging", "mac_address", "mem_limit", "mem_reservation", "mem_swappiness",
    "memswap_limit", "network_mode", "networks", "oom_kill_disable", "oom_score_adj", "pid", "pids_limit", "platform",
    "ports", "post_start", "pre_stop", "privileged", "profiles", "pull_policy", "read_only", "restart", "runtime",
    "scale", "secrets", "security_opt", "shm_size", "stdin_open", "stop_grace_period", "stop_signal", "storage_opt",
    "sysctls", "tmpfs", "tty", "ulimits", "user", "userns_mode", "uts", "volumes", "volumes_from", "working_dir",
}
COMPOSE_HEALTHCHECK_KEYS = {"disable", "interval", "retries", "test", "timeout", "start_period", "start_interval"}
COMPOSE_TOP_LEVEL_KEYS = {"version", "name", "include", "services", "networks", "volumes", "secrets", "configs"}


def compose_problems(compose: dict, env_example_text: str, listing: dict) -> list[str]:
    problems = []
    services = compose.get("services") or {}
    for key in compose:
        if key not in COMPOSE_TOP_LEVEL_KEYS and not key.startswith("x-"):
            problems.append(f"compose: unknown top-level key {key!r}")
    for service_name, definition in services.items():
        for key in definition or {}:
            if key not in COMPOSE_SERVICE_KEYS and not key.startswith("x-"):
                problems.append(f"compose {service_name}: unknown key {key!r}")
        for key in (definition or {}).get("healthcheck") or {}:
            if key not in COMPOSE_HEALTHCHECK_KEYS:
                problems.append(f"compose {service_name}: unknown healthcheck key {key!r}")
    known = set(listing["variables"])
    env_example = set(env_file_keys(env_example_text))
    images = set()
    postgres = services.get("postgres")
    if not postgres:
        problems.append("compose has no postgres service")
    else:
        if not str(postgres.get("image", "")).startswith("postgres:15"):
            problems.append(f"compose postgres image is {postgres.get('image')!r}, not PostgreSQL 15")
        if not postgres.get("healthcheck", {}).get("test"):
            problems.append("compose postgres has no health check")
        if not any(str(v).endswith(":/var/lib/postgresql/data") for v in postgres.get("volumes", [])):
            problems.append("compose postgres keeps its data in no volume")
    for service in listing["services"]:
        name, port = service["name"], service["port"]
        definition = services.get(name)
        if definition is None:
            problems.append(f"compose has no service {name}")
            continue
        images.add(definition.get("image"))
        if definition.get("command") != ["serve", name]:
            problems.append(f"compose {name} runs {definition.get('command')!r}, not ['serve', {name!r}]")
        container_ports = [int(str(p).rsplit(":", 1)[-1].split("/")[0]) for p in definition.get("ports", [])]
        if port not in container_ports:
            problems.append(f"compose {name} does not publish its port {port} (has {container_ports})")
        health = " ".join(map(str, definition.get("healthcheck", {}).get("test", [])))
        if f":{port}/health" not in health:
            problems.append(f"compose {name} health check does not call /health on port {port}: {health!r}")
        depends_on = definition.get("depends_on") or {}
        condition = depends_on.get("postgres", {}).get("condition") if isinstance(depends_on, dict) else None
        if condition != "service_healthy":
            problems.append(f"compose {name} does not wait for a healthy postgres (condition {condition!r})")
        env_files = [e["path"] if isinstance(e, dict) else e for e in (definition.get("env_file") or [])]
        if not any(Path(str(f)).name == ".env" for f in env_files):
            problems.append(f"compose {name} does not read .env (env_file {env_files!r})")
        environment = definition.get("environment") or {}
        if isinstance(environment, list):
            environment = dict(item.split("=", 1) for item in environment)
        for key in environment:
            if key not in known:
                problems.append(f"compose {name} sets {key}, which the code does not read")
        expected = {"BIND_ADDRESS": "0.0.0.0", "DATABASE_TYPE": "postgresql", "DB_HOST": "postgres"}
        for other in listing["services"]:
            expected[other["host_variable"]] = other["name"]
            expected[other["port_variable"]] = str(other["port"])
        for key, value in expected.items():
            if str(environment.get(key)) != value:
                problems.append(f"compose {name} sets {key}={environment.get(key)!r}, expected {value!r}")
        service_secrets = [s if isinstance(s, str) else s.get("source") for s in (definition.get("secrets") or [])]
        has_database = bool(service.get("database_file"))
        if has_database:
            # Least privilege: its own role, made by db-setup before it starts.
            if environment.get("DB_USER") != f"campus_{name}":
                problems.append(f"compose {name} connects as DB_USER={environment.get('DB_USER')!r}, not its own role campus_{name}")
            setup = depends_on.get("db-setup", {}).get("condition") if isinstance(depends_on, dict) else None
            if setup != "service_completed_successfully":
                problems.append(f"compose {name} does not wait for db-setup to complete (condition {setup!r})")
        problems += [f"compose {name} passes {secret} as an environment variable, not as a Docker secret"
                     for secret in OPTIONAL_SECRET_VARIABLES if secret in environment]
        for secret in SECRET_VARIABLES:
            if secret == "DB_PASSWORD" and not has_database:
                continue
            # Docker secrets, read through NAME_FILE: never an environment value `docker inspect` shows.
            if secret in environment:
                problems.append(f"compose {name} passes {secret} as an environment variable, not as a Docker secret")
            path = str(environment.get(f"{secret}_FILE", ""))
            secret_name = path.removeprefix("/run/secrets/")
            if not path.startswith("/run/secrets/") or secret_name not in service_secrets:
                problems.append(f"compose {name} does not read {secret} from a Docker secret ({secret}_FILE={path!r}, secrets {service_secrets})")
            elif not (compose.get("secrets") or {}).get(secret_name, {}).get("file"):
                problems.append(f"compose defines no file for the secret {secret_name!r}")
        missing = [v for v in listing["variables"] if v not in environment and v not in env_example]
        if missing:
            problems.append(f"compose {name} gets no value source for {missing} (neither environment nor .env.example)")
    if len(images) > 1:
        problems.append(f"compose services use different images: {sorted(map(str, images))}")
    setup = services.get("db-setup")
    if not setup:
        problems.append("compose has no db-setup service (the per-service roles)")
    else:
        command = [str(c) for c in setup.get("command", [])]
        if command[:1] != ["db-setup"] or not any("{service}" in c for c in command):
            problems.append(f"compose db-setup runs {command!r}, not db-setup with --password-files …{{service}}")
        wanted = {f"db_password_{s['name']}" for s in listing["services"] if s.get("database_file")}
        missing_secrets = wanted - {s if isinstance(s, str) else s.get("source") for s in setup.get("secrets", [])}
        if missing_secrets:
            problems.append(f"compose db-setup lacks the secrets {sorted(missing_secrets)}")
    extra = set(services) - {s["name"] for s in listing["services"]} - {"postgres", "db-setup"}
    problems += [f"compose has service {e}, which the code does not know" for e in sorted(extra)]
    return problems


# ---- CloudFormation --------------------------------------------------------------------------------
def _ref(value) -> str | None:
    return value.get("Ref") if isinstance(value, dict) else None


def _matches(patterns: list[str], path: str) -> bool:
    # ALB path patterns: * matches any characters (including /), ? one character; case-sensitive.
    return any(fnmatch.fnmatchcase(path, p) for p in patterns)


def cloudformation_problems(template: dict, listing: dict) -> list[str]:
    problems = []
    resources = template.get("Resources") or {}
    by_type: dict[str, dict[str, dict]] = {}
    for logical_id, resource in resources.items():
        by_type.setdefault(resource.get("Type"), {})[logical_id] = resource
    known = set(listing["variables"])
    task_definitions = by_type.get("AWS::ECS::TaskDefinition", {})
    ecs_services = by_type.get("AWS::ECS::Service", {})
    discovery = by_type.get("AWS::ServiceDiscovery::Service", {})
    target_groups = by_type.get("AWS::ElasticLoadBalancingV2::TargetGroup", {})
    scalable_targets = by_type.get("AWS::ApplicationAutoScaling::ScalableTarget", {})
    policies = by_type.get("AWS::ApplicationAutoScaling::ScalingPolicy", {})
    gateway_target_group = None

    for service in listing["services"]:
        name, port = service["name"], service["port"]
        # the task definition whose container runs `campus serve NAME`
        found = [(tid, c) for tid, td in task_definitions.items()
                 for c in td["Properties"].get("ContainerDefinitions", []) if c.get("Command") == ["serve", name]]
        if len(found) != 1:
            problems.append(f"AWS: {len(found)} task definitions run serve {name} (expected 1)")
            continue
        task_id, container = found[0]
        properties = task_definitions[task_id]["Properties"]
        if "FARGATE" not in properties.get("RequiresCompatibilities", []):
            problems.append(f"AWS: task {task_id} is not for Fargate")
        ports = [m.get("ContainerPort") for m in container.get("PortMappings", [])]
        if ports != [port]:
            problems.append(f"AWS: task {task_id} maps ports {ports}, expected [{port}]")
        environment = {e["Name"]: e["Value"] for e in container.get("Environment", [])}
        secrets = {s["Name"]: s["ValueFrom"] for s in container.get("Secrets", [])}
        for key in [*environment, *secrets]:
            if key not in known:
                problems.append(f"AWS: task {task_id} sets {key}, which the code does not read")
        has_database = bool(service.get("database_file"))
        problems += [f"AWS: task {task_id} sets {key} in plain text, not from Secrets Manager"
                     for key in OPTIONAL_SECRET_VARIABLES if key in environment]
        for key in SECRET_VARIABLES:
            if key == "DB_PASSWORD" and not has_database:
                if key in secrets or "DB_USER" in secrets:
                    problems.append(f"AWS: task {task_id} gets database credentials it has no use for")
                continue
            if key not in secrets:
                problems.append(f"AWS: task {task_id} does not take {key} from Secrets Manager")
            if key in environment:
                problems.append(f"AWS: task {task_id} writes {key} in clear")
        if has_database:
            # Least privilege: its own role's secret, never the master user's.
            for key in ("DB_USER", "DB_PASSWORD"):
                if "${DatabaseSecret}" in json.dumps(secrets.get(key)):
                    problems.append(f"AWS: task {task_id} logs in to PostgreSQL as the master user ({key})")
        # JSON log lines, so CloudWatch Logs Insights can query the access log's fields.
        for key, value in {"APP_ENV": "production", "BIND_ADDRESS": "0.0.0.0", "DATABASE_TYPE": "postgresql", "LOG_FORMAT": "json"}.items():
            if environment.get(key) != value:
                problems.append(f"AWS: task {task_id} sets {key}={environment.get(key)!r}, expected {value!r}")
        for key in ("DB_HOST", "DB_PORT", "DB_NAME"):
            if key not in environment:
                problems.append(f"AWS: task {task_id} does not set {key}")
        # Encrypted and verified database connections (RDS forces SSL below).
        if environment.get("DB_TLS") != "verify-full" or not str(environment.get("DB_TLS_CA_FILE", "")).startswith("/"):
            problems.append(f"AWS: task {task_id} connects to RDS with DB_TLS={environment.get('DB_TLS')!r}, "
                            f"DB_TLS_CA_FILE={environment.get('DB_TLS_CA_FILE')!r}; expected verify-full with the RDS CA bundle")
        for other in listing["services"]:
            host = environment.get(other["host_variable"])
            if host != {"Fn::Sub": f"{other['name']}.${{ServiceNamespaceName}}"}:
                problems.append(f"AWS: task {task_id} sets {other['host_variable']}={host!r}, expected {other['name']}.<namespace>")
            if str(environment.get(other["port_variable"])) != str(other["port"]):
                problems.append(f"AWS: task {task_id} sets {other['port_variable']}={environment.get(other['port_variable'])!r}, expected {other['port']}")
        health = " ".join(map(str, container.get("HealthCheck", {}).get("Command", [])))
        if f"127.0.0.1:{port}/health" not in health:
            problems.append(f"AWS: task {task_id} health check does not call /health on port {port}: {health!r}")
        if name == "gateway":
            # Behind the load balancer: its addresses are trusted proxies, and the gateway's idle
            # timeout outlasts the load balancer's, so a kept-alive connection is never closed under it.
            if _ref(environment.get("TRUSTED_PROXIES")) != "VpcCidr":
                problems.append(f"AWS: the gateway does not trust the load balancer's X-Forwarded-For (TRUSTED_PROXIES={environment.get('TRUSTED_PROXIES')!r})")
            balancer_idle = [int(a["Value"]) for lb in by_type.get("AWS::ElasticLoadBalancingV2::LoadBalancer", {}).values()
                             for a in lb["Properties"].get("LoadBalancerAttributes", []) if a.get("Key") == "idle_timeout.timeout_seconds"]
            idle = int(environment.get("IDLE_TIMEOUT", 75))
            if balancer_idle and idle <= max(balancer_idle):
                problems.append(f"AWS: the gateway's IDLE_TIMEOUT {idle} s is not longer than the load balancer's idle timeout {max(balancer_idle)} s")
        if "LogConfiguration" not in container:
            problems.append(f"AWS: task {task_id} sends its logs nowhere")

        # the ECS service running that task definition, registered in Cloud Map under NAME
        runners = [sid for sid, s in ecs_services.items() if _ref(s["Properties"].get("TaskDefinition")) == task_id]
        if len(runners) != 1:
            problems.append(f"AWS: {len(runners)} ECS services run {task_id} (expected 1)")
            continue
        service_id = runners[0]
        service_properties = ecs_services[service_id]["Properties"]
        registries = service_properties.get("ServiceRegistries", [])
        registry_ids = [r["RegistryArn"]["Fn::GetAtt"][0] for r in registries if isinstance(r.get("RegistryArn"), dict) and "Fn::GetAtt" in r["RegistryArn"]]
        if not registry_ids or discovery.get(registry_ids[0], {}).get("Properties", {}).get("Name") != name:
            problems.append(f"AWS: ECS service {service_id} is not registered in Cloud Map as {name!r}")
        if service_properties.get("LaunchType") != "FARGATE":
            problems.append(f"AWS: ECS service {service_id} is not on Fargate")
        # autoscaling: a scalable target for the service and at least one target-tracking policy on it
        targets = [tid for tid, t in scalable_targets.items() if service_id in json.dumps(t["Properties"].get("ResourceId"))]
        tracking = [pid for pid, p in policies.items() if p["Properties"].get("PolicyType") == "TargetTrackingScaling"
                    and _ref(p["Properties"].get("ScalingTargetId")) in targets]
        if not targets or not tracking:
            problems.append(f"AWS: ECS service {service_id} has no target-tracking autoscaling")
        # readiness: the gateway through its load balancer target group, the others through their container check
        load_balancers = service_properties.get("LoadBalancers", [])
        if name == "gateway":
            if len(load_balancers) != 1 or load_balancers[0].get("ContainerPort") != port:
                problems.append(f"AWS: the gateway service is not behind the load balancer on port {port}")
            else:
                gateway_target_group = _ref(load_balancers[0].get("TargetGroupArn"))
                group = target_groups.get(gateway_target_group, {}).get("Properties", {})
                if group.get("Port") != port or group.get("HealthCheckPath") != "/health/ready" or group.get("TargetType") != "ip":
                    problems.append(f"AWS: gateway target group {gateway_target_group}: port {group.get('Port')}, "
                                    f"health check {group.get('HealthCheckPath')!r}, target type {group.get('TargetType')!r}")
        elif f":{port}/health/ready" not in health:
            problems.append(f"AWS: {name} is reached through Cloud Map, so its container check must be readiness (/health/ready): {health!r}")

    extra = [c.get("Command") for td in task_definitions.values() for c in td["Properties"].get("ContainerDefinitions", [])
             if c.get("Command", [None])[:1] == ["serve"] and c["Command"][1:2] and c["Command"][1] not in {s["name"] for s in listing["services"]}]
    setups = [c for td in task_definitions.values() for c in td["Properties"].get("ContainerDefinitions", [])
              if c.get("Command", [None])[:1] == ["db-setup"]]
    if len(setups) != 1:
        problems.append(f"AWS: {len(setups)} task definitions run db-setup (expected 1: the per-service database roles)")
    problems += [f"AWS: a task runs {cmd}, a service the code does not know" for cmd in extra]

    # public routing: every docs/contract.md §4 path reaches the gateway, /metrics does not leave the VPC
    rules = by_type.get("AWS::ElasticLoadBalancingV2::ListenerRule", {})
    forwarded, blocked = [], []
    for rule in rules.values():
        properties = rule["Properties"]
        patterns = [v for c in properties.get("Conditions", []) if c.get("Field") == "path-pattern"
                    for v in c.get("PathPatternConfig", {}).get("Values", [])]
        for action in properties.get("Actions", []):
            if action.get("Type") == "forward" and _ref(action.get("TargetGroupArn")) == gateway_target_group:
                forwarded += patterns
            if action.get("Type") == "fixed-response":
                blocked += patterns
    for path in PUBLIC_PATHS:
        if not _matches(forwarded, path):
            problems.append(f"AWS: no listener rule forwards {path} (docs/contract.md §4) to the gateway")
        if _matches(blocked, path):
            problems.append(f"AWS: a fixed-response rule swallows {path}")
    if not _matches(blocked, "/metrics"):
        problems.append("AWS: /metrics is reachable from the internet")

    # database and secrets
    databases = by_type.get("AWS::RDS::DBInstance", {})
    if len(databases) != 1:
        problems.append(f"AWS: {len(databases)} RDS instances (expected 1)")
    for db_id, db in databases.items():
        p = db["Properties"]
        version = p.get("EngineVersion")
        if isinstance(version, dict):
            version = template.get("Parameters", {}).get(_ref(version), {}).get("Default")
        if p.get("Engine") != "postgres" or not str(version).startswith("15"):
            problems.append(f"AWS: {db_id} is {p.get('Engine')} {version}, not PostgreSQL 15")
        if p.get("MultiAZ") is not True or p.get("StorageEncrypted") is not True:
            problems.append(f"AWS: {db_id} MultiAZ={p.get('MultiAZ')} StorageEncrypted={p.get('StorageEncrypted')}")
        group = by_type.get("AWS::RDS::DBParameterGroup", {}).get(_ref(p.get("DBParameterGroupName")) or "", {})
        if str(group.get("Properties", {}).get("Parameters", {}).get("rds.force_ssl")) != "1":
            problems.append(f"AWS: {db_id} does not force SSL (its parameter group's rds.force_ssl is not 1)")
        if "resolve:secretsmanager" not in json.dumps(p.get("MasterUserPassword")):
            problems.append(f"AWS: {db_id} master password does not come from Secrets Manager")
    for secret_id, secret in by_type.get("AWS::SecretsManager::Secret", {}).items():
        if "GenerateSecretString" not in secret["Properties"]:
            problems.append(f"AWS: secret {secret_id} is not generated")
    if len(by_type.get("AWS::SecretsManager::Secret", {})) < 2:
        problems.append("AWS: expected generated secrets for the database password and the JWT key")
    if len(by_type.get("AWS::Logs::LogGroup", {})) < len(listing["services"]):
        problems.append("AWS: fewer CloudWatch log groups than services")
    return problems


# ---- Dockerfile ---------------------------------------------------------------------------------------
def dockerfile_problems(text: str, listing: dict) -> list[str]:
    problems = []
    stages = re.findall(r"^FROM\s+\S+(?:\s+AS\s+(\S+))?", text, re.M | re.I)
    if len(stages) < 2:
        problems.append("Dockerfile is not multi-stage")
    if "--static-swift-stdlib" not in text:
        problems.append("Dockerfile does not link the Swift runtime statically")
    if not re.search(r"^USER\s+(?!root|0\b)\S+", text, re.M):
        problems.append("Dockerfile runs as root")
    if not re.search(r"^HEALTHCHECK\b.*(\n.*)*?/health", text, re.M):
        problems.append("Dockerfile has no HEALTHCHECK on /health")
    if not re.search(r'^ENTRYPOINT\s+\["campus"\]', text, re.M) or not re.search(r'^CMD\s+\["serve"', text, re.M):
        problems.append('Dockerfile is not ENTRYPOINT ["campus"] with CMD ["serve", ...]')
    if "Public" not in text or ".resources" not in text:
        problems.append("Dockerfile does not ship Public/ and the resource bundle")
    for service in listing["services"]:
        if not re.search(rf"^EXPOSE\b.*\b{service['port']}\b", text, re.M):
            problems.append(f"Dockerfile does not EXPOSE {service['port']} ({service['name']})")
    return problems
