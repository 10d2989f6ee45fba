import os
import subprocess
import sys

from django.conf import settings

PROD_CHECK = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def run_with(settings_module: str, **env) -> subprocess.CompletedProcess:
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean_env |= {"DJANGO_SETTINGS_MODULE": settings_module, **env}
    return subprocess.run(
        [sys.executable, "-c", PROD_CHECK], env=clean_env, capture_output=True, text=True, check=False
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_with("lgaboard.settings.prod", DJANGO_ALLOWED_HOSTS="papers.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_runs_with_debug_off_when_configured():
    result = run_with(
        "lgaboard.settings.prod", DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="papers.example.org"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_development_defaults_to_debug():
    result = run_with("lgaboard.settings.dev")
    assert result.stdout.strip() == "True"


def test_the_database_follows_database_url():
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite3"
    assert settings.DATABASES["default"]["ENGINE"].endswith(expected)


def test_production_keeps_database_connections_between_requests():
    check = (
        "import django; django.setup(); from django.conf import settings; "
        "d = settings.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "lgaboard.settings.prod",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "papers.example.org",
    }
    env.pop("DATABASE_CONN_MAX_AGE", None)
    result = subprocess.run(
        [sys.executable, "-c", check], env=env, capture_output=True, text=True, check=False
    )
    assert result.stdout.split() == ["600", "True"], result.stderr
