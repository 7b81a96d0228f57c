"""The deploy files name every service, port and settings variable the code knows.

Each check runs on the committed file (no problems allowed) and on a damaged copy (the
damage must be reported), so a checker that sees nothing cannot pass.
"""
from __future__ import annotations

import copy

import pytest

from deploy import drift
from support.services import DEFAULT_PORT


@pytest.fixture(scope="module")
def listing() -> dict:
    return drift.code_listing()


@pytest.fixture(scope="module")
def compose() -> dict:
    return drift.load_compose(drift.COMPOSE.read_text())


@pytest.fixture(scope="module")
def env_example() -> str:
    return drift.ENV_EXAMPLE.read_text()


@pytest.fixture(scope="module")
def template() -> dict:
    return drift.load_cloudformation(drift.CLOUDFORMATION.read_text())


def test_code_lists_six_services_and_the_contract_variables(listing):
    assert sorted(s["name"] for s in listing["services"]) == ["booking", "gateway", "gpa", "maintenance", "notification", "users"]
    assert {s["name"]: s["port"] for s in listing["services"]} == DEFAULT_PORT
    for variable in ("JWT_SECRET_KEY", "JWT_SECRET_KEY_FILE", "DATABASE_TYPE", "DB_HOST", "DB_PASSWORD", "DB_PASSWORD_FILE",
                     "BIND_ADDRESS", "LOGIN_RATE_PER_MINUTE", "TRUSTED_PROXIES", "HEADER_TIMEOUT", "IDLE_TIMEOUT"):
        assert variable in listing["variables"]


# ---- .env.example ----
def test_env_example_lists_every_variable_with_a_comment(env_example, listing):
    assert drift.env_example_problems(env_example, listing) == []


def test_env_example_check_catches_a_missing_and_an_unknown_variable(env_example, listing):
    damaged = env_example.replace("\nSLA_CHECK_SECONDS=", "\nSLA_CHECK_SECONDZ=")
    assert damaged != env_example
    problems = drift.env_example_problems(damaged, listing)
    assert ".env.example does not list SLA_CHECK_SECONDS" in problems
    assert ".env.example lists SLA_CHECK_SECONDZ, which the code does not read" in problems


# ---- compose ----
def test_compose_runs_every_service_with_its_port_and_variables(compose, env_example, listing):
    assert drift.compose_problems(compose, env_example, listing) == []


def test_compose_check_catches_a_missing_service_a_wrong_port_and_a_typo(compose, env_example, listing):
    damaged = copy.deepcopy(compose)
    del damaged["services"]["gpa"]
    damaged["services"]["booking"]["ports"] = ["127.0.0.1:8001:8009"]
    damaged["services"]["maintenance"]["environment"] = {**damaged["services"]["maintenance"]["environment"], "BOOKNG_HOST": "booking"}
    damaged["services"]["users"]["depends_on"] = ["postgres"]
    damaged["services"]["notification"]["restrat"] = "always"
    problems = drift.compose_problems(damaged, env_example, listing)
    assert "compose notification: unknown key 'restrat'" in problems
    assert "compose has no service gpa" in problems
    assert any("booking does not publish its port 8001" in p for p in problems)
    assert "compose maintenance sets BOOKNG_HOST, which the code does not read" in problems
    assert any("users does not wait for a healthy postgres" in p for p in problems)


def test_compose_check_catches_a_secret_in_the_environment(compose, env_example, listing):
    damaged = copy.deepcopy(compose)
    booking = damaged["services"]["booking"]
    booking["environment"] = {**booking["environment"], "JWT_SECRET_KEY": "${JWT_SECRET_KEY}"}
    del booking["environment"]["JWT_SECRET_KEY_FILE"]
    damaged["services"]["users"]["secrets"] = ["jwt_secret_key"]
    damaged["services"]["maintenance"]["environment"] = {**damaged["services"]["maintenance"]["environment"], "DB_USER": "campus"}
    del damaged["services"]["notification"]["depends_on"]["db-setup"]
    problems = drift.compose_problems(damaged, env_example, listing)
    assert "compose maintenance connects as DB_USER='campus', not its own role campus_maintenance" in problems
    assert "compose notification does not wait for db-setup to complete (condition None)" in problems
    assert "compose booking passes JWT_SECRET_KEY as an environment variable, not as a Docker secret" in problems
    assert any(p.startswith("compose booking does not read JWT_SECRET_KEY from a Docker secret") for p in problems)
    assert any(p.startswith("compose users does not read DB_PASSWORD from a Docker secret") for p in problems)


