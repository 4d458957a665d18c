"""`python -m service.migrate [revision]`: run the Alembic migrations on CART_DATABASE_URL and exit.

Safe to run while the service runs and from several places at once: migrations take turns (a PostgreSQL
advisory lock, a file lock next to a SQLite file), and the ones after the first find nothing to do. Running
it once before starting replicas with CART_MIGRATE_ON_STARTUP=0 keeps the DDL out of the start-up path.
"""

from __future__ import annotations

import sys

from service.settings import Settings
from service.sql import make_engine, migrate


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    settings = Settings.from_env()
    engine = make_engine(settings.database_url, settings)
    try:
        migrate(engine, args[0] if args else "head")
    finally:
        engine.dispose()
    print(f"migrated to {args[0] if args else 'head'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
