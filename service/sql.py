"""SqlStore: the Store protocol on SQLAlchemy 2 Core. SQLite by default, PostgreSQL through the same URL.

SQLite runs in WAL mode with synchronous=FULL, so a write that was answered 2xx is on disk and survives
kill -9. The schema is owned by the Alembic migrations in service/migrations (`migrate`); `TABLES` here
mirrors it for queries only.

Several processes, one database (docs/service.md, "Running several instances"):

- every wait is bounded and every bound is a 503, never a 500: the pool (one connection per worker thread,
  no overflow, `pool_timeout`), PostgreSQL's `lock_timeout` and `statement_timeout` (sent in the connection's
  start-up packet: no extra round trip) and SQLite's busy timeout;
- few round trips: no pre-ping; single statements (reads, idempotency claims and records) run in autocommit;
  a cart and its items are read with one statement; the add-item write is one transaction of four statements;
- migrations are serialised (a PostgreSQL advisory lock in the migration's transaction, a file lock next to
  the SQLite file), so any number of workers and instances can start at once;
- `ping` (readiness) fails while the schema is not at the head revision this code knows, or the SQLite file
  is no longer the one that was opened; writes to a replaced or deleted SQLite file are refused (503).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import uuid
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from service.store import (
    IDEM_CLAIM,
    CartFull,
    CartRecord,
    ClaimLost,
    IdemBegin,
    ItemChanges,
    ItemRecord,
    PreconditionFailed,
    StoredResponse,
    StoreUnavailable,
    TotalTooLarge,
    in_flight_retry_after,
)

if TYPE_CHECKING:
    from service.settings import Settings

__all__ = [
    "MIGRATION_LOCK_ID",
    "NulSafeText",
    "SqlStore",
    "head_revision",
    "make_engine",
    "migrate",
    "process_identity",
]

log = logging.getLogger("service.errors")

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# pg_advisory_xact_lock key of the migrations: any 64-bit number no other tool of the database uses.
MIGRATION_LOCK_ID = 0x63617274_6D696772  # "cartmigr"


class NulSafeText(sa.types.TypeDecorator[str]):
    """Text that may hold U+0000: PostgreSQL text cannot, so there it is stored as UTF-8 in a bytea column
    (migration 0003); SQLite stores it as text. The published schemas allow U+0000, so both backends do."""

    impl = sa.Text
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(sa.LargeBinary())
        return dialect.type_descriptor(sa.Text())

    def process_bind_param(self, value: str | None, dialect: sa.Dialect) -> Any:
        if value is not None and dialect.name == "postgresql":
            return value.encode("utf-8")
        return value

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> str | None:
        if isinstance(value, bytes | memoryview):
            return bytes(value).decode("utf-8")
        return value  # type: ignore[no-any-return]


metadata = sa.MetaData()
carts = sa.Table(
    "carts",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("tenant", sa.String(64), nullable=False),
    sa.Column("customer_id", NulSafeText, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("note", NulSafeText, nullable=True),
    sa.Column("metadata", sa.Text, nullable=True),  # orjson text: U+0000 is written as \u0000
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("updated_at", sa.String(32), nullable=False),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
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
    sa.Column("note", NulSafeText, nullable=True),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
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
    sa.Column("lease_until", sa.Float, nullable=True),  # NULL (claims made before 0003): created + lease
    sa.Column("owner", sa.String(200), nullable=True),  # the claim's token (see process_identity)
)


# --- engines ---------------------------------------------------------------------------------------------


def make_engine(url: str, settings: Settings | None = None) -> Engine:
    """An engine with the limits of `settings` (the defaults of `Settings` when None)."""
    from service.settings import Settings

    s = settings or Settings()
    parsed = sa.engine.make_url(url)
    file_db = parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:")
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() != "sqlite" or file_db:
        from service.settings import DEFAULT_POOL_SIZE, SQLITE_POOL_SIZE

        sqlite = parsed.get_backend_name() == "sqlite"
        size = s.db_pool_size or (SQLITE_POOL_SIZE if sqlite else DEFAULT_POOL_SIZE)
        timeout = s.db_pool_timeout
        if timeout is None:
            timeout = s.sqlite_busy_timeout_ms / 1000 if sqlite else 2.0
        kwargs.update(pool_size=size, max_overflow=0, pool_timeout=timeout)
    if parsed.get_backend_name() == "postgresql":
        options = f"-c lock_timeout={int(s.db_lock_timeout_ms)} -c statement_timeout={int(s.db_statement_timeout_ms)}"
        kwargs["connect_args"] = {"options": options}
    engine = sa.create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        busy = int(s.sqlite_busy_timeout_ms)

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout={busy}")  # first: switching to WAL takes a lock, which may wait
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

    return engine


def _sqlite_path(engine: Engine) -> Path | None:
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).resolve()


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


# --- migrations ------------------------------------------------------------------------------------------


def _alembic_config() -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


_heads: dict[str, tuple[str, frozenset[str]]] = {}


def head_revision() -> tuple[str, frozenset[str]]:
    """(the head revision of service/migrations, every revision it knows), read once per process."""
    if "heads" not in _heads:
        from alembic.script import ScriptDirectory

        script = ScriptDirectory.from_config(_alembic_config())
        head = script.get_current_head()
        assert head is not None
        _heads["heads"] = (head, frozenset(r.revision for r in script.walk_revisions()))
    return _heads["heads"]


def migrate(engine: Engine, revision: str = "head", *, downgrade: bool = False) -> None:
    """Bring the database to `revision` with Alembic (idempotent; safe on every startup, from any number of
    processes at once: they take turns, and the ones after the first find nothing left to do).

    PostgreSQL: a transaction-level advisory lock, taken in the migration's own transaction (DDL is
    transactional there), with no lock or statement timeout for that transaction. SQLite: an exclusive file
    lock `<database>.migrate.lock` next to the database file.
    """
    from alembic import command

    config = _alembic_config()
    path = _sqlite_path(engine)
    guard: contextlib.AbstractContextManager[Any] = contextlib.nullcontext()
    if path is not None:
        from filelock import FileLock

        guard = FileLock(str(path) + ".migrate.lock")
    with guard, engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL lock_timeout = 0")
            conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
        config.attributes["connection"] = conn
        (command.downgrade if downgrade else command.upgrade)(config, revision)


# --- the claim owner's identity --------------------------------------------------------------------------


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return "-"


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat): with the pid, it
    names one process, even after the pid is reused. None when there is no such process (or no /proc)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def process_identity() -> str:
    """host|boot id|pid|start time of this process (computed per pid: a forked worker gets its own)."""
    pid = os.getpid()
    return f"{socket.gethostname()}|{_boot_id()}|{pid}|{_start_time(pid) or '-'}"


# --- the store -------------------------------------------------------------------------------------------


def _item_from_row(r: Any) -> ItemRecord:
    return ItemRecord(
        id=r.id,
        sku=r.sku,
        quantity=r.quantity,
        unit_amount_minor=r.unit_amount_minor,
        gift_wrap=bool(r.gift_wrap),
        note=r.note,
        version=r.version,
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
        version=row.version,
    )


_CART_COLUMNS = [c.label(f"c_{c.name}") for c in carts.c]
_ITEM_COLUMNS = [c.label(f"i_{c.name}") for c in cart_items.c]


class _Prefixed:
    """A row's columns under one prefix, as attributes (`c_note` as `.note`)."""

    __slots__ = ("_prefix", "_row")

    def __init__(self, row: Any, prefix: str) -> None:
        self._row = row
        self._prefix = prefix

    def __getattr__(self, name: str) -> Any:
        return self._row._mapping[self._prefix + name]


