"""Throughput on the containment suite: contractkit vs jsoncompat 0.5.0, side by side in one run.

Run: ``.venv/bin/python bench/bench_engine.py`` (``make bench``). jsoncompat 0.5.0 needs Python ≥ 3.12,
so it runs in its own venv (``.cache/bench312``, created here on first use from pyenv's 3.12.1) in a
subprocess that times itself; both sides time only the comparisons, on the same 3,300 graded pairs
in the backward direction (jsoncompat role ``deserializer``). Not used by the tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from eval_corpora import CORPORA, containment_cases  # noqa: E402

from contractkit.compat import CompatInputError, compare  # noqa: E402

PY312 = Path("/root/.pyenv/versions/3.12.1/bin/python")
VENV = ROOT / ".cache" / "bench312"
ROUNDS = 3

_PEER = r"""
import json, sys, time
import jsoncompat
pairs = json.load(open(sys.argv[1]))
rounds = int(sys.argv[2])
best = None
errors = 0
for _ in range(rounds):
    errors = 0
    t0 = time.perf_counter()
    for old, new in pairs:
        try:
            jsoncompat.check_compat(old, new, "deserializer")
        except Exception:
            errors += 1
    dt = time.perf_counter() - t0
    best = dt if best is None else min(best, dt)
print(json.dumps({"pairs": len(pairs), "seconds": best, "errors": errors}))
"""


def ensure_venv() -> Path:
    py = VENV / "bin" / "python"
    if not py.exists():
        if not PY312.exists():
            raise SystemExit(f"need Python 3.12 at {PY312} to run jsoncompat 0.5.0")
        subprocess.run([str(PY312), "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "jsoncompat==0.5.0"], check=True)
    return py


def main() -> int:
    if not CORPORA.is_dir():
        print(f"corpora not found at {CORPORA.resolve()}")
        return 0
    cases = list(containment_cases())
    best = None
    for _ in range(ROUNDS):
        errors = 0
        t0 = time.perf_counter()
        for c in cases:
            try:
                compare(c.old, c.new, "backward")
            except CompatInputError:
                errors += 1
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    assert best is not None
    ours = len(cases) / best

    py = ensure_venv()
    pairs_file = ROOT / ".cache" / "bench_pairs.json"
    pairs_file.write_text(json.dumps([[json.dumps(c.old), json.dumps(c.new)] for c in cases]))
    out = subprocess.run(
        [str(py), "-c", _PEER, str(pairs_file), str(ROUNDS)], check=True, capture_output=True, text=True
    )
    peer = json.loads(out.stdout.strip().splitlines()[-1])
    theirs = peer["pairs"] / peer["seconds"]

    print(f"containment-2020-12, {len(cases)} graded pairs, backward, best of {ROUNDS} rounds")
    print(f"{'engine':28} {'pairs/s':>10} {'seconds':>9}")
    print(f"{'contractkit (this repo)':28} {ours:10.0f} {best:9.3f}   errors: {errors}")
    print(f"{'jsoncompat 0.5.0 (py3.12)':28} {theirs:10.0f} {peer['seconds']:9.3f}   errors: {peer['errors']}")
    print(f"ratio contractkit / jsoncompat: {ours / theirs:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
