"""The shipped typical-commune's 34 criteria and its 2 selection prerequisites, written by
hand: a table of parts (one per clause of each condition, with the parameter values of
rulesets/typical-commune.yaml and typical-prerequisites.yaml written in), from which
the benchmark draws boundary-valued units, a reference check per criterion, and the
expressions of the GoRules ZEN decision model; and ``make_hand``, the same conditions as
one plain Python function (the floor), checked against the table on every unit.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

Evidence = dict[str, Any]


@attrs.frozen
class Levels:
    """An ordered enumeration: level ids best first, and every spelling of each level
    (id, Vietnamese and English labels, aliases)."""

    ids: tuple[str, ...]
    spellings: dict[str, tuple[str, ...]]

    def at_or_above(self, floor: str) -> tuple[str, ...]:
        """Every spelling of the levels at or above ``floor``."""
        ok = self.ids[: self.ids.index(floor) + 1]
        return tuple(s for level in ok for s in self.spellings[level])

    def around(self, floor: str, rng: random.Random) -> str:
        """A spelling of the level just above, at or just below ``floor``."""
        i = self.ids.index(floor)
        level = rng.choice(self.ids[max(0, i - 1) : i + 2])
        return rng.choice(self.spellings[level])


def _pick(rng: random.Random, values: Sequence[int], lo: int = 0, hi: int | None = None) -> int:
    return rng.choice([v for v in values if v >= lo and (hi is None or v <= hi)])


@attrs.frozen
class B:
    """An attestation: ``fact`` is true (true in nine units out of ten)."""

    fact: str

    def py(self, e: Evidence) -> bool:
        return e[self.fact] is True

    def zen(self) -> str:
        return f"{self.fact} == true"

    def vary(self, u: Evidence, rng: random.Random) -> None:
        u[self.fact] = rng.random() < 0.9

    @property
    def facts(self) -> tuple[str, ...]:
        return (self.fact,)


@attrs.frozen
class GE:
    """A count against a minimum: ``fact >= n`` (at most ``hi``)."""

    fact: str
    n: int
    hi: int | None = None

    def py(self, e: Evidence) -> bool:
        return e[self.fact] >= self.n

    def zen(self) -> str:
        return f"{self.fact} >= {self.n}"

    def vary(self, u: Evidence, rng: random.Random) -> None:
        u[self.fact] = _pick(rng, (self.n - 1, self.n, self.n + 1), hi=self.hi)

    @property
    def facts(self) -> tuple[str, ...]:
        return (self.fact,)


@attrs.frozen
class Z(GE):
    """A count that must be zero: ``fact == 0``."""

    n: int = 0

    def py(self, e: Evidence) -> bool:
        return e[self.fact] == 0

    def zen(self) -> str:
        return f"{self.fact} == 0"


@attrs.frozen
class All:
    """A 100% written on counts: ``total * 100% <= done <= total``."""

    total: str
    done: str
    lo: int = 0

    def py(self, e: Evidence) -> bool:
        return e[self.total] * Decimal(1) <= e[self.done] <= e[self.total]

    def zen(self) -> str:
        return f"{self.done} >= {self.total} and {self.done} <= {self.total}"

    def vary(self, u: Evidence, rng: random.Random) -> None:
        t = rng.randint(self.lo, 40)
        u[self.total] = t
        u[self.done] = _pick(rng, (t - 1, t, t + 1))

    @property
    def facts(self) -> tuple[str, ...]:
        return (self.total, self.done)


@attrs.frozen
class Q1:
    """A date in the first quarter of the assessment year."""

    fact: str

    def py(self, e: Evidence) -> bool:
        d = date.fromisoformat(e[self.fact])
        return d.year == e["assessment_year"] and (d.month - 1) // 3 + 1 <= 1

    def zen(self) -> str:
        f = self.fact
        return f"d({f}).year() == assessment_year and d({f}).quarter() <= 1"

    def vary(self, u: Evidence, rng: random.Random) -> None:
        y = u["assessment_year"]
        days = (f"{y - 1}-12-31", f"{y}-01-01", f"{y}-03-31", f"{y}-04-01", f"{y}-02-15")
        u[self.fact] = rng.choice(days)

    @property
    def facts(self) -> tuple[str, ...]:
        return (self.fact,)


@attrs.frozen
class Rank:
    """An ordered rating at or above a floor: ``fact >= floor``."""

    fact: str
    levels: Levels
    floor: str

    def py(self, e: Evidence) -> bool:
        return e[self.fact] in self.levels.at_or_above(self.floor)

    def zen(self) -> str:
        return (
            f"{self.fact} in {json.dumps(self.levels.at_or_above(self.floor), ensure_ascii=False)}"
        )

    def vary(self, u: Evidence, rng: random.Random) -> None:
        u[self.fact] = self.levels.around(self.floor, rng)

    @property
    def facts(self) -> tuple[str, ...]:
        return (self.fact,)


@attrs.frozen
class AllRank:
    """At least one record, and every record's rating at or above a floor (criterion 6)."""

    fact: str
    field: str
    levels: Levels
    floor: str
    names: tuple[str, ...]

    def py(self, e: Evidence) -> bool:
        ok = self.levels.at_or_above(self.floor)
        return len(e[self.fact]) > 0 and all(r[self.field] in ok for r in e[self.fact])

    def zen(self) -> str:
        ok = json.dumps(self.levels.at_or_above(self.floor), ensure_ascii=False)
        return f"len({self.fact}) > 0 and all({self.fact}, #.{self.field} in {ok})"

    def vary(self, u: Evidence, rng: random.Random) -> None:
        n = rng.choice((0, 1, len(self.names)))
        u[self.fact] = [
            {"name": name, self.field: self.levels.around(self.floor, rng)}
            for name in self.names[:n]
        ]

    @property
    def facts(self) -> tuple[str, ...]:
        return (self.fact,)


