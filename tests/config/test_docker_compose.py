"""docker-compose.yml and the Dockerfile start the project's real entry points.

No Docker engine runs in the test environment, so these tests read the files,
resolve variables the way Compose does, and import what the commands name.
"""

import importlib
import json
import re
import shlex
from pathlib import Path

import dj_database_url
import pytest
import yaml
from celery import Celery

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")
COMPOSE_VALUES = {"POSTGRES_PASSWORD": "compose-test-password"}

VARIABLE = re.compile(r"\$\$|\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def interpolate(text: str, values: dict[str, str]) -> str:
    """Resolve ${NAME}, ${NAME:-default} and ${NAME:?error} as Compose does;
    $$ stays a literal $ for the container's shell."""

    def replace(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name", "op", "arg")
        value = values.get(name)
        if value:
            return value
        if op and op.endswith("?"):
            raise ValueError(f"{name}: {arg}")
        return arg or ""

    return VARIABLE.sub(replace, text)


@pytest.fixture(scope="module")
def compose() -> dict:
    text = interpolate((ROOT / "docker-compose.yml").read_text(), COMPOSE_VALUES)
    return yaml.safe_load(text)


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def command_of(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def environment_of(service: dict) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        return dict(item.split("=", 1) for item in environment)
    return {key: str(value) for key, value in environment.items()}


def healthcheck_of(service: dict) -> str:
    test = service["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else test


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def test_it_defines_the_database_broker_web_worker_and_beat_services(services):
    assert set(services) >= {"db", "redis", "web", "worker", "beat"}


def test_the_database_is_postgresql_16_keeping_its_data_in_a_named_volume(compose, services):
    db = services["db"]
    assert db["image"] == "postgres:16"
    volume = next(v.split(":")[0] for v in db["volumes"] if v.endswith("/var/lib/postgresql/data"))
    assert volume in compose["volumes"]


def test_the_broker_is_redis_7(services):
    assert services["redis"]["image"] == "redis:7"


# WhiteNoise warns that staticfiles/ is missing: it is only collected in the image.
@pytest.mark.filterwarnings("ignore:No directory at:UserWarning")
def test_web_serves_the_projects_wsgi_application(services):
    assert "config.wsgi:application" in command_of(services["web"])
    module = importlib.import_module("config.wsgi")
    assert callable(module.application)


def test_web_checks_the_configuration_and_migrates_before_starting_gunicorn(services):
    command = command_of(services["web"])
    check = command.index("manage.py check --deploy")
    migrate = command.index("manage.py migrate")
    assert check < migrate < command.index("gunicorn")


def test_web_runs_gunicorn_with_the_projects_settings_file(services):
    tokens = shlex.split(command_of(services["web"]))
    gunicorn = tokens[tokens.index("gunicorn") :]
    assert gunicorn[gunicorn.index("-c") + 1] == "config/gunicorn.py"
    assert (ROOT / "config/gunicorn.py").is_file()


def test_gunicorn_binds_to_port_8000_with_web_concurrency_preloaded_workers(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    settings = importlib.reload(importlib.import_module("config.gunicorn"))

    assert settings.bind == "0.0.0.0:8000"
    assert settings.workers == 5
    assert settings.preload_app is True
    assert callable(settings.pre_fork)


def test_worker_runs_the_projects_celery_app(services):
    tokens = shlex.split(command_of(services["worker"]))
    assert tokens[tokens.index("-A") + 1] == "config"
    assert "worker" in tokens
    assert tokens[tokens.index("--concurrency") + 1] == "${CELERY_CONCURRENCY:-2}"
    assert isinstance(importlib.import_module("config.celery").app, Celery)


def test_the_worker_consumes_every_queue_a_task_is_routed_to(services):
    tokens = shlex.split(command_of(services["worker"]))
    app = importlib.import_module("config.celery").app
    declared = [queue.name for queue in app.conf.task_queues]
    routed = {route["queue"] for route in app.conf.task_routes.values()}

    consumed = tokens[tokens.index("-Q") + 1].split(",") if "-Q" in tokens else declared
    assert routed | {app.conf.task_default_queue} <= set(consumed)
    assert consumed[0] == app.conf.task_default_queue  # imports before search documents
    assert app.conf.broker_transport_options["queue_order_strategy"] == "priority"


def test_beat_runs_the_projects_celery_app(services):
    tokens = shlex.split(command_of(services["beat"]))
    assert tokens[tokens.index("-A") + 1] == "config"
    assert "beat" in tokens
    assert isinstance(importlib.import_module("config.celery").app, Celery)


@pytest.mark.parametrize("name", ["db", "redis", "web", "worker", "beat"])
def test_every_service_has_a_healthcheck(services, name):
    healthcheck = services[name].get("healthcheck")
    assert healthcheck, f"{name} has no healthcheck"
    assert not healthcheck.get("disable")
    assert healthcheck_of(services[name]) not in ("", "NONE")


def test_web_is_healthy_when_the_healthz_page_answers(services):
    assert "http://127.0.0.1:8000/healthz/" in healthcheck_of(services["web"])


def test_worker_is_healthy_when_its_own_celery_worker_answers_a_ping(services):
    healthcheck = healthcheck_of(services["worker"])
    assert "celery -A config inspect ping" in healthcheck
    assert "-d celery@$HOSTNAME" in healthcheck


def test_database_and_broker_are_healthy_when_they_answer(services):
    assert "pg_isready" in healthcheck_of(services["db"])
    assert "redis-cli ping" in healthcheck_of(services["redis"])


@pytest.mark.parametrize("name", APP_SERVICES)
def test_the_app_services_run_in_production_on_the_compose_database(services, name):
    environment = environment_of(services[name])
    assert environment["DJANGO_ENV"] == "production"
    database = dj_database_url.parse(environment["DATABASE_URL"])
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["HOST"] == "db"
    assert database["PORT"] == 5432
    assert database["PASSWORD"] == COMPOSE_VALUES["POSTGRES_PASSWORD"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_the_app_services_use_the_compose_redis_as_broker(services, name):
    assert environment_of(services[name])["CELERY_BROKER_URL"] == "redis://redis:6379/0"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_the_app_services_take_their_secrets_from_the_env_file(services, name):
    env_file = services[name]["env_file"]
    assert ".env" in ([env_file] if isinstance(env_file, str) else env_file)


def test_compose_refuses_to_start_without_a_database_password():
    with pytest.raises(ValueError, match="POSTGRES_PASSWORD"):
        interpolate((ROOT / "docker-compose.yml").read_text(), {})


@pytest.mark.parametrize("name", APP_SERVICES)
def test_the_app_services_wait_until_database_and_broker_are_healthy(services, name):
    depends_on = services[name]["depends_on"]
    assert depends_on["db"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"


def test_every_dependency_waits_for_a_healthy_service(services):
    for name, service in services.items():
        depends_on = service.get("depends_on", {})
        assert isinstance(depends_on, dict), f"{name} lists depends_on without conditions"
        for dependency, condition in depends_on.items():
            assert condition["condition"] == "service_healthy", f"{name} -> {dependency}"


def test_web_and_worker_share_the_media_volume_at_the_media_root(compose, services):
    mounts = {}
    for name in ("web", "worker"):
        media_root = environment_of(services[name])["DUET_MEDIA_ROOT"]
        mount = next(v for v in services[name]["volumes"] if v.split(":")[1] == media_root)
        mounts[name] = mount
    assert mounts["web"] == mounts["worker"]
    assert mounts["web"].split(":")[0] in compose["volumes"]


def test_the_image_runs_gunicorn_with_the_projects_wsgi_application():
    commands = [rest for keyword, rest in dockerfile_instructions() if keyword == "CMD"]
    assert commands, "the Dockerfile has no CMD"
    command = commands[-1]
    tokens = json.loads(command) if command.startswith("[") else [command]
    assert tokens == ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"]


def test_the_image_is_built_on_python_3_11_slim():
    froms = [rest for keyword, rest in dockerfile_instructions() if keyword == "FROM"]
    assert froms[0] == "python:3.11-slim"


def test_the_image_collects_static_files_at_build_time():
    runs = [rest for keyword, rest in dockerfile_instructions() if keyword == "RUN"]
    assert any("manage.py collectstatic --noinput" in run for run in runs)


def test_the_image_runs_as_an_unprivileged_user():
    users = [rest for keyword, rest in dockerfile_instructions() if keyword == "USER"]
    assert users, "the Dockerfile never leaves root"
    assert users[-1] not in ("root", "0")


def test_the_build_context_leaves_out_local_state_and_secrets():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".git", ".venv", ".env", "db.sqlite3", "media/"):
        assert entry in ignored
    assert "README.md" not in ignored, "pyproject.toml needs README.md to install the project"
