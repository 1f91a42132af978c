"""Operator comfort: one log line per refused request, structured logs, a health report."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from qiangxian.core import health
from qiangxian.core.logs import JsonFormatter, QuietRefusalFilter, RequestContextFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """What the console handler would print, captured from the django.request logger."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    handler.addFilter(QuietRefusalFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


def test_a_refusal_is_one_structured_line(users, client, log_lines):
    client.force_login(users["town"])
    response = client.get(reverse("core:user_list"), HTTP_X_REQUEST_ID="abc123")
    assert response.status_code == 403
    assert response["X-Request-ID"] == "abc123"
    assert len(log_lines) == 1
    assert "\n" not in log_lines[0] and "Traceback" not in log_lines[0]
    entry = json.loads(log_lines[0])
    assert entry["status"] == 403 and entry["request_id"] == "abc123" and entry["user"] == "town"
    assert entry["level"] == "WARNING"


def test_an_error_keeps_its_traceback(log_lines):
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", None, None)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    record.status_code = 500
    QuietRefusalFilter().filter(record)
    RequestContextFilter().filter(record)
    assert "RuntimeError" in json.loads(JsonFormatter().format(record))["exception"]


def test_healthz_reports_worker_and_queue(client, settings):
    from django_tasks_db.models import DBTaskResult

    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["worker"]["alive"] is False
    assert body["worker"]["last_heartbeat"] is None and body["queue"]["oldest_queued_seconds"] is None
    health.worker_beat()
    DBTaskResult.objects.create(
        status="READY",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="qiangxian.core.tasks.run_list_export",
        queue_name="default",
        backend_name="default",
        run_after=timezone.now() - dt.timedelta(minutes=5),
        priority=0,
    )
    DBTaskResult.objects.filter().update(enqueued_at=timezone.now() - dt.timedelta(seconds=90))
    body = client.get("/healthz").json()
    assert body["worker"]["alive"] is True and body["worker"]["seconds_since"] < 30
    assert 89 <= body["queue"]["oldest_queued_seconds"] < 200
