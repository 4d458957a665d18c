"""`python -m service.migrate [revision]`: run the Alembic migrations on CART_DATABASE_URL and exit.

Use it with CART_MIGRATE_ON_STARTUP=0 when several replicas start at once.
"""

from __future__ import annotations

import sys

from service.settings import Settings
from service.sql import make_engine, migrate


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    try:
        migrate(engine, args[0] if args else "head")
    finally:
        engine.dispose()
    print(f"migrated to {args[0] if args else 'head'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
