"""The load balancer's health check: ok when the database and the file storage answer."""

import pytest
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection

pytestmark = pytest.mark.django_db


def test_a_healthy_server_says_ok_and_nothing_else(client):
    response = client.get("/health/")
    assert (response.status_code, response.content) == (200, b"ok\n")
    assert response["Content-Type"] == "text/plain"
    assert "no-store" in response["Cache-Control"]


def test_a_server_that_cannot_reach_its_database_says_so(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    response = client.get("/health/")
    assert (response.status_code, response.content) == (503, b"unavailable: database\n")


def test_a_server_that_cannot_reach_its_storage_says_so(client, monkeypatch):
    def unreachable(name):
        raise OSError("bucket unreachable")

    monkeypatch.setattr(default_storage, "exists", unreachable)
    response = client.get("/health/")
    assert (response.status_code, response.content) == (503, b"unavailable: storage\n")
