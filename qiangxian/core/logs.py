"""Structured logs: one JSON object per line, naming the request id and the user.

A refused request (403, 404) is one line: the traceback Django attaches to its warning says
nothing an operator needs and buries the real errors.
"""

from __future__ import annotations

import json
import logging

QUIET_STATUSES = {400, 401, 403, 404, 405, 409}


class RequestContextFilter(logging.Filter):
    """Add ``request_id``, ``user`` and ``ip`` of the request being served to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        from . import audit

        ctx = audit.current()
        # django.request logs a response after the middleware has closed the context, but it
        # passes the request along.
        request = ctx.request if ctx else getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", "") if request is not None else ""
        record.ip = ctx.ip if ctx else (audit.client_ip(request) if request is not None else "")
        user = ""
        # Only a user already loaded: a log line must never query the database.
        cached = getattr(request, "_cached_user", None) if request is not None else None
        if cached is not None and getattr(cached, "is_authenticated", False):
            user = cached.get_username()
        record.user = user
        return True


class QuietRefusalFilter(logging.Filter):
    """Drop the traceback from django.request's warnings about refused requests."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in QUIET_STATUSES:
            record.exc_info = None
            record.exc_text = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, user, address."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
            "user": getattr(record, "user", ""),
            "ip": getattr(record, "ip", ""),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
