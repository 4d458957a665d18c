"""SqlStore: the Store protocol on SQLAlchemy 2 Core. SQLite by default, PostgreSQL through the same URL.

SQLite runs in WAL mode with synchronous=FULL, so a write that was answered 2xx is on disk and survives
kill -9. The schema is owned by the Alembic migrations in service/migrations (`migrate`); `TABLES` here
mirrors it for queries only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from service.store import IDEM_CLAIM, CartFull, CartRecord, IdemBegin, ItemChanges, ItemRecord, StoredResponse

__all__ = ["SqlStore", "make_engine", "migrate"]

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"

metadata = sa.MetaData()
carts = sa.Table(
    "carts",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("tenant", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(64), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("note", sa.Text, nullable=True),
    sa.Column("metadata", sa.Text, nullable=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("updated_at", sa.String(32), nullable=False),
)
cart_items = sa.Table(
    "cart_items",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("cart_id", sa.String(36), sa.ForeignKey("carts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("sku", sa.String(21), nullable=False),
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.Column("unit_amount_minor", sa.BigInteger, nullable=False),
    sa.Column("gift_wrap", sa.Boolean, nullable=False),
    sa.Column("note", sa.Text, nullable=True),
)
idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("tenant", sa.String(64), primary_key=True),
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("status", sa.Integer, nullable=True),
    sa.Column("body", sa.LargeBinary, nullable=True),
    sa.Column("headers", sa.Text, nullable=True),
    sa.Column("resource", sa.Text, nullable=True),
)


def make_engine(url: str) -> Engine:
    engine = sa.create_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=5000")
            cur.close()

    return engine


def migrate(engine: Engine, revision: str = "head", *, downgrade: bool = False) -> None:
    """Bring the database to `revision` with Alembic (idempotent; safe on every startup)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if downgrade else command.upgrade)(config, revision)


def _item_from_row(r: Any) -> ItemRecord:
    return ItemRecord(
        id=r.id,
        sku=r.sku,
        quantity=r.quantity,
        unit_amount_minor=r.unit_amount_minor,
        gift_wrap=bool(r.gift_wrap),
        note=r.note,
    )


def _cart_from_row(row: Any, items: tuple[ItemRecord, ...]) -> CartRecord:
    return CartRecord(
        id=row.id,
        tenant=row.tenant,
        customer_id=row.customer_id,
        currency=row.currency,
        created_at=row.created_at,
        updated_at=row.updated_at,
        note=row.note,
        metadata=orjson.loads(row.metadata) if row.metadata is not None else None,
        items=items,
    )


def _mark(conn: Any, resource: dict[str, str]) -> None:
    """Record in the request's idempotency claim what this write created, inside the write's transaction."""
    claim = IDEM_CLAIM.get()
    if claim is not None:
        conn.execute(
            idempotency_keys.update()
            .where(idempotency_keys.c.tenant == claim[0], idempotency_keys.c.key == claim[1])
            .values(resource=orjson.dumps(resource).decode())
        )


