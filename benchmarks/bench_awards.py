"""Award allocation: one commune's round, and a province round over many communes'
proposals, with the caller's library made once versus a fresh library per call (what
``allocate`` did before it took a loader: every call reloaded and recompiled the rule
sets).

Run: python benchmarks/bench_awards.py [COMMUNES] [CANDIDATES_PER_COMMUNE]
"""

from __future__ import annotations

import sys
import time

from emulation_rules import Library
from emulation_rules.awards import (
    AllocationCatalogue,
    Candidate,
    allocate,
    decide,
    propose,
)


def _candidates(n: int, seed: int) -> list[Candidate]:
    out = []
    for i in range(n):
        kind = "collective" if i % 3 else "individual"
        evidence = {
            "exceptional_achievement": (i * 7 + seed) % 11 == 0,
            "targets_met": (i + seed) % 9 != 0,
            "targets_met_count": 10 + (i * 13 + seed) % 8,
            "law_violation": (i + seed) % 23 == 0,
            "already_commended": False,
        }
        out.append(Candidate(f"c{i:04d}", kind, evidence, name=f"Ứng viên {i}"))
    return out


def main(communes: int = 30, per_commune: int = 40) -> None:
    rnd = AllocationCatalogue().round("special-campaign-binh-luong", "interim")
    pools = [_candidates(per_commune, s) for s in range(communes)]
    lib = Library()
    allocate(rnd, pools[0], library=lib)  # warm: load and compile once
    t0 = time.perf_counter()
    for pool in pools:
        allocate(rnd, pool, library=lib)
    shared = time.perf_counter() - t0
    t0 = time.perf_counter()
    for pool in pools:
        allocate(rnd, pool, library=Library())
    fresh = time.perf_counter() - t0
    t0 = time.perf_counter()
    proposals = [
        propose(rnd, pool, unit=f"xa-{i}", authority="chu-tich-ubnd-tinh", library=lib)
        for i, pool in enumerate(pools)
    ]
    proposed = time.perf_counter() - t0
    t0 = time.perf_counter()
    decision = decide(rnd, proposals, authority="chu-tich-ubnd-tinh", library=lib)
    decided = time.perf_counter() - t0
    print(f"{communes} communes x {per_commune} candidates")
    print(f"allocate, one library:        {shared * 1000 / communes:8.2f} ms per commune")
    print(f"allocate, fresh library/call: {fresh * 1000 / communes:8.2f} ms per commune")
    print(f"propose (all communes):       {proposed * 1000:8.1f} ms")
    pooled = len(decision.allocation.candidates)
    print(
        f"decide ({pooled} pooled):       {decided * 1000:8.1f} ms, awarded {len(decision.awarded())}"
    )


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