# ---- CloudFormation ----
def test_aws_template_has_a_service_task_and_target_for_every_service(template, listing):
    assert drift.cloudformation_problems(template, listing) == []


def test_aws_check_catches_a_missing_task_a_wrong_port_and_an_unrouted_path(template, listing):
    damaged = copy.deepcopy(template)
    resources = damaged["Resources"]
    del resources["NotificationTaskDefinition"]
    resources["BookingTaskDefinition"]["Properties"]["ContainerDefinitions"][0]["PortMappings"][0]["ContainerPort"] = 8009
    resources["GpaTaskDefinition"]["Properties"]["ContainerDefinitions"][0]["Environment"].append({"Name": "GPA_HOTS", "Value": "x"})
    del resources["WebSocketRule"]
    problems = drift.cloudformation_problems(damaged, listing)
    assert "AWS: 0 task definitions run serve notification (expected 1)" in problems
    assert "AWS: task BookingTaskDefinition maps ports [8009], expected [8001]" in problems
    assert "AWS: task GpaTaskDefinition sets GPA_HOTS, which the code does not read" in problems
    assert "AWS: no listener rule forwards /api/ws (docs/contract.md §4) to the gateway" in problems


def test_aws_check_catches_an_unencrypted_single_zone_database(template, listing):
    damaged = copy.deepcopy(template)
    damaged["Resources"]["Database"]["Properties"]["MultiAZ"] = False
    damaged["Resources"]["DatabaseParameterGroup"]["Properties"]["Parameters"]["rds.force_ssl"] = "0"
    environment = damaged["Resources"]["BookingTaskDefinition"]["Properties"]["ContainerDefinitions"][0]["Environment"]
    environment[:] = [e for e in environment if e["Name"] != "DB_TLS"]
    problems = drift.cloudformation_problems(damaged, listing)
    assert any("MultiAZ=False" in p for p in problems)
    assert "AWS: Database does not force SSL (its parameter group's rds.force_ssl is not 1)" in problems
    assert any(p.startswith("AWS: task BookingTaskDefinition connects to RDS with DB_TLS=None") for p in problems)


def test_aws_check_catches_a_service_that_logs_in_as_the_master_user(template, listing):
    damaged = copy.deepcopy(template)
    secrets = damaged["Resources"]["BookingTaskDefinition"]["Properties"]["ContainerDefinitions"][0]["Secrets"]
    for secret in secrets:
        if secret["Name"] == "DB_PASSWORD":
            secret["ValueFrom"] = {"Fn::Sub": "${DatabaseSecret}:password::"}
    gpa = damaged["Resources"]["GpaTaskDefinition"]["Properties"]["ContainerDefinitions"][0]["Secrets"]
    gpa.append({"Name": "DB_PASSWORD", "ValueFrom": {"Fn::Sub": "${DatabaseSecret}:password::"}})
    del damaged["Resources"]["DbSetupTaskDefinition"]
    problems = drift.cloudformation_problems(damaged, listing)
    assert "AWS: task BookingTaskDefinition logs in to PostgreSQL as the master user (DB_PASSWORD)" in problems
    assert "AWS: task GpaTaskDefinition gets database credentials it has no use for" in problems
    assert "AWS: 0 task definitions run db-setup (expected 1: the per-service database roles)" in problems


def test_aws_check_catches_a_gateway_that_ignores_the_load_balancer(template, listing):
    damaged = copy.deepcopy(template)
    environment = damaged["Resources"]["GatewayTaskDefinition"]["Properties"]["ContainerDefinitions"][0]["Environment"]
    environment[:] = [e for e in environment if e["Name"] != "TRUSTED_PROXIES"]
    for entry in environment:
        if entry["Name"] == "IDLE_TIMEOUT":
            entry["Value"] = "60"
    problems = drift.cloudformation_problems(damaged, listing)
    assert any(p.startswith("AWS: the gateway does not trust the load balancer's X-Forwarded-For") for p in problems)
    assert "AWS: the gateway's IDLE_TIMEOUT 60 s is not longer than the load balancer's idle timeout 300 s" in problems


# ---- Dockerfile ----
def test_dockerfile_is_two_stage_static_non_root_with_healthcheck(listing):
    assert drift.dockerfile_problems(drift.DOCKERFILE.read_text(), listing) == []


def test_dockerfile_check_catches_root_and_a_missing_healthcheck(listing):
    text = drift.DOCKERFILE.read_text()
    damaged = text.replace("USER campus:campus", "USER root").replace("HEALTHCHECK", "# no check")
    problems = drift.dockerfile_problems(damaged, listing)
    assert "Dockerfile runs as root" in problems
    assert "Dockerfile has no HEALTHCHECK on /health" in problems
