"""Keys of the personal data encrypted at rest, and their rotation.

encrypted_fields derives one Fernet key per (SECRET_KEY + SECRET_KEY_FALLBACKS) × SALT_KEY pair; the
first pair encrypts and every pair decrypts. A rotation prepends the new secret or salt, re-encrypts
every stored value with the first key (`sanlian rotate_keys`), and only then drops the old one.

Each field caches its derived keys (`keys`, `f`); `forget_keys` drops those caches when the settings
change (connected to `setting_changed`, so `override_settings` in tests takes effect too).
"""

import base64
import binascii
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.db import connections, models, transaction
from django.db.models.functions import Cast
from encrypted_fields.fields import EncryptedFieldMixin

KEY_SETTINGS = frozenset({"SECRET_KEY", "SECRET_KEY_FALLBACKS", "SALT_KEY"})
# A Fernet token is base64 of version byte 0x80, timestamp, IV, ciphertext (≥ 16 bytes) and HMAC.
TOKEN_MIN_BYTES = 1 + 8 + 16 + 16 + 32


@dataclass
class RotationCounts:
    """Per model: values already under the first key, re-encrypted, plaintext now encrypted, unreadable."""

    current: int = 0
    rotated: int = 0
    encrypted: int = 0
    unreadable: int = 0

    @property
    def written(self) -> int:
        return self.rotated + self.encrypted


def encrypted_fields() -> dict[type[models.Model], list[models.Field]]:
    """Every concrete model with encrypted fields, in a stable order, with those fields."""
    found = {}
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedFieldMixin)]
        if fields:
            found[model] = fields
    return found


def forget_keys(**_kwargs) -> None:
    """Drop every encrypted field's cached keys so that the next use derives them from the settings."""
    setting = _kwargs.get("setting")
    if setting is not None and setting not in KEY_SETTINGS:
        return
    for fields in encrypted_fields().values():
        for field in fields:
            field.__dict__.pop("keys", None)
            field.__dict__.pop("f", None)


def looks_like_token(value: str) -> bool:
    """Whether a stored value is a Fernet token (under some key) rather than a plaintext left unencrypted."""
    try:
        raw = base64.urlsafe_b64decode(value.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return False
    return len(raw) >= TOKEN_MIN_BYTES and raw[0] == 0x80


def _classify(value: str, first: Fernet, every: MultiFernet) -> tuple[str, str | None]:
    """('current' | 'rotated' | 'encrypted' | 'unreadable', the new stored value or None)."""
    token = value.encode("utf-8")
    try:
        first.decrypt(token)
        return "current", None
    except InvalidToken:
        pass
    try:
        return "rotated", first.encrypt(every.decrypt(token)).decode("ascii")
    except InvalidToken:
        pass
    if looks_like_token(value):
        # Encrypted under a key no longer configured: rewriting it would encrypt ciphertext. Left as is.
        return "unreadable", None
    return "encrypted", first.encrypt(token).decode("ascii")


def model_reencrypt(
    model: type[models.Model], fields: list[models.Field], *, batch_size: int = 500, dry_run: bool = False
) -> RotationCounts:
    """Re-encrypt one model's encrypted columns with the first key, `batch_size` rows per transaction.

    Raw column values are read (a Cast keeps the field from decrypting them) and written back as tokens by
    plain SQL (the field would encrypt them twice), one executemany per column and batch. Safe to run
    again: values already under the first key are left alone.
    """
    keys = fields[0].keys
    first, every = Fernet(keys[0]), MultiFernet([Fernet(k) for k in keys])
    counts = RotationCounts()
    raw_names = {field.attname: f"raw_{field.attname}" for field in fields}
    columns = [field.column for field in fields]
    manager = model._base_manager
    last_pk = None
    while True:
        with transaction.atomic():
            batch = manager.order_by("pk")
            if last_pk is not None:
                batch = batch.filter(pk__gt=last_pk)
            batch = batch.annotate(**{raw: Cast(name, models.TextField()) for name, raw in raw_names.items()})
            rows = list(batch.select_for_update().values_list("pk", *raw_names.values())[:batch_size])
            if not rows:
                break
            updates: dict[str, list[tuple[str, object]]] = {column: [] for column in columns}
            for pk, *values in rows:
                for column, value in zip(columns, values, strict=True):
                    if not value:
                        continue
                    outcome, new = _classify(value, first, every)
                    setattr(counts, outcome, getattr(counts, outcome) + 1)
                    if new is not None:
                        updates[column].append((new, pk))
            if not dry_run:
                _write_tokens(model, manager.db, updates)
            last_pk = rows[-1][0]
    return counts


def _write_tokens(model, using: str, updates: dict[str, list[tuple[str, object]]]) -> None:
    """The new tokens as they are, one executemany per column (the ORM would encrypt them again, and a
    bulk_update's CASE of 500 branches costs more than the crypto)."""
    connection = connections[using]
    table, pk_column = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        for column, rows in updates.items():
            if rows:
                column_name = connection.ops.quote_name(column)
                # Table and column names are our models' own, quoted; the values are parameters.
                sql = f"UPDATE {table} SET {column_name} = %s WHERE {pk_column} = %s"  # nosec B608  # our quoted names
                cursor.executemany(sql, rows)


def keys_rotate(*, batch_size: int = 500, dry_run: bool = False) -> dict[str, RotationCounts]:
    """Every encrypted value of every model under the current first key; counts per model label."""
    forget_keys()
    return {
        model._meta.label: model_reencrypt(model, fields, batch_size=batch_size, dry_run=dry_run)
        for model, fields in encrypted_fields().items()
    }
