"""docker-compose.yml parses and every service's command points at something that exists in the project."""

import importlib
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands
from django.urls import resolve

COMPOSE = Path(settings.BASE_DIR) / "docker-compose.yml"
APP_SERVICES = {"migrate", "web", "worker", "beat"}


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def test_compose_declares_the_stack(services):
    assert set(services) == {"db", "redis"} | APP_SERVICES


def test_compose_app_services_build_the_projects_image(services):
    for name in APP_SERVICES:
        assert services[name]["build"] == "."
    assert (Path(settings.BASE_DIR) / "Dockerfile").exists()


def _check_command(command):
    program, *args = command
    if program == "python":
        assert args[0] == "manage.py"
        assert args[1] in get_commands(), f"no manage.py command {args[1]}"
    elif program == "gunicorn":
        module, _, attribute = args[0].partition(":")
        assert callable(getattr(importlib.import_module(module), attribute))
    elif program == "celery":
        assert args[:2] == ["-A", "party_portal"]
        app = importlib.import_module("party_portal.celery").app
        assert app.main == "party_portal"
        assert args[2] in {"worker", "beat"}
    else:
        pytest.fail(f"unknown program {program}")


def test_compose_app_commands_resolve_to_the_project(services):
    for name in APP_SERVICES:
        _check_command(services[name]["command"])


def test_compose_beat_schedule_names_registered_tasks(services):
    app = importlib.import_module("party_portal.celery").app
    app.loader.import_default_modules()

    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_compose_web_health_check_asks_a_page_that_exists(services):
    probe = " ".join(services["web"]["healthcheck"]["test"])

    path = re.search(r"http://127\.0\.0\.1:8000(/[^'\"]*)", probe).group(1)
    assert resolve(path).url_name == "login"


def test_compose_long_running_services_have_health_checks(services):
    for name in ("db", "redis", "web", "worker", "beat"):
        assert services[name]["healthcheck"]["test"], name


def test_compose_app_waits_for_healthy_servers_and_migrations(services):
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_compose_volumes_are_named_and_declared(compose, services):
    declared = set(compose["volumes"])
    used = {volume.split(":")[0] for service in services.values() for volume in service.get("volumes", [])}
    assert used == declared == {"pgdata", "redisdata", "media", "beat"}


def test_compose_runs_exactly_one_beat(services):
    beats = [name for name, service in services.items() if "beat" in service.get("command", [])]
    assert beats == ["beat"]
    assert "deploy" not in services["beat"]


def test_compose_worker_scales_out(services):
    worker = services["worker"]

    # `docker compose up --scale worker=N`: nothing two replicas could not share, and each one checks itself.
    assert not {"container_name", "ports", "hostname"} & set(worker)
    assert "deploy" not in worker
    assert "-d celery@$$HOSTNAME" in " ".join(worker["healthcheck"]["test"])
    assert "--concurrency=${WORKER_CONCURRENCY:-2}" in worker["command"]
