"""Deployment checks, the Content Security Policy and limited login attempts."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings

from lgaboard.settings.base import BASE_DIR


def test_check_deploy_is_clean_with_production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "lgaboard.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "papers.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_login_attempts_are_limited(client, django_user_model):
    django_user_model.objects.create_user("officer-x", password="right-password-123", is_staff=True)
    for _ in range(2):
        response = client.post("/admin/login/", {"username": "officer-x", "password": "wrong"})
        assert "Please enter the correct username and password" in response.content.decode()
    third = client.post("/admin/login/", {"username": "officer-x", "password": "wrong"})
    assert third.status_code == 429
    assert "Too many sign-in attempts" in third.content.decode()
    locked = client.post(
        "/admin/login/?next=/admin/", {"username": "officer-x", "password": "right-password-123"}
    )
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_weasyprint_carries_the_security_fixes():
    import weasyprint

    assert tuple(int(part) for part in weasyprint.__version__.split(".")[:2]) >= (69, 0)
    assert "axes" in settings.INSTALLED_APPS
