from tests.gate.conftest import repo

__all__ = ["repo"]
