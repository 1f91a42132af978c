"""Production settings refuse to start insecurely."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _check(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        k: v for k, v in os.environ.items() if k not in {"QX_TESTING", "DJANGO_SECRET_KEY", "DJANGO_DEBUG"}
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_refuses_to_start_without_a_secret_key():
    result = _check({"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_refuses_the_default_key_in_production():
    from qiangxian.settings import INSECURE_DEFAULT_KEY

    result = _check({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": INSECURE_DEFAULT_KEY})
    assert result.returncode != 0
    assert "默认密钥" in result.stderr


def test_starts_with_a_real_key():
    result = _check({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "a-real-random-key-" + "x" * 40})
    assert result.returncode == 0, result.stderr
