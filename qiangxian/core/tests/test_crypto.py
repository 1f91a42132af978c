"""Encrypted fields: ciphertext at rest, clear text in Python, refusals for wrong keys and tampering."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from qiangxian.core import crypto
from qiangxian.core.crypto import EncryptedTextField

ACCOUNT = "6222 0202 0000 1234 567"


@pytest.fixture
def keys(settings):
    settings.QX_FIELD_KEYS = Fernet.generate_key().decode()
    return settings


def test_stored_value_is_ciphertext_and_reads_back(keys):
    field = EncryptedTextField()
    stored = field.get_prep_value(ACCOUNT)
    assert stored.startswith(crypto.PREFIX) and "1234" not in stored
    assert field.get_prep_value(ACCOUNT) != stored  # a fresh nonce each time
    assert field.from_db_value(stored, None, connection) == ACCOUNT
    assert field.get_prep_value("") == "" and field.from_db_value(None, None, connection) is None


@pytest.mark.django_db
def test_round_trip_through_the_database(keys):
    field = EncryptedTextField()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE qx_secret (value TEXT)")
        cursor.execute(
            "INSERT INTO qx_secret (value) VALUES (%s)", [field.get_db_prep_value(ACCOUNT, connection)]
        )
        cursor.execute("SELECT value FROM qx_secret")
        (raw,) = cursor.fetchone()
        cursor.execute("DROP TABLE qx_secret")
    assert ACCOUNT not in raw
    assert field.from_db_value(raw, None, connection) == ACCOUNT


def test_wrong_key_and_tampering_are_refused(keys):
    stored = crypto.encrypt(ACCOUNT)
    tampered = stored[:-6] + ("A" if stored[-6] != "A" else "B") + stored[-5:]
    with pytest.raises(ValueError, match="无法解密"):
        crypto.decrypt(tampered)
    keys.QX_FIELD_KEYS = Fernet.generate_key().decode()
    with pytest.raises(ValueError, match="无法解密"):
        crypto.decrypt(stored)


def test_key_rotation_keeps_old_values_readable(keys):
    old_key = keys.QX_FIELD_KEYS
    stored = crypto.encrypt(ACCOUNT)
    new_key = Fernet.generate_key().decode()
    keys.QX_FIELD_KEYS = f"{new_key},{old_key}"
    assert crypto.decrypt(stored) == ACCOUNT
    rotated = crypto.rotate(stored)
    keys.QX_FIELD_KEYS = new_key
    assert crypto.decrypt(rotated) == ACCOUNT
    with pytest.raises(ValueError):
        crypto.decrypt(stored)


def test_missing_or_bad_key_is_a_configuration_error(settings):
    settings.QX_FIELD_KEYS = ""
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt(ACCOUNT)
    settings.QX_FIELD_KEYS = "not-a-key"
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt(ACCOUNT)


def test_only_isnull_can_be_asked_of_the_database():
    from qiangxian.core.models import User

    field = EncryptedTextField()
    field.set_attributes_from_name("secret")
    field.model = User
    assert field.get_lookup("isnull") is not None
    assert field.get_lookup("exact") is None and field.get_lookup("icontains") is None