def _undefined_table(exc: ProgrammingError) -> bool:
    """PostgreSQL's 'relation does not exist' (SQLSTATE 42P01): the schema is missing, not a bug in a query."""
    return getattr(exc.orig, "sqlstate", None) == "42P01"


class SqlStore:
    # What answers 503 with Retry-After (the gate tests isinstance against this tuple): SQLite busy past its
    # busy timeout, PostgreSQL unreachable/restarting, a lock or statement timeout, a deadlock (all
    # OperationalError); no pooled connection within pool_timeout (TimeoutError); the schema missing or the
    # SQLite file replaced (StoreUnavailable); a claim taken over while its request ran (ClaimLost).
    unavailable: tuple[type[BaseException], ...] = (OperationalError, PoolTimeout, StoreUnavailable, ClaimLost)

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # Single statements run in autocommit: no BEGIN/COMMIT round trips. Same pool as `engine`.
        self._auto = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._postgres = engine.dialect.name == "postgresql"
        self._path = _sqlite_path(engine)
        self._identity = _file_identity(self._path) if self._path is not None else None
        # Claims this store holds for requests still running: a claim of this store (same owner prefix)
        # that is not in here belongs to a request that ended without releasing it (its release failed).
        self._owner = f"{process_identity()}|{uuid.uuid4().hex[:8]}"
        self._claims: dict[tuple[str, str], str] = {}  # (tenant, key) -> token of a claim made and held
        self._pending: set[str] = set()  # tokens being inserted right now
        self._lock = threading.Lock()

    def close(self) -> None:
        self.engine.dispose()

    # -- plumbing --

    def _check_file(self) -> None:
        """One stat() per statement or transaction: the SQLite file must still be the one this store first saw
        (a file deleted under a running process takes every later write with it, unseen)."""
        if self._path is None:
            return
        identity = _file_identity(self._path)
        if self._identity is None:  # not created yet when the store was made: the first file seen is ours
            self._identity = identity
        elif identity != self._identity:
            raise StoreUnavailable(f"the SQLite file {self._path.name} is no longer the one this process opened")

    @contextlib.contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except ProgrammingError as exc:
            if _undefined_table(exc):
                raise StoreUnavailable("the database schema is missing; run the migrations") from exc
            raise

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction (SQLite: only into the file this process opened)."""
        self._check_file()
        with self._translated(), self.engine.begin() as conn:
            yield conn

    @contextlib.contextmanager
    def _single(self) -> Iterator[Connection]:
        """One autocommit statement (a read, or a write that is one statement)."""
        self._check_file()
        with self._translated(), self._auto.connect() as conn:
            yield conn

    def ping(self) -> None:
        """Readiness: the database answers, its schema is at the head revision this code knows (or at a
        revision this code does not know: a newer release's, expand-then-contract), and, on SQLite, the file
        is the one this process opened."""
        head, known = head_revision()
        with self._single() as conn:
            try:
                rows = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
            except (OperationalError, ProgrammingError) as exc:
                if isinstance(exc, OperationalError) and "no such table" not in str(exc.orig):
                    raise
                if isinstance(exc, ProgrammingError) and not _undefined_table(exc):
                    raise
                raise StoreUnavailable("the database schema is missing; run the migrations") from exc
        if not rows:
            raise StoreUnavailable("the database schema is missing; run the migrations")
        if head not in rows and any(r in known for r in rows):
            raise StoreUnavailable(f"the database schema is at {', '.join(rows)}, not {head}; run the migrations")

    def _mark(self, conn: Connection, resource: dict[str, str]) -> None:
        """Record in the request's idempotency claim what this write created, inside the write's transaction.
        With a claim token (tenant, key, token), only a claim this request still holds: when another request
        has taken it over (the lease ended), the write is rolled back (ClaimLost) and never done twice."""
        claim = IDEM_CLAIM.get()
        if claim is None:
            return
        where = [idempotency_keys.c.tenant == claim[0], idempotency_keys.c.key == claim[1]]
        if len(claim) > 2:
            where.append(idempotency_keys.c.owner == claim[2])
        result = conn.execute(idempotency_keys.update().where(*where).values(resource=orjson.dumps(resource).decode()))
        if len(claim) > 2 and not result.rowcount:
            raise ClaimLost("this request's Idempotency-Key claim was taken over; nothing was written")

    # -- carts --

    def create_cart(self, cart: CartRecord) -> None:
        insert = carts.insert().values(
            id=cart.id,
            tenant=cart.tenant,
            customer_id=cart.customer_id,
            currency=cart.currency,
            note=cart.note,
            metadata=orjson.dumps(cart.metadata).decode() if cart.metadata is not None else None,
            created_at=cart.created_at,
            updated_at=cart.updated_at,
            version=cart.version,
        )
        if IDEM_CLAIM.get() is None:
            with self._single() as conn:
                conn.execute(insert)
            return
        with self._write() as conn:
            conn.execute(insert)
            self._mark(conn, {"cart_id": cart.id})

    def get_cart(self, tenant: str, cart_id: str) -> CartRecord | None:
        """One statement (the cart LEFT JOIN its items), so the cart and its items are one snapshot."""
        query = (
            sa.select(*_CART_COLUMNS, *_ITEM_COLUMNS)
            .select_from(carts.outerjoin(cart_items, cart_items.c.cart_id == carts.c.id))
            .where(carts.c.id == cart_id, carts.c.tenant == tenant)
            .order_by(cart_items.c.position)
        )
        with self._single() as conn:
            rows = conn.execute(query).all()
        if not rows:
            return None
        items = tuple(_item_from_row(_Prefixed(r, "i_")) for r in rows if r.i_id is not None)
        return _cart_from_row(_Prefixed(rows[0], "c_"), items)

    def delete_cart(self, tenant: str, cart_id: str, if_match: Collection[int] | None = None) -> bool:
        owned = carts.c.id == cart_id, carts.c.tenant == tenant
        with self._write() as conn:
            # a write first: it takes the row's (PostgreSQL) or the database's (SQLite) write lock at once
            bumped = conn.execute(
                carts.update().where(*owned).values(version=carts.c.version + 1).returning(carts.c.version)
            ).scalar()
            if bumped is None:
                return False
            if if_match is not None and bumped - 1 not in if_match:
                raise PreconditionFailed(bumped - 1)  # rolls the bump back
            conn.execute(cart_items.delete().where(cart_items.c.cart_id == cart_id))
            conn.execute(carts.delete().where(*owned))
            return True

    def _touch(self, conn: Connection, tenant: str, cart_id: str, now: str) -> bool:
        """Bump the cart's version and updated_at; holds the cart row's write lock (PostgreSQL) or the
        database's write lock (SQLite) until the commit."""
        result = conn.execute(
            carts.update()
            .where(carts.c.id == cart_id, carts.c.tenant == tenant)
            .values(updated_at=now, version=carts.c.version + 1)
        )
        return bool(result.rowcount)

    # -- items --

    def add_item(
        self, tenant: str, cart_id: str, item: ItemRecord, now: str, max_lines: int, max_total: int | None = None
    ) -> bool:
        """The line count (and the cart total with `max_total`) is checked after `_touch`, under the cart's lock:
        concurrent adds are counted one after another. The checks, the next position and the insert are one
        statement; only a refused insert costs a second one (to say which limit it hit)."""
        in_cart = cart_items.c.cart_id == cart_id
        lines = sa.select(sa.func.count()).select_from(cart_items).where(in_cart)
        position = sa.select(sa.func.coalesce(sa.func.max(cart_items.c.position), 0) + 1).where(in_cart)
        total = sa.select(
            sa.func.coalesce(sa.func.sum(cart_items.c.quantity * cart_items.c.unit_amount_minor), 0)
        ).where(in_cart)
        allowed = [lines.scalar_subquery() < max_lines]
        if max_total is not None:
            line = item.quantity * item.unit_amount_minor
            allowed.append(total.scalar_subquery() + sa.literal(line, sa.BigInteger) <= max_total)
        source = sa.select(
            sa.literal(item.id, sa.String(36)),
            sa.literal(cart_id, sa.String(36)),
            position.scalar_subquery(),
            sa.literal(item.sku, sa.String(21)),
            sa.literal(item.quantity, sa.Integer),
            sa.literal(item.unit_amount_minor, sa.BigInteger),
            sa.literal(item.gift_wrap, sa.Boolean),
            sa.literal(item.note, NulSafeText),
            sa.literal(item.version, sa.Integer),
        ).where(*allowed)
        insert = cart_items.insert().from_select(
            ["id", "cart_id", "position", "sku", "quantity", "unit_amount_minor", "gift_wrap", "note", "version"],
            source,
        )
        with self._write() as conn:
            if not self._touch(conn, tenant, cart_id, now):
                return False
            if conn.execute(insert.returning(cart_items.c.id)).first() is None:
                # rolls the transaction (the touch) back
                if conn.execute(lines).scalar_one() >= max_lines:
                    raise CartFull
                raise TotalTooLarge
            self._mark(conn, {"cart_id": cart_id, "item_id": item.id})
            return True

    def _precondition(self, conn: Connection, cart_id: str, item_id: str) -> None:
        """After a conditional write matched nothing: 412 if the item exists (another version), else not found."""
        current = conn.execute(
            sa.select(cart_items.c.version).where(cart_items.c.id == item_id, cart_items.c.cart_id == cart_id)
        ).scalar()
        if current is not None:
            raise PreconditionFailed(current)  # rolls the transaction (the touch) back

    def update_item(
        self,
        tenant: str,
        cart_id: str,
        item_id: str,
        changes: ItemChanges,
        now: str,
        if_match: Collection[int] | None = None,
        max_total: int | None = None,
    ) -> ItemRecord | None:
        """Only the fields a request changes are written, in one UPDATE ... RETURNING: concurrent updates of
        different fields never overwrite each other with stale values (no read-modify-write). With `if_match`,
        only if the item's version is one of those (else PreconditionFailed, nothing written). With `max_total`
        and a new quantity, the cart's total is summed in the same transaction, under the cart's lock
        (TotalTooLarge, nothing written, when over it)."""
        values: dict[str, Any] = {
            k: v for k, v in (("quantity", changes.quantity), ("gift_wrap", changes.gift_wrap)) if v is not None
        }
        where = [cart_items.c.id == item_id, cart_items.c.cart_id == cart_id]
        if if_match is not None:
            where.append(cart_items.c.version.in_(list(if_match)))
        with self._write() as conn:
            if not self._touch(conn, tenant, cart_id, now):
                return None
            row = conn.execute(
                cart_items.update()
                .where(*where)
                .values(**values, version=cart_items.c.version + 1)
                .returning(*cart_items.c)
            ).first()
            if row is None:
                if if_match is not None:
                    self._precondition(conn, cart_id, item_id)
                conn.rollback()
                return None
            if max_total is not None and changes.quantity is not None:
                total = conn.execute(
                    sa.select(
                        sa.func.coalesce(sa.func.sum(cart_items.c.quantity * cart_items.c.unit_amount_minor), 0)
                    ).where(cart_items.c.cart_id == cart_id)
                ).scalar_one()
                if total > max_total:
                    raise TotalTooLarge  # rolls the transaction back
            return _item_from_row(row)

    def delete_item(
        self, tenant: str, cart_id: str, item_id: str, now: str, if_match: Collection[int] | None = None
    ) -> bool:
        where = [cart_items.c.id == item_id, cart_items.c.cart_id == cart_id]
        if if_match is not None:
            where.append(cart_items.c.version.in_(list(if_match)))
        with self._write() as conn:
            if not self._touch(conn, tenant, cart_id, now):
                return False
            result = conn.execute(cart_items.delete().where(*where))
            if not result.rowcount:
                if if_match is not None:
                    self._precondition(conn, cart_id, item_id)
                conn.rollback()
                return False
            return True

    # -- idempotency --

    def _insert_claim(self, conn: Connection, values: dict[str, Any]) -> bool:
        """INSERT ... ON CONFLICT DO NOTHING: True when this call made the claim. One round trip."""
        if self._postgres:
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            stmt: Any = pg_insert(idempotency_keys).values(**values).on_conflict_do_nothing()
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            stmt = sqlite_insert(idempotency_keys).values(**values).on_conflict_do_nothing()
        return conn.execute(stmt.returning(idempotency_keys.c.key)).first() is not None

    def _owner_dead(self, owner: str | None) -> bool:
        """True only when the claim's owner is known to be gone: a request of this store that has ended, or a
        process on this machine (same boot) that no longer runs. Anything else waits for the lease."""
        if not owner:
            return False
        if owner.startswith(self._owner + "|"):
            with self._lock:
                return owner not in self._pending and owner not in self._claims.values()
        parts = owner.split("|")
        if len(parts) < 4:
            return False
        host, boot, pid, started = parts[:4]
        if host != socket.gethostname() or boot != _boot_id() or started == "-" or not pid.isdigit():
            return False
        return _start_time(int(pid)) != started

    def idem_begin(self, tenant: str, key: str, fingerprint: str, now: float, ttl: float, lease: float) -> IdemBegin:
        owned = idempotency_keys.c.tenant == tenant, idempotency_keys.c.key == key
        for _ in range(3):
            token = f"{self._owner}|{uuid.uuid4().hex[:12]}"
            values = {
                "tenant": tenant,
                "key": key,
                "fingerprint": fingerprint,
                "created": now,
                "lease_until": now + lease,
                "owner": token,
            }
            with self._single() as conn:
                with self._lock:
                    self._pending.add(token)  # before the insert: our own claim is never seen as abandoned
                made = False
                try:
                    made = self._insert_claim(conn, values)
                finally:
                    with self._lock:
                        if made:
                            self._claims[(tenant, key)] = token
                        self._pending.discard(token)
                if made:
                    return IdemBegin("new", token=token)
                row = conn.execute(idempotency_keys.select().where(*owned)).first()
                if row is None:
                    continue  # deleted between our insert and our read: try again
                in_flight = row.status is None
                lease_until = row.lease_until if row.lease_until is not None else row.created + lease
                lease_over = in_flight and (now >= lease_until or self._owner_dead(row.owner))
                if now - row.created >= ttl or (lease_over and row.resource is None):
                    # expired, or a claim whose owner died before writing anything: take it over
                    stale = [*owned, idempotency_keys.c.created == row.created]
                    stale.append(
                        idempotency_keys.c.owner == row.owner
                        if row.owner is not None
                        else idempotency_keys.c.owner.is_(None)
                    )
                    conn.execute(idempotency_keys.delete().where(*stale))
                    continue
            if in_flight and not lease_over:
                return IdemBegin("in_flight", retry_after=in_flight_retry_after(now, row.created, lease_until))
            if row.fingerprint != fingerprint:
                return IdemBegin("mismatch")
            if in_flight:  # its owner died after committing its write: rebuild, never write again
                return IdemBegin("committed", resource=orjson.loads(row.resource))
            return IdemBegin("replay", StoredResponse(row.status, row.body, orjson.loads(row.headers or "{}")))
        return IdemBegin("in_flight", retry_after=1.0)

    def _forget(self, tenant: str, key: str, token: str | None) -> None:
        """The request holding the claim is finishing: from now on its claim is dead to this store. Done before
        the database is told, so a failed release or record never leaves the claim looking alive here."""
        with self._lock:
            held = self._claims.get((tenant, key))
            if held is not None and (token is None or held == token):
                del self._claims[(tenant, key)]

    def idem_complete(self, tenant: str, key: str, response: StoredResponse, token: str | None = None) -> None:
        where = [idempotency_keys.c.tenant == tenant, idempotency_keys.c.key == key]
        if token is not None:
            where.append(idempotency_keys.c.owner == token)
        self._forget(tenant, key, token)
        with self._single() as conn:
            conn.execute(
                idempotency_keys.update()
                .where(*where)
                .values(status=response.status, body=response.body, headers=orjson.dumps(response.headers).decode())
            )

    def idem_release(self, tenant: str, key: str, token: str | None = None) -> None:
        """Forget a claim whose request failed, unless its write was committed (then a retry must not redo it).
        If the database cannot be told (it is away), this store takes the claim over at the next retry that
        reaches it; other processes on this machine once this process is gone; any other, after the lease."""
        where = [
            idempotency_keys.c.tenant == tenant,
            idempotency_keys.c.key == key,
            idempotency_keys.c.resource.is_(None),
        ]
        if token is not None:
            where.append(idempotency_keys.c.owner == token)
        self._forget(tenant, key, token)
        with self._single() as conn:
            conn.execute(idempotency_keys.delete().where(*where))