class SqlStore:
    # Locked (SQLite busy past busy_timeout), unreachable or restarting (PostgreSQL): a 503, not a 500.
    unavailable: tuple[type[BaseException], ...] = (OperationalError,)

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.refuses_nul = engine.dialect.name == "postgresql"  # PostgreSQL text cannot hold U+0000

    def close(self) -> None:
        self.engine.dispose()

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))

    def create_cart(self, cart: CartRecord) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                carts.insert().values(
                    id=cart.id,
                    tenant=cart.tenant,
                    customer_id=cart.customer_id,
                    currency=cart.currency,
                    note=cart.note,
                    metadata=orjson.dumps(cart.metadata).decode() if cart.metadata is not None else None,
                    created_at=cart.created_at,
                    updated_at=cart.updated_at,
                )
            )
            _mark(conn, {"cart_id": cart.id})

    def get_cart(self, tenant: str, cart_id: str) -> CartRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(carts.select().where(carts.c.id == cart_id, carts.c.tenant == tenant)).first()
            if row is None:
                return None
            rows = conn.execute(
                cart_items.select().where(cart_items.c.cart_id == cart_id).order_by(cart_items.c.position)
            ).all()
        return _cart_from_row(row, tuple(_item_from_row(r) for r in rows))

    def delete_cart(self, tenant: str, cart_id: str) -> bool:
        with self.engine.begin() as conn:
            owned = carts.c.id == cart_id, carts.c.tenant == tenant
            if conn.execute(sa.select(carts.c.id).where(*owned)).first() is None:
                return False
            conn.execute(cart_items.delete().where(cart_items.c.cart_id == cart_id))
            conn.execute(carts.delete().where(*owned))
            return True

    def _touch(self, conn: Any, tenant: str, cart_id: str, now: str) -> bool:
        result = conn.execute(
            carts.update().where(carts.c.id == cart_id, carts.c.tenant == tenant).values(updated_at=now)
        )
        return bool(result.rowcount)

    def add_item(self, tenant: str, cart_id: str, item: ItemRecord, now: str, max_lines: int) -> bool:
        """The line count is checked after `_touch`, which holds the cart row's write lock (PostgreSQL) or the
        database's write lock (SQLite) until the commit: concurrent adds are counted one after another."""
        with self.engine.begin() as conn:
            if not self._touch(conn, tenant, cart_id, now):
                return False
            lines = conn.execute(
                sa.select(sa.func.count()).select_from(cart_items).where(cart_items.c.cart_id == cart_id)
            ).scalar_one()
            if lines >= max_lines:
                raise CartFull  # rolls the transaction (the touch) back
            position = conn.execute(
                sa.select(sa.func.coalesce(sa.func.max(cart_items.c.position), 0)).where(
                    cart_items.c.cart_id == cart_id
                )
            ).scalar_one()
            conn.execute(
                cart_items.insert().values(
                    id=item.id,
                    cart_id=cart_id,
                    position=position + 1,
                    sku=item.sku,
                    quantity=item.quantity,
                    unit_amount_minor=item.unit_amount_minor,
                    gift_wrap=item.gift_wrap,
                    note=item.note,
                )
            )
            _mark(conn, {"cart_id": cart_id, "item_id": item.id})
            return True

    def update_item(self, tenant: str, cart_id: str, item_id: str, changes: ItemChanges, now: str) -> ItemRecord | None:
        """Only the fields a request changes are written, in one UPDATE ... RETURNING: concurrent updates of
        different fields never overwrite each other with stale values (no read-modify-write)."""
        values = {k: v for k, v in (("quantity", changes.quantity), ("gift_wrap", changes.gift_wrap)) if v is not None}
        with self.engine.begin() as conn:
            if not self._touch(conn, tenant, cart_id, now):
                return None
            row = conn.execute(
                cart_items.update()
                .where(cart_items.c.id == item_id, cart_items.c.cart_id == cart_id)
                .values(**values)
                .returning(*cart_items.c)
            ).first()
            if row is None:
                conn.rollback()
                return None
            return _item_from_row(row)

    def delete_item(self, tenant: str, cart_id: str, item_id: str, now: str) -> bool:
        with self.engine.begin() as conn:
            if not self._touch(conn, tenant, cart_id, now):
                return False
            result = conn.execute(
                cart_items.delete().where(cart_items.c.id == item_id, cart_items.c.cart_id == cart_id)
            )
            if not result.rowcount:
                conn.rollback()
                return False
            return True

    def idem_begin(self, tenant: str, key: str, fingerprint: str, now: float, ttl: float, lease: float) -> IdemBegin:
        owned = idempotency_keys.c.tenant == tenant, idempotency_keys.c.key == key
        for _ in range(3):
            with self.engine.begin() as conn:
                row = conn.execute(idempotency_keys.select().where(*owned)).first()
                if row is not None:
                    expired = now - row.created >= ttl
                    abandoned = row.status is None and now - row.created >= lease
                    if expired or (abandoned and row.resource is None):
                        # expired, or a claim whose owner died before writing anything: take it over
                        conn.execute(idempotency_keys.delete().where(*owned, idempotency_keys.c.created == row.created))
                        row = None
                if row is None:
                    try:
                        with conn.begin_nested():
                            conn.execute(
                                idempotency_keys.insert().values(
                                    tenant=tenant, key=key, fingerprint=fingerprint, created=now
                                )
                            )
                    except IntegrityError:
                        continue  # another request claimed it between our read and insert: look again
                    return IdemBegin("new")
            if row.status is None and now - row.created < lease:
                return IdemBegin("in_flight")
            if row.fingerprint != fingerprint:
                return IdemBegin("mismatch")
            if row.status is None:  # its owner died after committing its write: rebuild, never write again
                return IdemBegin("committed", resource=orjson.loads(row.resource))
            return IdemBegin("replay", StoredResponse(row.status, row.body, orjson.loads(row.headers or "{}")))
        return IdemBegin("in_flight")

    def idem_complete(self, tenant: str, key: str, response: StoredResponse) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                idempotency_keys.update()
                .where(idempotency_keys.c.tenant == tenant, idempotency_keys.c.key == key)
                .values(status=response.status, body=response.body, headers=orjson.dumps(response.headers).decode())
            )

    def idem_release(self, tenant: str, key: str) -> None:
        """Forget a claim whose request failed, unless its write was committed (then a retry must not redo it)."""
        with self.engine.begin() as conn:
            conn.execute(
                idempotency_keys.delete().where(
                    idempotency_keys.c.tenant == tenant,
                    idempotency_keys.c.key == key,
                    idempotency_keys.c.resource.is_(None),
                )
            )
