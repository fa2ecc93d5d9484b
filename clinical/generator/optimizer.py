"""The day-by-day mixed-integer program behind generated meal plans (``scipy.optimize.milp``,
HiGHS). No database here: candidates and targets come in, chosen portions go out.

For each day and each (candidate, meal slot) pair there is an integer number of portion
steps ``n`` (5-10 g for foods, half servings for recipes) and a binary "chosen" ``y`` with
``min·y <= n <= max·y``. Constraints:

- the day's energy within ±5 % of the target and protein, fat and carbohydrate within ±10 %
  (a little tighter inside, so rounding the stored values cannot push a day out);
- each meal slot gets its share of the energy (breakfast 15-35 %, snacks 5-15 %, ...), one
  main dish in desayuno, comida and cena, a vegetable at comida, and at most so many
  cereals, fruits, fats... per slot;
- a recipe or main dish at most once a day, and none that was a main dish on either of the
  two previous days (the variety rule carried across days);
- the day's estimated cost under the budget cap.

The objective keeps each day close to the targets, cheap, Mexican (system recipes marked
traditional get a bonus) and different from the day before (a seeded random preference per
day). When a day is infeasible, the constraints are relaxed in a fixed order (variety,
budget, meal distribution, tolerances) and the plan records which one was relaxed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

from clinical.generator.catalog import CE, CM, CV, MAIN_SLOTS, C, D

MACROS = ("energy_kcal", "protein_g", "fat_g", "carbs_g")
SLOTS = (D, CM, C, CV, CE)
# The tolerances promised to the user, and the slightly tighter ones the solver works with.
TOLERANCE = {"energy_kcal": 0.05, "protein_g": 0.10, "fat_g": 0.10, "carbs_g": 0.10}
SOLVER_MARGIN = 0.6  # percentage points kept in reserve for rounding
# Share of the day's energy per slot.
SLOT_SHARE = {D: (0.15, 0.35), CM: (0.05, 0.15), C: (0.25, 0.45), CV: (0.05, 0.15), CE: (0.12, 0.30)}
# At most this many items of a role in a slot (main dishes are exactly one where they apply).
ROLE_MAX = {
    D: {"cereal": 2, "fruit": 1, "dairy": 1, "fat": 1, "veg": 1, "legume": 1},
    C: {"cereal": 2, "veg": 2, "legume": 1, "fat": 1, "dairy": 1},
    CE: {"cereal": 2, "veg": 2, "legume": 1, "fat": 1, "dairy": 1},
    CM: {"fruit": 1, "dairy": 1, "fat": 1, "veg": 1, "cereal": 1, "main": 1, "snack": 1},
    CV: {"fruit": 1, "dairy": 1, "fat": 1, "veg": 1, "cereal": 1, "main": 1, "snack": 1},
}
SLOT_ITEMS = {D: (2, 5), C: (3, 6), CE: (2, 5), CM: (1, 2), CV: (1, 2)}
ONCE_A_DAY_ROLES = {"main", "fruit", "veg", "legume", "snack"}
VARIETY_DAYS = 2
VARIETY_SLOTS = (C, CE)  # the "main dish" of the variety rule: comida and cena (and every recipe)
MIP_GAP = 0.1
PULL = {"energy_kcal": 6.0, "protein_g": 2.0, "fat_g": 2.0, "carbs_g": 2.0}
PREFER_SECONDS = 0.25  # time for the day with preferences; then any feasible day will do
RELAXATION_ORDER = ("variety", "budget", "meals", "tolerance", "tolerance_open")
# How many candidates of each "role:kind" a day's menu samples (the rest: 5).
SAMPLE_SIZES = {"main:food": 6, "main:recipe": 10, "cereal:food": 6, "veg:food": 6, "fruit:food": 6,
                "dairy:food": 4, "fat:food": 5, "legume:food": 3, "snack:recipe": 2}


@dataclass(frozen=True)
class Candidate:
    """A food or a recipe the optimiser may place: values and cost of ONE portion step."""

    key: str  # "f:<food id>" or "r:<recipe id>"
    kind: str  # "food" | "recipe"
    role: str  # main, cereal, veg, legume, fruit, dairy, fat, snack
    slots: tuple[str, ...]
    main_in: tuple[str, ...]
    values: tuple[float, float, float, float]  # kcal, protein, fat, carbs per step
    step: float  # grams (food) or servings (recipe) per step
    min_steps: int
    max_steps: int
    cost: float = 0.0  # MXN per step
    mexican: bool = False
    name: str = ""


@dataclass
class Choice:
    candidate: Candidate
    slot: str
    steps: int

    @property
    def amount(self) -> float:
        return round(self.steps * self.candidate.step, 2)

    @property
    def values(self) -> dict[str, float]:
        return {m: v * self.steps for m, v in zip(MACROS, self.candidate.values, strict=True)}

    @property
    def cost(self) -> float:
        return self.candidate.cost * self.steps


@dataclass
class DayResult:
    number: int
    choices: list[Choice]
    totals: dict[str, float]
    cost: float
    relaxed: list[str] = field(default_factory=list)
    seconds: float = 0.0


class NoPlanPossible(Exception):
    """Even with every constraint relaxed, the foods left cannot make a day (e.g. every main
    dish excluded by allergies)."""


def _is_main(c: Candidate, slot: str) -> bool:
    return slot in c.main_in


def _counts_for_variety(c: Candidate, slot: str) -> bool:
    return c.kind == "recipe" or (slot in VARIETY_SLOTS and _is_main(c, slot))


def _role(c: Candidate, slot: str) -> str:
    return "main" if _is_main(c, slot) else c.role


def solve_day(candidates: list[Candidate], targets: dict[str, float], *, forbidden: set[str], budget: float | None,
              rng: np.random.Generator, relax: set[str] = frozenset(), time_limit: float = 2.0,
              prefer: bool = True) -> list[Choice] | None:
    """One day's MILP; ``None`` when infeasible (or no solution within the time limit).

    With ``prefer`` the objective favours recipes, low cost and the day's random taste; the
    solver stops at the time limit with the best day found so far. Without it any feasible
    day will do, which HiGHS finds in a fraction of the time (the fallback)."""
    pairs = [(c, s) for c in candidates for s in c.slots
             if not ("variety" not in relax and c.key in forbidden and _counts_for_variety(c, s))]
    if not pairs:
        return None
    n_pairs = len(pairs)
    n_var = 2 * n_pairs + 2 * len(MACROS)  # n, y, then (over, under) per macro
    dev0 = 2 * n_pairs
    rows: list[tuple[dict[int, float], float, float]] = []

    def add(coeffs: dict[int, float], low: float, high: float) -> None:
        rows.append((coeffs, low, high))

    # linking n and y: min*y <= n <= max*y
    for j, (c, _s) in enumerate(pairs):
        add({j: 1.0, n_pairs + j: -float(c.max_steps)}, -np.inf, 0.0)
        add({j: 1.0, n_pairs + j: -float(c.min_steps)}, 0.0, np.inf)

    # day totals: sum(values * n) - over + under = target
    open_tolerance = "tolerance_open" in relax
    for k, macro in enumerate(MACROS):
        coeffs = {j: c.values[k] for j, (c, _s) in enumerate(pairs) if c.values[k]}
        coeffs[dev0 + 2 * k] = -1.0
        coeffs[dev0 + 2 * k + 1] = 1.0
        add(coeffs, targets[macro], targets[macro])

    kcal = targets["energy_kcal"]
    meals_relaxed = "meals" in relax
    for slot in SLOTS:
        idx = [j for j, (_c, s) in enumerate(pairs) if s == slot]
        low, high = SLOT_SHARE[slot]
        if meals_relaxed:
            low, high = low * 0.5, min(high * 1.4, 0.6)
        add({j: pairs[j][0].values[0] for j in idx}, low * kcal, high * kcal)
        lo_items, hi_items = SLOT_ITEMS[slot]
        add({n_pairs + j: 1.0 for j in idx}, lo_items if not meals_relaxed else 1, hi_items)
        if slot in MAIN_SLOTS:
            mains = [j for j in idx if _is_main(pairs[j][0], slot)]
            add({n_pairs + j: 1.0 for j in mains}, 1, 1)
        for role, most in ROLE_MAX[slot].items():
            members = [j for j in idx if _role(pairs[j][0], slot) == role]
            if members:
                add({n_pairs + j: 1.0 for j in members}, 0, most)
        if slot == C and not meals_relaxed:
            veg = [j for j in idx if pairs[j][0].role == "veg"]
            if veg:
                add({n_pairs + j: 1.0 for j in veg}, 1, np.inf)

    # once a day: recipes, main dishes, fruit, vegetables, legumes
    by_key: dict[str, list[int]] = {}
    for j, (c, s) in enumerate(pairs):
        if c.kind == "recipe" or _role(c, s) in ONCE_A_DAY_ROLES:
            by_key.setdefault(c.key, []).append(j)
    for idx in by_key.values():
        if len(idx) > 1:
            add({n_pairs + j: 1.0 for j in idx}, 0, 1)

    if budget is not None and "budget" not in relax:
        add({j: c.cost for j, (c, _s) in enumerate(pairs) if c.cost}, 0.0, budget)

    a = lil_matrix((len(rows), n_var))
    lows, highs = np.empty(len(rows)), np.empty(len(rows))
    for r, (coeffs, low, high) in enumerate(rows):
        for col, value in coeffs.items():
            a[r, col] = value
        lows[r], highs[r] = low, high

    upper = np.empty(n_var)
    lower = np.zeros(n_var)
    for j, (c, _s) in enumerate(pairs):
        upper[j] = c.max_steps
        upper[n_pairs + j] = 1
    widen = 2.0 if "tolerance" in relax else 1.0
    for k, macro in enumerate(MACROS):
        tol = max(TOLERANCE[macro] - SOLVER_MARGIN / 100, 0.01) * widen
        bound = np.inf if open_tolerance else tol * targets[macro]
        upper[dev0 + 2 * k] = upper[dev0 + 2 * k + 1] = bound

    # The tolerances are hard constraints, so the objective holds only preferences: putting
    # the distance to the targets in it as well made HiGHS spend its whole time limit proving
    # optimality without improving the day.
    cost = np.zeros(n_var)
    noise = rng.uniform(0.0, 0.6, size=n_pairs)
    if prefer:
        cap = budget or 250.0
        for j, (c, _s) in enumerate(pairs):
            cost[j] = 0.4 * c.cost / cap
            bonus = (0.25 + (0.35 if c.mexican else 0.0)) if c.kind == "recipe" else 0.0
            cost[n_pairs + j] = 0.65 + noise[j] - bonus  # kept positive so the relative gap means something
        for k, macro in enumerate(MACROS):
            # a pull towards the exact targets inside the tolerances
            cost[dev0 + 2 * k] = cost[dev0 + 2 * k + 1] = PULL[macro] / max(targets[macro], 1.0)
    integrality = np.zeros(n_var)
    integrality[: 2 * n_pairs] = 1

    result = milp(
        cost, integrality=integrality, bounds=Bounds(lower, upper),
        constraints=LinearConstraint(a.tocsr(), lows, highs),
        options={"time_limit": time_limit, "mip_rel_gap": MIP_GAP, "presolve": True},
    )
    if result.x is None or result.status not in (0, 1):
        return None
    x = result.x
    choices = []
    for j, (c, s) in enumerate(pairs):
        steps = int(round(x[j]))
        if round(x[n_pairs + j]) >= 1 and steps > 0:
            choices.append(Choice(candidate=c, slot=s, steps=steps))
    return choices


def sample(candidates: list[Candidate], forbidden: set[str], rng: np.random.Generator) -> list[Candidate]:
    """A random menu for one day: a few candidates of each role (main dishes that are not
    forbidden, cereals, vegetables...). A smaller program solves in a fraction of the time,
    and a different menu each day is what makes days differ."""
    by_role: dict[str, list[Candidate]] = {}
    for c in candidates:
        if c.key in forbidden and (c.kind == "recipe" or not set(c.slots) - set(VARIETY_SLOTS)):
            continue  # nothing left for it to do today
        by_role.setdefault(f"{c.role}:{c.kind}", []).append(c)
    out = []
    for group, members in by_role.items():
        keep = SAMPLE_SIZES.get(group, 5)
        if len(members) > keep:
            members = [members[i] for i in sorted(rng.choice(len(members), size=keep, replace=False))]
        out.extend(members)
    return out


def plan_days(candidates: list[Candidate], targets: dict[str, float], *, days: int, budget: float | None,
              seed: int, time_limit: float = 1.0) -> list[DayResult]:
    """Every day of the plan, solved one after the other with the variety rule carried over.
    Each day first tries a sampled menu, then every candidate, then relaxes constraints in
    ``RELAXATION_ORDER``. Raises ``NoPlanPossible`` when a day cannot be made at all."""
    rng = np.random.default_rng(seed)
    history: list[set[str]] = []
    out = []
    for number in range(1, days + 1):
        started = time.perf_counter()
        forbidden = set().union(*history[-VARIETY_DAYS:]) if history else set()
        relaxed: list[str] = []
        menu = sample(candidates, forbidden, rng)
        choices = solve_day(menu, targets, forbidden=forbidden, budget=budget, rng=rng, time_limit=PREFER_SECONDS)
        if choices is None:
            choices = solve_day(menu, targets, forbidden=forbidden, budget=budget, rng=rng, time_limit=time_limit,
                                prefer=False)
        if choices is None:
            choices = solve_day(candidates, targets, forbidden=forbidden, budget=budget, rng=rng,
                                time_limit=time_limit, prefer=False)
        for step in RELAXATION_ORDER:
            if choices is not None:
                break
            relaxed.append(step)
            # a fresh random menu first, so relaxed days do not all come out the same
            for pool in (sample(candidates, set() if "variety" in relaxed else forbidden, rng), candidates):
                choices = solve_day(pool, targets, forbidden=forbidden, budget=budget, rng=rng,
                                    relax=set(relaxed), time_limit=time_limit, prefer=False)
                if choices is not None:
                    break
        if choices is None:
            raise NoPlanPossible()
        totals = {m: round(sum(ch.values[m] for ch in choices), 1) for m in MACROS}
        history.append({ch.candidate.key for ch in choices if _counts_for_variety(ch.candidate, ch.slot)})
        out.append(DayResult(number=number, choices=choices, totals=totals,
                             cost=round(sum(ch.cost for ch in choices), 2), relaxed=relaxed,
                             seconds=round(time.perf_counter() - started, 3)))
    return out


def within_tolerance(totals: dict[str, float], targets: dict[str, float]) -> dict[str, bool]:
    """``{macro: True}`` when the day total is within the promised tolerance of its target."""
    return {m: abs(totals[m] - targets[m]) <= TOLERANCE[m] * targets[m] + 1e-6 for m in MACROS}
