"""Encryption at rest for the few values that must never be readable in a database copy.

Bank accounts (policy payments) and the like are stored encrypted with Fernet (AES-128-CBC and
HMAC-SHA256) under a key from the environment, ``QX_FIELD_KEYS``: one or more urlsafe base64
Fernet keys separated by commas, the first used to encrypt, all tried to decrypt, so a key is
rotated by putting the new one first and re-saving the rows (``rotate``). A backup of the
database holds only ciphertext; keep the keys apart from the backups.

Generate a key: ``python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"``.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "fernet:"


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    parts = [k.strip() for k in keys.split(",") if k.strip()]
    if not parts:
        raise ImproperlyConfigured("QX_FIELD_KEYS 未设置：加密字段需要密钥（见 docs/operations.md）。")
    try:
        return MultiFernet([Fernet(k.encode()) for k in parts])
    except ValueError as error:
        raise ImproperlyConfigured(f"QX_FIELD_KEYS 不是有效的 Fernet 密钥：{error}") from error


def fernet() -> MultiFernet:
    return _fernet(getattr(settings, "QX_FIELD_KEYS", "") or "")


def encrypt(value: str) -> str:
    """The stored form of a clear text: ``fernet:`` and the token."""
    return PREFIX + fernet().encrypt(value.encode()).decode()


def decrypt(stored: str) -> str:
    """The clear text of a stored value; refuses a value changed or encrypted under another key."""
    if not stored.startswith(PREFIX):
        raise ValueError("不是加密存储的值。")
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise ValueError("加密值无法解密：密钥不符或数据被改动。") from error


def rotate(stored: str) -> str:
    """The value encrypted again under the first (newest) key."""
    return PREFIX + fernet().rotate(stored[len(PREFIX) :].encode()).decode()


class EncryptedTextField(models.TextField):
    """A text stored encrypted; read back as clear text. Only ``isnull`` can be filtered on.

    Empty texts are stored empty (nothing to hide, and forms can tell "not given").
    """

    description = "加密文本"

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(str(value))

    def get_lookup(self, lookup_name):
        # Ciphertexts differ on every save: only "is it given" can be asked of the database.
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)