@attrs.frozen
class Custom:
    """A clause written out: its check, its ZEN expression, its boundary values."""

    facts: tuple[str, ...]
    check: Callable[[Evidence], bool]
    expression: str
    draw: Callable[[Evidence, random.Random], None]

    def py(self, e: Evidence) -> bool:
        return self.check(e)

    def zen(self) -> str:
        return self.expression

    def vary(self, u: Evidence, rng: random.Random) -> None:
        self.draw(u, rng)


def _draw_crimes(u: Evidence, rng: random.Random) -> None:  # 18: at most 95% of last year
    p = rng.choice((0, 1, rng.randint(2, 60)))
    m = p * 95 // 100
    u["crimes_social_order_previous_year"] = p
    u["crimes_social_order"] = _pick(rng, (m - 1, m, m + 1))


def _drugs_ok(e: Evidence) -> bool:  # 19: 20% fewer above 10 addicts, else 2 fewer
    a, p = e["drug_addicts"], e["drug_addicts_previous_year"]
    limit = p * (1 - Decimal("0.2")) if p > 10 else max(p - 2, 0)
    return a == 0 or a <= limit


def _draw_drugs(u: Evidence, rng: random.Random) -> None:
    p = rng.choice((0, 1, 2, 3, 9, 10, 11, rng.randint(12, 40)))
    m = p * 4 // 5 if p > 10 else max(p - 2, 0)
    u["drug_addicts_previous_year"] = p
    u["drug_addicts"] = _pick(rng, (0, m - 1, m, m + 1))


