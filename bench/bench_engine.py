"""Throughput on the containment suite: contractkit vs jsoncompat 0.5.0, side by side in one run.

Run: ``.venv/bin/python bench/bench_engine.py`` (``make bench``). Both sides compare the same 3,300 graded
pairs in the backward direction (jsoncompat role ``deserializer``). Three figures:

* **public, first pass** — ``contractkit.compare`` (what users call), from the project folder (so it
  reads ``[tool.contractkit]`` of pyproject.toml like a user's call does), one pass over the pairs in a
  fresh process: the cold cost, caches empty;
* **jsoncompat 0.5.0, first pass** — the same, in its own fresh process. jsoncompat needs Python ≥ 3.12,
  so it runs in its own venv (``.cache/bench312``, created here on first use from pyenv's 3.12.1); it
  takes JSON text, so its time includes parsing it;
* **internal, warm** — ``contractkit.compat.compare`` in this process, best of three rounds (the figure
  this benchmark reported before: caches warm, configuration never read).

The two first-pass runs are interleaved (ours, theirs, ours, theirs, ...) ``ROUNDS`` times so that machine
load hits both alike; the medians and their ratio are printed, with each round's ratio. Each process
times only the comparisons (its import time is printed apart). Not used by the tests.
"""

from __future__ import annotations

import json
import statistics
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
ROUNDS = 5
TARGET = 2.0  # issue 12: public compare >= 2x jsoncompat's pairs/s, first pass, same run

_OURS = r"""
import json, sys, time
t0 = time.perf_counter()
import contractkit
from contractkit.compat import CompatInputError
imported = time.perf_counter() - t0
pairs = json.load(open(sys.argv[1]))
errors = 0
t0 = time.perf_counter()
for old, new in pairs:
    try:
        contractkit.compare(old, new, "backward")
    except CompatInputError:
        errors += 1
dt = time.perf_counter() - t0
print(json.dumps({"pairs": len(pairs), "seconds": dt, "errors": errors, "import": imported}))
"""

_PEER = r"""
import json, sys, time
t0 = time.perf_counter()
import jsoncompat
imported = time.perf_counter() - t0
pairs = json.load(open(sys.argv[1]))
errors = 0
t0 = time.perf_counter()
for old, new in pairs:
    try:
        jsoncompat.check_compat(old, new, "deserializer")
    except Exception:
        errors += 1
dt = time.perf_counter() - t0
print(json.dumps({"pairs": len(pairs), "seconds": dt, "errors": errors, "import": imported}))
"""


def ensure_venv() -> Path:
    py = VENV / "bin" / "python"
    if not py.exists():
        if not PY312.exists():
            raise SystemExit(f"need Python 3.12 at {PY312} to run jsoncompat 0.5.0")
        subprocess.run([str(PY312), "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "jsoncompat==0.5.0"], check=True)
    return py


def _run(python: str, code: str, pairs_file: Path) -> dict[str, float]:
    out = subprocess.run([python, "-c", code, str(pairs_file)], cwd=ROOT, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    if not CORPORA.is_dir():
        print(f"corpora not found at {CORPORA.resolve()}")
        return 0
    cases = list(containment_cases())
    peer_py = ensure_venv()
    cache = ROOT / ".cache"
    cache.mkdir(exist_ok=True)
    ours_file, peer_file = cache / "bench_pairs_objects.json", cache / "bench_pairs.json"
    ours_file.write_text(json.dumps([[c.old, c.new] for c in cases]))
    peer_file.write_text(json.dumps([[json.dumps(c.old), json.dumps(c.new)] for c in cases]))

    public: list[dict[str, float]] = []
    peer: list[dict[str, float]] = []
    for _ in range(ROUNDS):
        public.append(_run(sys.executable, _OURS, ours_file))
        peer.append(_run(str(peer_py), _PEER, peer_file))

    best = None
    errors = 0
    for _ in range(3):
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
    internal = len(cases) / best

    pub_rates = [r["pairs"] / r["seconds"] for r in public]
    peer_rates = [r["pairs"] / r["seconds"] for r in peer]
    pub, theirs = statistics.median(pub_rates), statistics.median(peer_rates)
    ratios = [a / b for a, b in zip(pub_rates, peer_rates, strict=True)]
    print(f"containment-2020-12, {len(cases)} graded pairs, backward; first passes interleaved x{ROUNDS}, medians")
    print(f"{'engine':44} {'pairs/s':>9} {'seconds':>8} {'errors':>7} {'import s':>9}")
    print(
        f"{'contractkit.compare (public, first pass)':44} {pub:9.0f} {len(cases) / pub:8.3f} "
        f"{int(public[0]['errors']):7d} {statistics.median(r['import'] for r in public):9.2f}"
    )
    print(
        f"{'jsoncompat 0.5.0 (py3.12, first pass)':44} {theirs:9.0f} {len(cases) / theirs:8.3f} "
        f"{int(peer[0]['errors']):7d} {statistics.median(r['import'] for r in peer):9.2f}"
    )
    print(f"{'contractkit.compat.compare (internal, warm)':44} {internal:9.0f} {best:8.3f} {errors:7d}")
    print(
        f"ratio public / jsoncompat: {pub / theirs:.2f}x (per round: {', '.join(f'{r:.2f}' for r in ratios)}; "
        f"target {TARGET:.1f}x: {'met' if pub / theirs >= TARGET else 'NOT met'})"
    )
    print(f"ratio internal (warm) / jsoncompat: {internal / theirs:.2f}x; public / internal: {pub / internal:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
