"""Uploads in an S3-compatible store shared by every host (django-storages), against a real server.

The store is moto's S3 server started as a separate process on a loopback port; the test is
skipped where moto is not installed. Two storage objects stand for two web hosts: a file saved
through one is read through the other, and nothing is written to the local media directory.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from qiangxian.settings import s3_storage


def test_no_bucket_keeps_the_local_file_system():
    assert s3_storage({}) is None
    assert s3_storage({"QX_S3_BUCKET": "  "}) is None


def test_the_bucket_settings_come_from_the_environment():
    config = s3_storage(
        {
            "QX_S3_BUCKET": "qx-files",
            "QX_S3_ENDPOINT_URL": "http://10.0.0.5:9000",
            "QX_S3_ACCESS_KEY": "key",
            "QX_S3_SECRET_KEY": "secret",
            "QX_S3_PREFIX": "media",
        }
    )
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    options = config["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["location"]) == (
        "qx-files",
        "http://10.0.0.5:9000",
        "media",
    )
    assert options["file_overwrite"] is False and options["default_acl"] is None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def s3_server():
    pytest.importorskip("moto.server", reason="moto[server] is not installed")
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("moto S3 server did not start")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_file_saved_through_one_host_is_read_through_another(s3_server, tmp_path, settings):
    import boto3
    from django.core.files.base import ContentFile
    from storages.backends.s3 import S3Storage

    env = {
        "QX_S3_BUCKET": "qx-shared",
        "QX_S3_ENDPOINT_URL": s3_server,
        "QX_S3_ACCESS_KEY": "testing",
        "QX_S3_SECRET_KEY": "testing",
        "QX_S3_REGION": "us-east-1",
        "QX_S3_PREFIX": "media",
    }
    boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    ).create_bucket(Bucket="qx-shared")
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    one, two = (S3Storage(**s3_storage(env)["OPTIONS"]) for _ in range(2))
    content = "乙县月报 2026年3月".encode()
    name = one.save("imports/月报.xlsx", ContentFile(content))
    assert name.startswith("imports/")
    with two.open(name, "rb") as stream:
        assert stream.read() == content
    again = one.save("imports/月报.xlsx", ContentFile(b"second"))
    assert again != name  # never overwritten: the second upload gets a name of its own
    assert two.exists(again) and two.size(name) == len(content)
    assert "X-Amz-Signature" in two.url(name) or "Signature" in two.url(name)
    assert not any(media.iterdir())  # nothing on the web host's disk
