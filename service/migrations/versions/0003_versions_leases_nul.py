"""Versions for conditional requests, leases and owners for idempotency claims, text that may hold U+0000.

- `carts.version`, `cart_items.version`: bumped by every write (the ETag; If-Match compares them).
- `idempotency_keys.lease_until`, `owner`: when a claim's lease ends, and which process (and request) holds
  it, so a claim whose owner died is taken over at once where that can be known, and after the lease
  elsewhere; NULL for claims made before this revision (their lease counts from `created`).
- PostgreSQL only: `customer_id` and both `note` columns become bytea (UTF-8), since PostgreSQL text cannot
  hold U+0000, which the published schemas allow. Downgrading fails while such text is stored.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_NUL_SAFE = (("carts", "customer_id"), ("carts", "note"), ("cart_items", "note"))


def upgrade() -> None:
    for table in ("carts", "cart_items"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.add_column(sa.Column("lease_until", sa.Float, nullable=True))
        batch.add_column(sa.Column("owner", sa.String(200), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        for table, column in _NUL_SAFE:
            op.execute(f'ALTER TABLE {table} ALTER COLUMN "{column}" TYPE bytea USING convert_to("{column}", \'UTF8\')')


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, column in _NUL_SAFE:
            kind = "varchar(64)" if column == "customer_id" else "text"
            op.execute(
                f'ALTER TABLE {table} ALTER COLUMN "{column}" TYPE {kind} USING convert_from("{column}", \'UTF8\')'
            )
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.drop_column("owner")
        batch.drop_column("lease_until")
    for table in ("cart_items", "carts"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
