"""A real uvicorn in a subprocess for the several-instances tests: any app spec, `--workers`, its own env."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.service.support import API_KEYS, ROOT, free_port


class Uvicorn:
    """`uvicorn <spec>` on a free port, output to `log_path`; `ready` waits for /readyz (or returns False when
    the process exits first). Stopped by its own pid (SIGTERM, then SIGKILL)."""

    def __init__(
        self,
        log_path: Path,
        env: dict[str, str],
        *,
        spec: str = "service.app:app",
        workers: int | None = None,
        factory: bool = False,
    ) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = log_path.open("wb")
        full_env = {**os.environ, "CART_API_KEYS": API_KEYS, "CART_ACCESS_LOG": "0", **env}
        cmd = [sys.executable, "-m", "uvicorn", spec, "--port", str(self.port), "--log-level", "info"]
        if workers is not None:
            cmd += ["--workers", str(workers)]
        if factory:
            cmd.append("--factory")
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=self._log, stderr=subprocess.STDOUT)

    def ready(self, timeout: float = 120) -> bool:
        deadline = time.monotonic() + timeout
        with httpx.Client(base_url=self.base, timeout=5) as client:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    return False
                try:
                    if client.get("/readyz").status_code == 200:
                        return True
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
        return False

    def output(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log.close()
