"""Throughput on the containment suite: contractkit vs jsoncompat 0.5.0, side by side in one run.

Run: ``make bench`` (or ``.venv/bin/python bench/bench_engine.py`` after ``make native``). Both sides compare
the same 3,300 graded pairs in the backward direction (jsoncompat role ``deserializer``). Four figures:

* **public, compiled, first pass** — ``contractkit.compare`` (what users call) as the compiled wheel installs
  it (``make native``: mypyc, see pyproject.toml), from the project folder (so it reads ``[tool.contractkit]``
  of pyproject.toml like a user's call does), one pass over the pairs in a fresh process: the cold cost,
  caches empty. The target is checked on this figure; without a C compiler there is no compiled build and
  this row says so;
* **public, pure Python, first pass** — the same from the sources as they are (an editable or sdist install);
* **jsoncompat 0.5.0, first pass** — the same, in its own fresh process. jsoncompat needs Python ≥ 3.12,
  so it runs in its own venv (``.cache/bench312``, created here on first use from pyenv's 3.12.1); it
  takes JSON text, so its time includes parsing it;
* **internal, warm** — ``contractkit.compat.compare`` in this process, best of three rounds (the figure
  this benchmark reported before: caches warm, configuration never read).

The first-pass runs are interleaved (compiled, pure, theirs, compiled, pure, theirs, ...) ``ROUNDS`` times so
that machine load hits them alike; the medians and their ratio are printed, with each round's ratio. Each process
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
NATIVE = ROOT / ".cache" / "native" / "venv" / "bin" / "python"  # `make native`
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
    # -P: the installed package, not the source tree of the working folder (the compiled run imports the wheel)
    out = subprocess.run(
        [python, "-P", "-c", code, str(pairs_file)], cwd=ROOT, check=True, capture_output=True, text=True
    )
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

    native = NATIVE.exists() and _compiled(NATIVE)
    public: list[dict[str, float]] = []
    compiled: list[dict[str, float]] = []
    peer: list[dict[str, float]] = []
    for _ in range(ROUNDS):
        if native:
            compiled.append(_run(str(NATIVE), _OURS, ours_file))
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
    print(f"containment-2020-12, {len(cases)} graded pairs, backward; first passes interleaved x{ROUNDS}, medians")
    print(f"{'engine':46} {'pairs/s':>9} {'seconds':>8} {'errors':>7} {'import s':>9}")
    if native:
        nat_rates = [r["pairs"] / r["seconds"] for r in compiled]
        nat = statistics.median(nat_rates)
        print(
            f"{'contractkit.compare (public, compiled, first)':46} {nat:9.0f} {len(cases) / nat:8.3f} "
            f"{int(compiled[0]['errors']):7d} {statistics.median(r['import'] for r in compiled):9.2f}"
        )
    else:
        label = "contractkit.compare (public, compiled, first)"
        print(f"{label:46} no compiled build (`make native`: needs a C compiler)")
    print(
        f"{'contractkit.compare (public, pure, first)':46} {pub:9.0f} {len(cases) / pub:8.3f} "
        f"{int(public[0]['errors']):7d} {statistics.median(r['import'] for r in public):9.2f}"
    )
    print(
        f"{'jsoncompat 0.5.0 (py3.12, first pass)':44} {theirs:9.0f} {len(cases) / theirs:8.3f} "
        f"{int(peer[0]['errors']):7d} {statistics.median(r['import'] for r in peer):9.2f}"
    )
    print(f"{'contractkit.compat.compare (pure, internal, warm)':46} {internal:9.0f} {best:8.3f} {errors:7d}")

    def rounds(rates: list[float]) -> str:
        return ", ".join(f"{a / b:.2f}" for a, b in zip(rates, peer_rates, strict=True))

    if native:
        print(
            f"ratio public compiled / jsoncompat: {nat / theirs:.2f}x (per round: {rounds(nat_rates)}; "
            f"target {TARGET:.1f}x: {'met' if nat / theirs >= TARGET else 'NOT met'})"
        )
    print(f"ratio public pure / jsoncompat: {pub / theirs:.2f}x (per round: {rounds(pub_rates)})")
    print(f"ratio internal (warm) / jsoncompat: {internal / theirs:.2f}x; public pure / internal: {pub / internal:.2f}")
    return 0


def _compiled(python: Path) -> bool:
    """Whether `python` imports the engine compiled (the wheel of `make native`), not from sources."""
    code = "import contractkit.compat.engine as e; print(e.__file__)"
    out = subprocess.run([str(python), "-P", "-c", code], cwd=ROOT, capture_output=True, text=True)
    return out.returncode == 0 and out.stdout.strip().endswith((".so", ".pyd"))


if __name__ == "__main__":
    raise SystemExit(main())
