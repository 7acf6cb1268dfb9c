"""Many campaign instances: create, persist, restore and advance 10,000 instances through a
year (one commune each), with one compiled ``transitions`` machine per definition.

The requirement: creating and restoring 10,000 instances and advancing each through a year
takes under a second in all (the ``total`` line). For where the time goes, the last line
fires the same 6 triggers per instance on a plain ``transitions.Machine`` of the same
states and transitions with no conditions or callbacks: what ``transitions`` itself costs.

Run: python benchmarks/bench_campaigns.py [N]
"""

from __future__ import annotations

import sys
import time
from datetime import date

from transitions import Machine

from emulation_rules.campaigns import (
    Campaign,
    CampaignCatalogue,
    CampaignDefinition,
    CampaignState,
    SqliteCampaignStore,
    lifecycle_of,
)


def bare_triggers(definition: CampaignDefinition, n: int) -> float:
    """Seconds to fire issue, launch and the 4 calendar triggers of a year on ``n``
    states through a plain ``transitions.Machine`` (no guards, no audit)."""
    lifecycle = lifecycle_of(definition)
    machine = Machine(
        model=None,
        states=list(lifecycle.states),
        transitions=[
            {"trigger": t["trigger"], "source": t["source"], "dest": t["dest"]}
            for t in lifecycle.transitions
        ],
        initial="draft",
        auto_transitions=False,
        send_event=True,
    )
    events = machine.events
    steps = [
        events[name]
        for name in ("issue", "launch", "begin_phase", "end_phase", "begin_phase", "end_phase")
    ]
    day = date(2024, 9, 20)
    t0 = time.perf_counter()
    for i in range(n):
        state = CampaignState(definition.id, definition.sha256, f"bare-{i}", "draft", day, day)
        for event in steps:
            event.trigger(state, on=day)
    return time.perf_counter() - t0


def main(n: int = 10_000) -> None:
    definition = CampaignCatalogue().get("special-campaign-binh-luong")
    t0 = time.perf_counter()
    lifecycle_of(definition)
    t_compile = time.perf_counter() - t0

    t0 = time.perf_counter()
    for _ in range(100):
        Machine(
            model=None,
            states=list(definition.states),
            transitions=lifecycle_of(definition).transitions,
            initial="draft",
            auto_transitions=False,
            send_event=True,
        )
    t_machine = (time.perf_counter() - t0) / 100

    t0 = time.perf_counter()
    campaigns = []
    for i in range(n):
        c = Campaign.new(definition, f"commune-{i}", on=date(2024, 9, 20))
        c.issue(on=date(2024, 9, 20))
        c.launch(on=date(2024, 9, 25))
        campaigns.append(c)
    t_create = time.perf_counter() - t0

    t0 = time.perf_counter()
    states = [c.to_state() for c in campaigns]
    t_persist = time.perf_counter() - t0
    t0 = time.perf_counter()
    restored = [Campaign.from_state(definition, s) for s in states]
    t_restore = time.perf_counter() - t0

    t0 = time.perf_counter()
    texts = [c.to_json() for c in campaigns]
    t_json_out = time.perf_counter() - t0
    t0 = time.perf_counter()
    from_json = [Campaign.from_json(definition, t) for t in texts]
    t_json_in = time.perf_counter() - t0
    assert from_json[0] == campaigns[0]

    t0 = time.perf_counter()
    steps = 0
    for c in restored:
        steps += len(c.advance(to=date(2025, 9, 1)))
    t_advance = time.perf_counter() - t0
    triggers = 2 * n + steps

    t0 = time.perf_counter()
    with SqliteCampaignStore(":memory:") as store:
        for c in restored[:1000]:
            store.create(c.to_state())
    t_store = time.perf_counter() - t0

    t_bare = bare_triggers(definition, n)

    total = t_create + t_persist + t_restore + t_advance
    print(f"instances: {n}; definition {definition.id}")
    print(f"compile lifecycle (one Machine per definition): {t_compile * 1e3:.2f} ms")
    print(f"a bare transitions.Machine for this lifecycle:   {t_machine * 1e3:.2f} ms each")
    print(f"create + issue + launch:   {t_create:.3f} s ({t_create / n * 1e6:.1f} µs each)")
    print(f"persist (to_state):        {t_persist:.3f} s")
    print(f"restore (from_state):      {t_restore:.3f} s")
    print(f"advance through a year:    {t_advance:.3f} s ({steps} transitions)")
    print(f"total create+persist+restore+advance: {total:.3f} s")
    print(
        f"triggers per second (issue, launch, calendar): {triggers / (t_create + t_advance):,.0f}"
    )
    print(f"JSON out / in (cattrs):    {t_json_out:.3f} s / {t_json_in:.3f} s")
    print(f"SQLite create, 1000 instances in :memory: (one transaction each): {t_store:.3f} s")
    print(
        f"transitions itself, the same {2 * n + steps} triggers with no guard or audit: "
        f"{t_bare:.3f} s"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
