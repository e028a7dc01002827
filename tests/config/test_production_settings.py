"""Production settings pass Django's deployment checks, and an unsafe production
configuration is refused. Each check runs `manage.py check --deploy` in a fresh
process, because the settings are read once, from the environment, at start."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "x2Fq7-Lm9Rb4Tz8Wc1Vk6Hn3Jp5Gd0Ys-Ua7Qe2Io9Nf4Xr8Ml1Bt6Kw3Zs5Cv0",
    "DJANGO_ALLOWED_HOSTS": "duet.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/duet",
    "AUDIT_HMAC_KEY": "k7Pz2-Qw9Lm4Rt8Xc1Vb6Hn3Js5Gd0Yf",
    "AUDIT_SIGNING_KEY": "3f" * 32,
}
OWN_PREFIXES = ("DJANGO_", "DATABASE_", "CELERY_", "DUET_", "AUDIT_")


def deploy_check(**overrides: str | None) -> tuple[int, str]:
    """Run the deployment check with PRODUCTION plus overrides (None removes a
    variable); nothing else of ours leaks in from the calling environment."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(OWN_PREFIXES)}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    for key, value in {**PRODUCTION, **overrides}.items():
        if value is not None:
            env[key] = value
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


def test_the_secret_key_used_here_is_long_enough_for_django():
    assert len(PRODUCTION["DJANGO_SECRET_KEY"]) >= 50
    assert len(set(PRODUCTION["DJANGO_SECRET_KEY"])) >= 5


def test_a_complete_production_configuration_passes_the_deploy_check():
    returncode, output = deploy_check()
    assert returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNINGS" not in output


def test_production_refuses_to_run_without_a_secret_key():
    returncode, output = deploy_check(DJANGO_SECRET_KEY=None)
    assert returncode != 0
    assert "DJANGO_SECRET_KEY" in output, output
    assert "duet.E001" in output, output
    assert "Traceback" not in output, output


@pytest.mark.parametrize(
    ("variable", "check_id"),
    [
        ("DJANGO_ALLOWED_HOSTS", "duet.E003"),
        ("DATABASE_URL", "duet.E004"),
        ("AUDIT_HMAC_KEY", "duet.E005"),
        ("AUDIT_SIGNING_KEY", "duet.E006"),
    ],
)
def test_production_refuses_to_run_without_hosts_postgresql_or_audit_keys(variable, check_id):
    returncode, output = deploy_check(**{variable: None})
    assert returncode != 0
    assert check_id in output, output
    assert "Traceback" not in output, output


def environment_variables_read_by(path: Path) -> set[str]:
    """Names passed to os.environ.get / os.getenv / os.environ[...] and to the
    settings' env_* helpers, plus DATABASE_URL read by dj_database_url.config."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            function = ast.unparse(node.func)
            readers = ("os.environ.get", "os.getenv", "os.environ.setdefault")
            if (function in readers or function.startswith("env_")) and node.args:
                argument = node.args[0]
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    names.add(argument.value)
            if function == "dj_database_url.config":
                names.add("DATABASE_URL")
        elif (
            isinstance(node, ast.Subscript)
            and ast.unparse(node.value) == "os.environ"
            and isinstance(node.slice, ast.Constant)
        ):
            names.add(node.slice.value)
    names.discard("DJANGO_SETTINGS_MODULE")
    return names


def test_env_example_lists_every_variable_the_settings_read():
    listed = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        line = line.lstrip("# ").strip()
        name, sep, _ = line.partition("=")
        if sep and name.isidentifier() and name.isupper():
            listed.add(name)
    read = environment_variables_read_by(ROOT / "config" / "settings.py")
    assert read, "found no environment variables in config/settings.py"
    assert read <= listed, f".env.example is missing {sorted(read - listed)}"


def test_env_example_lists_the_process_counts_docker_compose_uses():
    text = (ROOT / ".env.example").read_text()
    for name in ("WEB_CONCURRENCY", "CELERY_CONCURRENCY", "POSTGRES_PASSWORD"):
        assert f"{name}=" in text
