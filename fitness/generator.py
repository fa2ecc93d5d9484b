"""The deterministic weekly workout generator (no database, no network).

Input: goal, level, the weekdays the person can train, the equipment they have and the
length of a session. Output: a :class:`PlanDraft` whose sessions hold warm-up, main block,
optional metabolic finisher and cool-down, each exercise with sets × reps (or seconds, or
minutes) and rest. The same input always gives the same plan.

Rules, and why:

- Split by strength days: full body for 1–3 (each muscle twice or more a week), upper/lower
  for 4, push/pull/legs + upper/lower for 5, push/pull/legs twice for 6.
- Conditioning days by goal (fat loss and fitness get the most; muscle gain the fewest, to
  keep recovery for lifting), spread between strength days. Beginners get steady cardio, not
  HIIT: intervals come after a base of consistent training.
- Volume grows with level: sets 2/3/4 and longer holds and intervals; rest by goal (longer
  for hypertrophy). Fat loss and fitness sessions of 40 min or more end with a finisher.
- Only exercises whose every piece of equipment the person has, at or below their level.
- Days not chosen are rest days (a plan has at most 6 sessions).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "exercises.csv"

LEVELS = ("principiante", "intermedio", "avanzado")
LEVEL_RANK = {name: i for i, name in enumerate(LEVELS)}
GOALS = ("perder_grasa", "ganar_musculo", "condicion_fisica", "salud_general")
EQUIPMENT = (
    "ninguno", "mancuernas", "banda_elastica", "barra", "banco", "barra_dominadas", "kettlebell", "maquina",
    "tapete", "cuerda", "bicicleta_estacionaria", "caminadora", "eliptica",
)
MIN_MINUTES, MAX_MINUTES = 15, 120
MAX_DAYS = 6

# Conditioning (cardio or HIIT) sessions in a week of n training days, by goal.
CONDITIONING = {
    "perder_grasa": {1: 0, 2: 0, 3: 1, 4: 2, 5: 2, 6: 3},
    "ganar_musculo": {1: 0, 2: 0, 3: 0, 4: 0, 5: 1, 6: 1},
    "condicion_fisica": {1: 0, 2: 1, 3: 1, 4: 2, 5: 2, 6: 3},
    "salud_general": {1: 0, 2: 0, 3: 1, 4: 2, 5: 2, 6: 3},
}

SPLITS = {
    1: ["cuerpo_completo"],
    2: ["cuerpo_completo", "cuerpo_completo"],
    3: ["cuerpo_completo", "cuerpo_completo", "cuerpo_completo"],
    4: ["tren_superior", "tren_inferior", "tren_superior", "tren_inferior"],
    5: ["empuje", "traccion", "pierna", "tren_superior", "tren_inferior"],
    6: ["empuje", "traccion", "pierna", "empuje", "traccion", "pierna"],
}

# Movement slots filled in order while the session has time. Full body rotates A/B/C.
SLOTS = {
    "cuerpo_completo": [
        ["sentadilla", "empuje_h", "traccion_h", "bisagra", "empuje_v", "core", "zancada", "biceps", "triceps",
         "gluteo", "pantorrilla"],
        ["bisagra", "empuje_v", "traccion_v", "zancada", "empuje_h", "core", "gluteo", "traccion_h", "triceps",
         "biceps", "pantorrilla"],
        ["zancada", "empuje_h", "traccion_v", "gluteo", "empuje_v", "core", "sentadilla", "traccion_h", "hombro",
         "biceps", "triceps"],
    ],
    "tren_superior": [["empuje_h", "traccion_h", "empuje_v", "traccion_v", "hombro", "biceps", "triceps", "core",
                       "empuje_h", "traccion_h"]],
    "tren_inferior": [["sentadilla", "bisagra", "zancada", "gluteo", "cuadriceps", "femoral", "pantorrilla", "core",
                       "sentadilla", "bisagra"]],
    "empuje": [["empuje_h", "empuje_v", "empuje_h", "hombro", "triceps", "core", "triceps", "empuje_v"]],
    "traccion": [["traccion_v", "traccion_h", "traccion_h", "hombro", "biceps", "core", "biceps", "traccion_v"]],
    "pierna": [["sentadilla", "bisagra", "zancada", "gluteo", "cuadriceps", "femoral", "pantorrilla", "core",
                "sentadilla"]],
}
LOWER_FOCUS = {"tren_inferior", "pierna"}
UPPER_FOCUS = {"tren_superior", "empuje", "traccion"}

BASE_SETS = {"principiante": 2, "intermedio": 3, "avanzado": 4}
HOLD_EXTRA = {"principiante": 0, "intermedio": 10, "avanzado": 20}  # seconds added to holds
REPS_EXTRA = {"perder_grasa": 3, "ganar_musculo": 0, "condicion_fisica": 2, "salud_general": 0}
REST = {"perder_grasa": 45, "ganar_musculo": 90, "condicion_fisica": 45, "salud_general": 60}
BEGINNER_EXTRA_REST = 15
# HIIT work/rest seconds by level (beginners see these only in finishers on low-impact moves).
INTERVALS = {"principiante": (20, 40), "intermedio": (30, 30), "avanzado": (40, 20)}
SECONDS_PER_REP = 3  # a controlled tempo, about 1 s up and 2 s down
SETUP_SECONDS = 30  # moving between exercises, picking the weights
ROUND_REST = 60  # between HIIT rounds
MIN_MAIN_EXERCISES = 2
FINISHER_GOALS = {"perder_grasa", "condicion_fisica"}
FINISHER_MIN_SESSION = 40
FINISHER_MINUTES = 6
MAX_HIIT_SECONDS = 24 * 60  # longer interval blocks add fatigue more than fitness
MAX_ROUNDS = 8
MAX_MAIN_EXERCISES = 10
NICE_REPS = (5, 6, 8, 10, 12, 15, 20, 25, 30)

# Activities of nutrition's MET table a session may be logged as, by session kind; the one
# with the MET closest to the session's own average wins.
LOG_ACTIVITIES = {
    "fuerza": ("02054", "02022", "02050", "02020"),
    "hiit": ("02040", "02020", "03021", "03020", "02022"),
    "cardio": ("17200", "03020", "03015", "12020", "12030", "17210", "02017", "02012", "02048", "17133"),
}


@dataclass(frozen=True)
class ExerciseSpec:
    """An exercise as the generator sees it (a catalogue row or an ``Exercise`` instance)."""

    code: str
    type: str
    role: str
    pattern: str
    equipment: tuple[str, ...]
    level: str
    met: float
    sets: int
    reps: int | None
    seconds: int | None
    minutes: int | None
    compendium_code: str = ""
    name: str = ""

    @property
    def needs(self) -> set[str]:
        return {e for e in self.equipment if e != "ninguno"}


@dataclass
class ItemDraft:
    exercise: ExerciseSpec
    block: str
    sets: int = 1
    reps: int | None = None
    work_seconds: int | None = None
    minutes: int | None = None
    rest_seconds: int = 0

    @property
    def seconds(self) -> int:
        """Time the item takes, rests included."""
        if self.minutes:
            return self.minutes * 60
        work = self.work_seconds if self.work_seconds else (self.reps or 0) * SECONDS_PER_REP
        setup = SETUP_SECONDS if self.block in ("principal", "final") and not self.minutes else 0
        return self.sets * (work + self.rest_seconds) + setup


@dataclass
class SessionDraft:
    day_number: int
    weekday: int
    focus: str
    variant: int
    items: list[ItemDraft] = field(default_factory=list)

    @property
    def seconds(self) -> int:
        return sum(i.seconds for i in self.items)

    @property
    def minutes(self) -> int:
        return max(1, round(self.seconds / 60))

    @property
    def met(self) -> float:
        """Time-weighted mean MET of the session (rests inside an item are part of the MET
        the Compendium measured for that kind of training)."""
        total = self.seconds
        if not total:
            return 1.0
        return round(sum(i.exercise.met * i.seconds for i in self.items) / total, 2)

    @property
    def kind(self) -> str:
        return {"cardio": "cardio", "hiit": "hiit"}.get(self.focus, "fuerza")


@dataclass
class PlanDraft:
    goal: str
    level: str
    weekdays: list[int]
    equipment: list[str]
    session_minutes: int
    sessions: list[SessionDraft]


# ---------------------------------------------------------------------------------------
# catalogue


def catalogue_rows(path: Path = DATA_FILE) -> list[dict]:
    """The rows of ``data/exercises.csv`` as dicts with typed values."""

    def _int(value):
        return int(value) if str(value or "").strip() else None

    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            rows.append({
                "code": row["code"].strip(),
                "name_es": row["name_es"].strip(),
                "name_en": row["name_en"].strip(),
                "type": row["type"].strip(),
                "role": row["role"].strip(),
                "pattern": row["pattern"].strip(),
                "muscles": [m for m in row["muscles"].split(";") if m],
                "equipment": [e for e in row["equipment"].split(";") if e],
                "level": row["level"].strip(),
                "met": float(row["met"]),
                "compendium_code": row["compendium_code"].strip(),
                "sets": _int(row["sets"]) or 1,
                "reps": _int(row["reps"]),
                "seconds": _int(row["seconds"]),
                "minutes": _int(row["minutes"]),
                "instructions_es": row["instructions_es"].strip(),
            })
    return rows


def spec_of(obj) -> ExerciseSpec:
    """An :class:`ExerciseSpec` from a catalogue dict or an ``Exercise`` model instance."""
    get = obj.get if isinstance(obj, dict) else lambda k: getattr(obj, k)
    return ExerciseSpec(
        code=get("code"), type=get("type"), role=get("role"), pattern=get("pattern"),
        equipment=tuple(get("equipment") or ("ninguno",)), level=get("level"), met=float(get("met")),
        sets=get("sets") or 1, reps=get("reps"), seconds=get("seconds"), minutes=get("minutes"),
        compendium_code=get("compendium_code") or "", name=get("name_es") or "",
    )


def catalogue_specs(path: Path = DATA_FILE) -> list[ExerciseSpec]:
    return [spec_of(row) for row in catalogue_rows(path)]


# ---------------------------------------------------------------------------------------
# the generator


class _Picker:
    """Chooses exercises the person can do, rotating choices across sessions for variety."""

    def __init__(self, catalogue: list[ExerciseSpec], *, level: str, equipment: set[str]):
        rank = LEVEL_RANK[level]
        self.usable = [
            e for e in catalogue if e.needs <= equipment and LEVEL_RANK.get(e.level, 99) <= rank
        ]
        # Hardest suitable first (up to the person's level), loaded before body weight, then code.
        self.usable.sort(key=lambda e: (-LEVEL_RANK[e.level], -len(e.needs), e.code))

    def candidates(self, *, role: str, pattern: str | None = None, type_: str | None = None) -> list[ExerciseSpec]:
        return [
            e for e in self.usable
            if e.role == role and (pattern is None or e.pattern == pattern) and (type_ is None or e.type == type_)
        ]

    @staticmethod
    def rotate(options: list[ExerciseSpec], offset: int, used: set[str]) -> ExerciseSpec | None:
        fresh = [e for e in options if e.code not in used]
        if not fresh:
            return None
        return fresh[offset % len(fresh)]


def _split_seconds(total: int, parts: int) -> int:
    """Seconds per part, rounded to 5 s."""
    return max(15, int(round(total / max(parts, 1) / 5.0)) * 5)


def _warmup(picker: _Picker, focus: str, level: str, seconds: int) -> list[ItemDraft]:
    pool = picker.candidates(role="calentamiento")
    by_code = {e.code: e for e in pool}
    pulse = "cal_saltos_suaves" if level != "principiante" and focus not in ("cardio",) else "cal_marcha"
    if focus in LOWER_FOCUS:
        wanted = [pulse, "cal_sentadilla_activacion", "cal_rotacion_cadera", "cal_zancada_rotacion", "cal_buenos_dias"]
    elif focus in UPPER_FOCUS:
        wanted = [pulse, "cal_circulos_brazos", "cal_banda_hombros", "cal_gato_vaca", "cal_rotacion_cadera"]
    else:
        wanted = [pulse, "cal_sentadilla_activacion", "cal_circulos_brazos", "cal_rotacion_cadera",
                  "cal_zancada_rotacion", "cal_gato_vaca"]
    chosen = [by_code[c] for c in wanted if c in by_code]
    if not chosen:
        chosen = pool[:3]
    count = 3 if seconds < 360 else 4
    chosen = chosen[:count]
    each = _split_seconds(seconds, len(chosen))
    return [ItemDraft(exercise=e, block="calentamiento", sets=1, work_seconds=each) for e in chosen]


def _cooldown(picker: _Picker, focus: str, seconds: int) -> list[ItemDraft]:
    pool = picker.candidates(role="enfriamiento")
    by_code = {e.code: e for e in pool}
    if focus in LOWER_FOCUS or focus in ("cardio",):
        wanted = ["est_cuadriceps", "est_isquios", "est_figura4", "est_pantorrilla", "est_postura_nino"]
    elif focus in UPPER_FOCUS:
        wanted = ["est_pecho_pared", "est_hombro_triceps", "est_postura_nino", "est_isquios"]
    else:
        wanted = ["est_cuadriceps", "est_isquios", "est_pecho_pared", "est_postura_nino", "est_figura4"]
    chosen = [by_code[c] for c in wanted if c in by_code]
    count = 3 if seconds < 300 else 4
    chosen = chosen[:count]
    each = _split_seconds(seconds, len(chosen))
    return [ItemDraft(exercise=e, block="enfriamiento", sets=1, work_seconds=each) for e in chosen]


def _nice_reps(value: int) -> int:
    """Round up to a number people use (13 -> 15, 11 -> 12)."""
    return next((n for n in NICE_REPS if n >= value), value)


def _strength_item(ex: ExerciseSpec, *, goal: str, level: str) -> ItemDraft:
    sets = BASE_SETS[level]
    rest = REST[goal] + (BEGINNER_EXTRA_REST if level == "principiante" else 0)
    if ex.reps:
        return ItemDraft(exercise=ex, block="principal", sets=sets, reps=_nice_reps(ex.reps + REPS_EXTRA[goal]),
                         rest_seconds=rest)
    return ItemDraft(exercise=ex, block="principal", sets=sets, work_seconds=(ex.seconds or 20) + HOLD_EXTRA[level],
                     rest_seconds=rest)


def _intervals(picker: _Picker, *, level: str, seconds: int, offset: int, block: str,
               used: set[str]) -> list[ItemDraft]:
    """A HIIT circuit: k moves × rounds, work/rest by level, one minute between rounds."""
    work, rest = INTERVALS[level]
    options = [e for e in picker.candidates(role="principal", type_="hiit") if e.code not in used]
    if level == "principiante":
        # low-impact moves only (the Compendium's moderate ones)
        options = [e for e in options if e.met <= 5.0] or options
    k = 4 if seconds >= 480 else 3 if seconds >= 300 else 2
    moves = []
    for i in range(min(k, len(options))):
        pick = _Picker.rotate(options, offset + i, {m.code for m in moves})
        if pick:
            moves.append(pick)
    used.update(m.code for m in moves)
    if not moves:
        return []
    round_seconds = len(moves) * (work + rest) + ROUND_REST
    rounds = max(2, min(MAX_ROUNDS, seconds // round_seconds))
    # the rest between rounds is shared out over the moves so the clock adds up
    extra = ROUND_REST // len(moves)
    return [ItemDraft(exercise=m, block=block, sets=rounds, work_seconds=work, rest_seconds=rest + extra)
            for m in moves]


def _steady_cardio(picker: _Picker, *, level: str, minutes: int, offset: int, block: str,
                   used: set[str], single: bool = False) -> list[ItemDraft]:
    """Continuous cardio for ``minutes`` (two activities when it is long, for variety)."""
    options = [e for e in picker.candidates(role="principal", type_="cardio") if e.code not in used]
    if level == "principiante":
        options = [e for e in options if e.level == "principiante"] or options
    if not options:
        return []
    first = _Picker.rotate(options, offset, set())
    used.add(first.code)
    if minutes >= 30 and len(options) > 1 and not single:
        second = _Picker.rotate(options, offset + 1, {first.code})
        a = int(round(minutes * 0.6))
        return [ItemDraft(exercise=first, block=block, minutes=a),
                ItemDraft(exercise=second, block=block, minutes=minutes - a)]
    return [ItemDraft(exercise=first, block=block, minutes=minutes)]


def _strength_block(picker: _Picker, draft: SessionDraft, *, goal: str, level: str, budget: int,
                    used: set[str]) -> list[ItemDraft]:
    """Fill the movement slots of the session's focus while time remains: a first pass over
    the slots, a second with other exercises for the same patterns, then one extra set on the
    first exercises. A short session keeps at least two exercises, with fewer sets."""
    slots = SLOTS[draft.focus][draft.variant % len(SLOTS[draft.focus])]
    main: list[ItemDraft] = []
    spent = 0
    for _pass in range(2):
        for slot in slots:
            if len(main) >= MAX_MAIN_EXERCISES:
                break
            options = picker.candidates(role="principal", pattern=slot, type_="fuerza")
            ex = _Picker.rotate(options, draft.variant + _pass, used)
            if ex is None:
                continue
            item = _strength_item(ex, goal=goal, level=level)
            if spent + item.seconds > budget:
                if len(main) >= MIN_MAIN_EXERCISES:
                    continue  # a shorter exercise further down may still fit
                while item.sets > 2 and spent + item.seconds > budget:
                    item.sets -= 1
            main.append(item)
            used.add(ex.code)
            spent += item.seconds
    for item in main:
        per_set = (item.work_seconds or (item.reps or 0) * SECONDS_PER_REP) + item.rest_seconds
        if spent + per_set > budget:
            break
        item.sets += 1
        spent += per_set
    return main


def _phase_seconds(minutes: int) -> tuple[int, int]:
    """(warm-up, cool-down) seconds for a session of ``minutes``."""
    warm = min(10, max(4, round(minutes * 0.12))) * 60
    cool = min(8, max(3, round(minutes * 0.08))) * 60
    return warm, cool


def _session(picker: _Picker, draft: SessionDraft, *, goal: str, level: str, minutes: int) -> SessionDraft:
    warm, cool = _phase_seconds(minutes)
    main_budget = minutes * 60 - warm - cool
    draft.items.extend(_warmup(picker, draft.focus, level, warm))
    used: set[str] = set()
    main: list[ItemDraft] = []
    if draft.focus == "hiit":
        main = _intervals(picker, level=level, seconds=min(main_budget, MAX_HIIT_SECONDS), offset=draft.variant,
                          block="principal", used=used)
        rest_minutes = (main_budget - sum(i.seconds for i in main)) // 60
        if main and rest_minutes >= 5:
            main.extend(_steady_cardio(picker, level="principiante", minutes=rest_minutes, offset=draft.variant,
                                       block="final", used=used, single=True))
        if not main:  # no HIIT move available: steady cardio instead
            main = _steady_cardio(picker, level=level, minutes=main_budget // 60, offset=draft.variant,
                                  block="principal", used=used)
    elif draft.focus == "cardio":
        main = _steady_cardio(picker, level=level, minutes=max(5, main_budget // 60), offset=draft.variant,
                              block="principal", used=used)
    else:
        finisher = FINISHER_MINUTES * 60 if goal in FINISHER_GOALS and minutes >= FINISHER_MIN_SESSION else 0
        main = _strength_block(picker, draft, goal=goal, level=level, budget=main_budget - finisher, used=used)
        if finisher:
            if level == "principiante":
                tail = _steady_cardio(picker, level=level, minutes=FINISHER_MINUTES, offset=draft.variant,
                                      block="final", used=used)
            else:
                tail = _intervals(picker, level=level, seconds=finisher, offset=draft.variant, block="final",
                                  used=used)[:2]
            main.extend(tail)
    draft.items.extend(main)
    draft.items.extend(_cooldown(picker, draft.focus, cool))
    return draft


def session_focuses(goal: str, level: str, days: int) -> list[str]:
    """The focus of each training day, in order: strength split plus conditioning days spread
    between strength days."""
    conditioning = CONDITIONING[goal][days]
    strength = SPLITS[days - conditioning] if days - conditioning else []
    kinds = []
    for i in range(conditioning):
        if level == "principiante" or goal in ("ganar_musculo",):
            kinds.append("cardio")
        elif goal == "salud_general":
            kinds.append("hiit" if level == "avanzado" and i % 2 else "cardio")
        else:
            kinds.append("hiit" if i % 2 == 0 else "cardio")
    positions = {int((2 * i + 1) * days / (2 * conditioning)) for i in range(conditioning)} if conditioning else set()
    out, s, c = [], iter(strength), iter(kinds)
    for day in range(days):
        out.append(next(c) if day in positions else next(s))
    return out


def generate(*, catalogue: list[ExerciseSpec], goal: str, level: str, weekdays: list[int], equipment,
             minutes: int) -> PlanDraft:
    """Build the weekly plan. Inputs must already be valid (the service checks them)."""
    have = set(equipment) | {"ninguno"}
    picker = _Picker(catalogue, level=level, equipment=have)
    days = sorted(set(weekdays))
    focuses = session_focuses(goal, level, len(days))
    seen: dict[str, int] = {}
    sessions = []
    for number, (weekday, focus) in enumerate(zip(days, focuses, strict=True), start=1):
        variant = seen.get(focus, 0)
        seen[focus] = variant + 1
        draft = SessionDraft(day_number=number, weekday=weekday, focus=focus, variant=variant)
        sessions.append(_session(picker, draft, goal=goal, level=level, minutes=minutes))
    return PlanDraft(goal=goal, level=level, weekdays=days, equipment=sorted(have - {"ninguno"}),
                     session_minutes=minutes, sessions=sessions)


def log_activity_code(session: SessionDraft, activities: dict[str, float]) -> str | None:
    """The activity of nutrition's MET table (``{code: met}``) a session is logged as: a cardio
    day as its longest main activity; otherwise, among the activities of its kind, the one
    whose MET is closest to the session's mean MET."""
    kind = session.kind
    if kind == "cardio":
        # a cardio day is logged as its main activity ("Caminar a paso rápido"), when known
        main = sorted((i for i in session.items if i.block == "principal"), key=lambda i: -i.seconds)
        for item in main:
            if item.exercise.compendium_code in activities:
                return item.exercise.compendium_code
    candidates = [c for c in LOG_ACTIVITIES[kind] if c in activities]
    if not candidates:
        return None
    target = session.met
    return min(candidates, key=lambda c: (abs(activities[c] - target), candidates.index(c)))