def _draw_reoffenders(u: Evidence, rng: random.Random) -> None:  # 29: under 1.5%
    n = rng.choice((0, 66, 67, 133, 134, 200, rng.randint(1, 300)))
    c = -(-n * 15 // 1000)  # the smallest count at or over 1.5%
    u["amnestied_or_released_persons"] = n
    u["amnestied_or_released_reoffenders"] = _pick(rng, (0, c - 1, c, c + 1))


def _draw_safe(u: Evidence, rng: random.Random) -> None:  # prerequisite 1
    u["safe_standard_achieved"] = rng.random() < 0.9
    u["safe_standard_year"] = u["assessment_year"] + rng.choice((-2, -1, 0, 1))


CRIMES = Custom(
    ("crimes_social_order", "crimes_social_order_previous_year"),
    lambda e: e["crimes_social_order"] <= e["crimes_social_order_previous_year"] * Decimal("0.95"),
    "crimes_social_order * 100 <= crimes_social_order_previous_year * 95",
    _draw_crimes,
)
DRUGS = Custom(
    ("drug_addicts", "drug_addicts_previous_year"),
    _drugs_ok,
    "drug_addicts == 0 or (drug_addicts_previous_year > 10"
    " ? drug_addicts * 5 <= drug_addicts_previous_year * 4"
    " : drug_addicts <= max([drug_addicts_previous_year - 2, 0]))",
    _draw_drugs,
)
REOFFENDERS = Custom(
    ("amnestied_or_released_persons", "amnestied_or_released_reoffenders"),
    lambda e: (
        e["amnestied_or_released_reoffenders"] == 0
        or e["amnestied_or_released_reoffenders"]
        < e["amnestied_or_released_persons"] * Decimal("0.015")
    ),
    "amnestied_or_released_reoffenders == 0"
    " or amnestied_or_released_reoffenders * 1000 < amnestied_or_released_persons * 15",
    _draw_reoffenders,
)
SAFE = Custom(
    ("safe_standard_achieved", "safe_standard_year"),
    lambda e: (
        e["safe_standard_achieved"] is True
        and e["assessment_year"] - 1 <= e["safe_standard_year"] <= e["assessment_year"]
    ),
    "safe_standard_achieved == true and safe_standard_year >= assessment_year - 1"
    " and safe_standard_year <= assessment_year",
    _draw_safe,
)

Part = B | GE | All | Q1 | Rank | AllRank | Custom


def table(levels: dict[str, Levels], org_names: tuple[str, ...]) -> list[tuple[str, list[Part]]]:
    """(name, clauses) of the 34 criteria (``"1"`` … ``"34"``) and the two prerequisites
    (``"p1"``, ``"p2"``); a criterion is met when all its clauses hold."""
    task, title, mass, movement = (
        levels[k]
        for k in ("task_rating", "collective_title", "mass_organisation_rating", "movement_class")
    )
    bools = lambda *names: [B(n) for n in names]  # noqa: E731
    zeros = lambda *names: [Z(n) for n in names]  # noqa: E731
    topics = (
        "crime_suppression_peaks",
        "fire_prevention",
        "models_and_examples",
        "movement_launch",
    )
    days = ("national_security_day", "fire_prevention_day", "drug_action_month", "anti_drug_day",
            "anti_trafficking_day", "world_environment_day", "traffic_safety_month")  # fmt: skip
    return [
        ("1", bools("directives_disseminated_to_all_subunits")),
        (
            "2",
            [
                Q1("party_committee_resolution_date"),
                Q1("peoples_committee_plan_date"),
                Q1("steering_committee_programme_date"),
                *bools(*(f"topic_{t}_deployed" for t in topics), "topics_all_deployed"),
            ],
        ),
        ("3", [B("annual_movement_conference_held"), GE("good_practices", 1)]),
        ("4", bools("movement_resources_support_adequate")),
        (
            "5",
            [
                B("citizen_reception_schedule_posted"),
                GE("citizen_reception_months_held", 12, 12),
                B("citizen_reception_ad_hoc_held"),
                Z("complaints_backlog"),
                *zeros("complaints_protracted"),
            ],
        ),
        (
            "6",
            [
                Rank("party_committee_rating", task, "good"),
                Rank("peoples_committee_title", title, "advanced_collective"),
                AllRank("socio_political_organisations", "rating", mass, "good", org_names),
                *zeros("commune_officials_violating_or_disciplined"),
            ],
        ),
        ("7", [GE("movement_awards_to_residents_and_officials", 1)]),
        (
            "8",
            bools(*(f"steering_committee_{s}" for s in ("consolidated", "has_rules", "effective"))),
        ),
        ("9", [B("official_awareness_work_effective"), GE("legal_dissemination_sessions", 1)]),
        ("10", bools(*(f"observance_{d}_held" for d in days), "local_emulation_movements_held")),
        (
            "11",
            [
                B("core_security_forces_consolidated"),
                *zeros("core_security_force_members_violating_or_disciplined"),
            ],
        ),
        (
            "12",
            [
                B("police_front_coordination_plan"),
                GE("coordination_briefing_months", 12, 12),
                *bools("coordination_half_year_review_held", "coordination_annual_review_held"),
            ],
        ),
        ("13", [GE("dan_van_kheo_models", 1), GE("movement_models", 1)]),
        (
            "14",
            [
                B("movement_awards_proposed_timely"),
                GE("certificates_of_merit", 1),
                GE("commendations", 2),
                GE("typical_examples", 1),
            ],
        ),
        ("15", [Rank("movement_class", movement, "excellent")]),
        ("16", zeros("complex_hotspots")),
        ("17", zeros("complex_security_incidents", "gang_style_crime_cases", "black_credit_cases")),
        ("18", [CRIMES]),
        ("19", [DRUGS, *zeros("new_or_relapsed_drug_addicts", "drug_plant_cases")]),
        (
            "20",
            [
                B("fire_safety_propaganda_conducted"),
                Z("serious_fire_explosion_incidents"),
                All("fire_managed_facilities", "fire_managed_facilities_with_files"),
            ],
        ),
        ("21", zeros("serious_traffic_accidents_by_residents", "illegal_racing_incidents")),
        ("22", zeros("complex_resource_environment_food_cases")),
        ("23", zeros("economic_corruption_smuggling_crimes")),
        ("24", zeros("residents_complaint_abuse_incidents")),
        ("25", bools("police_security_programme_exists", "police_security_programme_effective")),
        ("26", [All("residential_units", "residential_units_inspected", lo=1)]),
        ("27", [GE("core_force_training_activities", 1)]),
        (
            "28",
            bools(
                "conditional_business_and_weapons_management_good",
                "residence_and_foreigners_management_good",
            )
            + bools("citizen_id_management_good", "population_data_correct_complete_clean_live")
            + bools("admin_reform_and_project_06_guidance"),
        ),
        (
            "29",
            [
                B("managed_persons_supervision_good"),
                All("managed_persons", "managed_persons_with_files"),
                B("managed_persons_software_updated"),
                REOFFENDERS,
            ],
        ),
        ("30", [B("police_duty_organised"), All("crime_reports", "crime_reports_handled")]),
        (
            "31",
            [
                B("police_regulations_and_conduct_observed"),
                GE("police_admin_improvement_initiatives", 1),
            ],
        ),
        (
            "32",
            zeros(
                "public_complaints_about_police_conduct",
                "police_officers_disciplined_security_work",
            ),
        ),
        ("33", bools("police_premises_adequate", "police_cultural_exemplary_unit")),
        (
            "34",
            [
                Rank("police_unit_rating", task, "good"),
                Rank("police_party_cell_rating", task, "good"),
                All("police_officers", "police_officers_rated_good_or_better", lo=1),
            ],
        ),
        ("p1", [SAFE]),
        ("p2", [Rank("movement_class", movement, "good")]),
    ]


def make_hand(levels: dict[str, Levels]) -> Callable[[Evidence], tuple[bool, ...]]:
    """The floor: the 34 criteria and 2 prerequisites as one plain Python function (exact
    integer arithmetic for the percentages, ISO date strings compared as text)."""
    task_ok = frozenset(levels["task_rating"].at_or_above("good"))
    title_ok = frozenset(levels["collective_title"].at_or_above("advanced_collective"))
    mass_ok = frozenset(levels["mass_organisation_rating"].at_or_above("good"))
    class_top = frozenset(levels["movement_class"].at_or_above("excellent"))
    class_ok = frozenset(levels["movement_class"].at_or_above("good"))

    def hand(e: Evidence) -> tuple[bool, ...]:
        y = e["assessment_year"]
        ys = str(y)
        d1 = e["party_committee_resolution_date"]
        d2 = e["peoples_committee_plan_date"]
        d3 = e["steering_committee_programme_date"]
        orgs = e["socio_political_organisations"]
        dp = e["drug_addicts_previous_year"]
        da = e["drug_addicts"]
        re = e["amnestied_or_released_reoffenders"]
        return (
            e["directives_disseminated_to_all_subunits"] is True,
            d1[:4] == ys and d1[5:7] <= "03" and d2[:4] == ys and d2[5:7] <= "03"
            and d3[:4] == ys and d3[5:7] <= "03"
            and e["topic_crime_suppression_peaks_deployed"] is True
            and e["topic_fire_prevention_deployed"] is True
            and e["topic_models_and_examples_deployed"] is True
            and e["topic_movement_launch_deployed"] is True
            and e["topics_all_deployed"] is True,
            e["annual_movement_conference_held"] is True and e["good_practices"] >= 1,
            e["movement_resources_support_adequate"] is True,
            e["citizen_reception_schedule_posted"] is True
            and e["citizen_reception_months_held"] >= 12
            and e["citizen_reception_ad_hoc_held"] is True
            and e["complaints_backlog"] == 0 and e["complaints_protracted"] == 0,
            e["party_committee_rating"] in task_ok
            and e["peoples_committee_title"] in title_ok
            and len(orgs) > 0 and all(o["rating"] in mass_ok for o in orgs)
            and e["commune_officials_violating_or_disciplined"] == 0,
            e["movement_awards_to_residents_and_officials"] >= 1,
            e["steering_committee_consolidated"] is True
            and e["steering_committee_has_rules"] is True
            and e["steering_committee_effective"] is True,
            e["official_awareness_work_effective"] is True and e["legal_dissemination_sessions"] >= 1,
            e["observance_national_security_day_held"] is True
            and e["observance_fire_prevention_day_held"] is True
            and e["observance_drug_action_month_held"] is True
            and e["observance_anti_drug_day_held"] is True
            and e["observance_anti_trafficking_day_held"] is True
            and e["observance_world_environment_day_held"] is True
            and e["observance_traffic_safety_month_held"] is True
            and e["local_emulation_movements_held"] is True,
            e["core_security_forces_consolidated"] is True
            and e["core_security_force_members_violating_or_disciplined"] == 0,
            e["police_front_coordination_plan"] is True and e["coordination_briefing_months"] >= 12
            and e["coordination_half_year_review_held"] is True
            and e["coordination_annual_review_held"] is True,
            e["dan_van_kheo_models"] >= 1 and e["movement_models"] >= 1,
            e["movement_awards_proposed_timely"] is True and e["certificates_of_merit"] >= 1
            and e["commendations"] >= 2 and e["typical_examples"] >= 1,
            e["movement_class"] in class_top,
            e["complex_hotspots"] == 0,
            e["complex_security_incidents"] == 0 and e["gang_style_crime_cases"] == 0
            and e["black_credit_cases"] == 0,
            e["crimes_social_order"] * 100 <= e["crimes_social_order_previous_year"] * 95,
            (da == 0 or (da * 5 <= dp * 4 if dp > 10 else da <= max(dp - 2, 0)))
            and e["new_or_relapsed_drug_addicts"] == 0 and e["drug_plant_cases"] == 0,
            e["fire_safety_propaganda_conducted"] is True
            and e["serious_fire_explosion_incidents"] == 0
            and e["fire_managed_facilities"] == e["fire_managed_facilities_with_files"],
            e["serious_traffic_accidents_by_residents"] == 0 and e["illegal_racing_incidents"] == 0,
            e["complex_resource_environment_food_cases"] == 0,
            e["economic_corruption_smuggling_crimes"] == 0,
            e["residents_complaint_abuse_incidents"] == 0,
            e["police_security_programme_exists"] is True
            and e["police_security_programme_effective"] is True,
            e["residential_units"] == e["residential_units_inspected"],
            e["core_force_training_activities"] >= 1,
            e["conditional_business_and_weapons_management_good"] is True
            and e["residence_and_foreigners_management_good"] is True
            and e["citizen_id_management_good"] is True
            and e["population_data_correct_complete_clean_live"] is True
            and e["admin_reform_and_project_06_guidance"] is True,
            e["managed_persons_supervision_good"] is True
            and e["managed_persons"] == e["managed_persons_with_files"]
            and e["managed_persons_software_updated"] is True
            and (re == 0 or re * 1000 < e["amnestied_or_released_persons"] * 15),
            e["police_duty_organised"] is True and e["crime_reports"] == e["crime_reports_handled"],
            e["police_regulations_and_conduct_observed"] is True
            and e["police_admin_improvement_initiatives"] >= 1,
            e["public_complaints_about_police_conduct"] == 0
            and e["police_officers_disciplined_security_work"] == 0,
            e["police_premises_adequate"] is True and e["police_cultural_exemplary_unit"] is True,
            e["police_unit_rating"] in task_ok and e["police_party_cell_rating"] in task_ok
            and e["police_officers"] == e["police_officers_rated_good_or_better"],
            e["safe_standard_achieved"] is True and y - 1 <= e["safe_standard_year"] <= y,
            e["movement_class"] in class_ok,
        )  # fmt: skip

    return hand
