"""Reads of the roster part: the nutritionist's patient list with adherence, weight, progress,
last activity and alerts; one patient's summary; the patient's diary day and targets as the
nutritionist sees them.

Everything goes through ``clinical.rules``: only a verified nutritionist's own patients, and
each kind of data only while the patient's consent for it stands (diary → adherence, diary
alerts and diary activity; measurements → weights, progress and the weight alert). Ended care
(graduated, dropped) shows the name and dates only.

The roster costs a fixed number of queries whatever the number of patients: relationships
with patients and profiles (1), consents (1), target overrides (1), kcal per day of the last
7 days (1), the last diary entry within 30 days (1) and, for those without, ever (≤1), the
latest weight logs per patient (1, window function), the first weight since care started (≤1),
and ``adherence_windows`` for 7 and 30 days together (1–4).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date as date_type
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db.models import F, Max, Q, Sum, Window
from django.db.models.functions import Lower, RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clinical import rules
from clinical.models import (
    OPEN_CARE,
    CareConsent,
    CareRelationship,
    CareStatus,
    ClinicalNote,
    ConsentScope,
    MealPlan,
    PlanStatus,
)
from clinical.selectors.adherence import adherence_windows
from nutrition.models import DiaryEntry, Meal, NutritionTarget, WeightLog

# ---------------------------------------------------------------------------------------
# filters, sorting, alerts

STATUS_FILTERS: dict[str, tuple[str, ...]] = {
    "open": tuple(OPEN_CARE),
    "active": (CareStatus.ACTIVE,),
    "inactive": (CareStatus.INACTIVE,),
    "graduated": (CareStatus.GRADUATED,),
    "dropped": (CareStatus.DROPPED,),
    "all": (*OPEN_CARE, CareStatus.GRADUATED, CareStatus.DROPPED),
}
DEFAULT_STATUS = "open"
# ``field`` ascending, ``-field`` descending; patients without the figure always go last.
SORT_FIELDS = ("name", "last_activity", "adherence", "weight_change", "progress")
DEFAULT_SORT = "name"
MAX_QUERY_LENGTH = 100
MAX_LIMIT = 100

NO_LOGS_DAYS = 3
WEIGHT_ALERT_KG = 2.0
TARGET_MISS_SHARE = 0.25
TARGET_MISS_DAYS = 5
ALERT_MESSAGES = {
    "no_recent_logs": gettext_lazy("Sin registros en 3 días"),
    "weight_change": gettext_lazy("Cambio de peso > 2 kg en una semana"),
    "target_missed": gettext_lazy("Meta muy lejos"),
}
ENCRYPTED_CARE_FIELDS = ("conditions", "allergies", "restrictions", "insurance_type", "insurance_number")


def _not_found():
    return rules.ClinicalObjectNotFound()


def roster_params_clean(*, status=None, q=None, sort=None) -> tuple[str, str, str]:
    """Check the roster's filters; ``ValidationError`` names the bad field."""
    status = (status or DEFAULT_STATUS).strip().lower() if isinstance(status, str) or status is None else ""
    if status not in STATUS_FILTERS:
        raise ValidationError({"status": _("Estado desconocido: usa active, inactive, graduated, dropped o all.")})
    q = q if isinstance(q, str) else ""
    q = " ".join(q.split())
    if len(q) > MAX_QUERY_LENGTH:
        raise ValidationError({"q": _("Busca con máximo %(n)s caracteres.") % {"n": MAX_QUERY_LENGTH}})
    sort = (sort or DEFAULT_SORT).strip() if isinstance(sort, str) or sort is None else ""
    if sort.lstrip("-") not in SORT_FIELDS:
        raise ValidationError(
            {"sort": _("Orden desconocido: usa name, last_activity, adherence, weight_change o progress (con - para invertir).")}
        )
    return status, q, sort


# ---------------------------------------------------------------------------------------
# rows


@dataclass
class RosterRow:
    relationship: CareRelationship
    patient: object
    profile: object | None
    shared: dict = field(default_factory=dict)  # {scope: bool}
    adherence_7: dict | None = None
    adherence_30: dict | None = None
    start_weight_kg: float | None = None
    current_weight_kg: float | None = None
    weight_change_kg: float | None = None
    target_weight_kg: float | None = None
    progress_pct: float | None = None
    last_activity_at: object = None
    target_kcal: int | None = None
    alerts: list = field(default_factory=list)  # [{"code", "message"}]
    latest_weight_date: date_type | None = None

    @property
    def is_open(self) -> bool:
        return self.relationship.status in OPEN_CARE

    @property
    def name(self) -> str:
        return self.patient.get_full_name() or self.patient.email

    @property
    def initials(self) -> str:
        return f"{self.patient.first_name[:1]}{self.patient.last_name[:1]}".upper() or "?"

    @property
    def photo_url(self) -> str | None:
        photo = getattr(self.profile, "photo", None) if self.is_open else None
        return photo.url if photo else None

    @property
    def goal_label(self) -> str:
        if not self.is_open:
            return ""
        rel = self.relationship
        if rel.primary_goal:
            return rel.get_primary_goal_display()
        if self.profile is not None and getattr(self.profile, "goal", ""):
            return self.profile.get_goal_display()
        return ""

    @property
    def goal_code(self) -> str:
        if not self.is_open:
            return ""
        return self.relationship.primary_goal or (getattr(self.profile, "goal", "") or "")

    @property
    def adherence_rate(self) -> int | None:
        return self.adherence_7["logging_pct"] if self.adherence_7 else None

    @property
    def progress_bar(self) -> int:
        return round(self.progress_pct or 0)


def _profile_of(user):
    try:
        return user.profile
    except Exception:  # RelatedObjectDoesNotExist: a user without a profile row
        return None


def _float(value) -> float | None:
    return None if value is None else float(value)


def _local_date(value) -> date_type | None:
    if value is None:
        return None
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


def _consents(rel_ids) -> dict[int, dict[str, bool]]:
    granted = defaultdict(set)
    for rel_id, scope in CareConsent.objects.filter(relationship_id__in=rel_ids, granted=True).values_list(
        "relationship_id", "scope"
    ):
        granted[rel_id].add(scope)
    return {rid: {s: s in granted[rid] for s in ConsentScope.values} for rid in rel_ids}


def _target_kcal(profile, override) -> int | None:
    from nutrition.targets import targets_apply_overrides, targets_compute

    if override is not None and override.energy_kcal:
        return override.energy_kcal
    if profile is None:
        return None
    return targets_apply_overrides(targets_compute(profile), None, goal=profile.goal).energy_kcal


def _weight_week_before(logs: list[tuple[date_type, float]]) -> float | None:
    """The weight about a week before the latest: the log closest to 7 days earlier, among
    those 6–8 days before (``logs`` newest first)."""
    if not logs:
        return None
    latest_day = logs[0][0]
    candidates = {(latest_day - d).days: w for d, w in logs[1:] if 6 <= (latest_day - d).days <= 8}
    for gap in (7, 6, 8):
        if gap in candidates:
            return candidates[gap]
    return None


def _fill_adherence(rows: list[RosterRow], *, today: date_type) -> None:
    """Only the 7-day adherence (the sort key), for every open row that shares the diary."""
    diary_ids = [r.patient.pk for r in rows if r.is_open and r.shared.get(ConsentScope.DIARY)]
    a7 = adherence_windows(patient_ids=diary_ids, today=today, windows=(7,))[7] if diary_ids else {}
    for r in rows:
        if r.patient.pk in a7:
            r.adherence_7 = a7[r.patient.pk]


ALL_PARTS = frozenset({"diary", "weights"})


def _fill_metrics(rows: list[RosterRow], *, today: date_type, parts=ALL_PARTS) -> None:
    """Adherence, weights, progress, last activity and alerts for the open rows, in bulk.
    ``parts`` limits the queries to what a sort key needs (the rows are filled completely
    afterwards for the page shown)."""
    open_rows = [r for r in rows if r.is_open]
    if not open_rows:
        return
    diary_ids = [r.patient.pk for r in open_rows if r.shared.get(ConsentScope.DIARY)] if "diary" in parts else []
    weight_ids = (
        [r.patient.pk for r in open_rows if r.shared.get(ConsentScope.MEASUREMENTS)] if "weights" in parts else []
    )

    # diary: adherence, daily kcal of the last 30 days, last activity, target kcal
    windows = adherence_windows(patient_ids=diary_ids, today=today, windows=(7, 30)) if diary_ids else {}
    a7, a30 = windows.get(7, {}), windows.get(30, {})
    days_kcal: dict[int, dict[date_type, float]] = defaultdict(dict)
    last_diary: dict[int, object] = {}
    overrides = {}
    if diary_ids:
        for row in (
            DiaryEntry.objects.filter(user_id__in=diary_ids, date__range=(today - timedelta(days=6), today))
            .values("user_id", "date")
            .annotate(kcal=Sum("energy_kcal"))
            .order_by()
        ):
            days_kcal[row["user_id"]][row["date"]] = row["kcal"] or 0
        last_diary.update(
            DiaryEntry.objects.filter(user_id__in=diary_ids, date__range=(today - timedelta(days=29), today))
            .values("user_id")
            .annotate(last=Max("created_at"))
            .order_by()
            .values_list("user_id", "last")
        )
        older = [pid for pid in diary_ids if pid not in last_diary]
        if older:
            last_diary.update(
                DiaryEntry.objects.filter(user_id__in=older)
                .values("user_id")
                .annotate(last=Max("created_at"))
                .order_by()
                .values_list("user_id", "last")
            )
        overrides = {t.user_id: t for t in NutritionTarget.objects.filter(user_id__in=diary_ids)}

    # weights: the latest nine logs per patient (enough for "a week before the latest"),
    # and the first log since care started for those without a recorded start weight
    recent: dict[int, list[tuple[date_type, float]]] = defaultdict(list)
    last_weight_at: dict[int, object] = {}
    first_weight: dict[int, float] = {}
    if weight_ids:
        for row in (
            WeightLog.objects.filter(user_id__in=weight_ids)
            .annotate(rn=Window(RowNumber(), partition_by=[F("user_id")], order_by=F("date").desc()))
            .filter(rn__lte=9)
            # A sort by weight needs no timestamps: parsing 4,500 of them is most of its cost.
            .values("user_id", "date", "weight_kg", "rn", *(("created_at",) if parts == ALL_PARTS else ()))
            .order_by()
        ):
            recent[row["user_id"]].append((row["date"], float(row["weight_kg"]), row["rn"]))
            if row["rn"] == 1 and "created_at" in row:
                last_weight_at[row["user_id"]] = row["created_at"]
        for pid in recent:
            recent[pid] = [(d, w) for d, w, _rn in sorted(recent[pid], key=lambda x: x[2])]
        by_start: dict[date_type, list[int]] = defaultdict(list)
        for r in open_rows:
            if r.patient.pk in weight_ids and r.relationship.start_weight_kg is None:
                start = _local_date(r.relationship.assigned_at or r.relationship.invited_at)
                by_start[start].append(r.patient.pk)
        if by_start:
            condition = Q()
            for start, pids in by_start.items():
                condition |= Q(user_id__in=pids, date__gte=start)
            first_weight = {
                row["user_id"]: float(row["weight_kg"])
                for row in WeightLog.objects.filter(condition)
                .annotate(rn=Window(RowNumber(), partition_by=[F("user_id")], order_by=F("date").asc()))
                .filter(rn=1)
                .values("user_id", "weight_kg")
                .order_by()
            }

    recent_days = {today - timedelta(days=i) for i in range(NO_LOGS_DAYS)}
    week = [today - timedelta(days=i) for i in range(7)]
    for r in open_rows:
        pid = r.patient.pk
        alerts = []
        activity = []
        if r.shared.get(ConsentScope.DIARY):
            r.adherence_7 = a7.get(pid)
            r.adherence_30 = a30.get(pid)
            r.target_kcal = _target_kcal(r.profile, overrides.get(pid))
            logged = days_kcal.get(pid, {})
            if not recent_days.intersection(logged):
                alerts.append("no_recent_logs")
            if r.target_kcal:
                off = sum(
                    1 for d in week if d in logged and abs(logged[d] - r.target_kcal) > TARGET_MISS_SHARE * r.target_kcal
                )
                if off >= TARGET_MISS_DAYS:
                    alerts.append("target_missed")
            if last_diary.get(pid):
                activity.append(last_diary[pid])
        if r.shared.get(ConsentScope.MEASUREMENTS):
            logs = recent.get(pid, [])
            if logs:
                r.current_weight_kg = logs[0][1]
                r.latest_weight_date = logs[0][0]
                before = _weight_week_before(logs)
                if before is not None and abs(logs[0][1] - before) > WEIGHT_ALERT_KG:
                    alerts.append("weight_change")
            r.start_weight_kg = _float(r.relationship.start_weight_kg)
            if r.start_weight_kg is None:
                r.start_weight_kg = first_weight.get(pid)
            target = r.relationship.target_weight_kg
            if target is None and r.profile is not None:
                target = getattr(r.profile, "target_weight_kg", None)
            r.target_weight_kg = _float(target)
            if r.start_weight_kg is not None and r.current_weight_kg is not None:
                r.weight_change_kg = round(r.current_weight_kg - r.start_weight_kg, 1)
                if r.target_weight_kg is not None and r.start_weight_kg != r.target_weight_kg:
                    pct = (r.start_weight_kg - r.current_weight_kg) / (r.start_weight_kg - r.target_weight_kg) * 100
                    r.progress_pct = round(min(100.0, max(0.0, pct)), 1)
            if last_weight_at.get(pid):
                activity.append(last_weight_at[pid])
        r.last_activity_at = max(activity) if activity else None
        r.alerts = [{"code": code, "message": str(ALERT_MESSAGES[code])} for code in alerts]


def _sort_key(sort: str):
    name = sort.lstrip("-")
    getters = {
        "last_activity": lambda r: r.last_activity_at.timestamp() if r.last_activity_at else None,
        "adherence": lambda r: r.adherence_rate,
        "weight_change": lambda r: r.weight_change_kg,
        "progress": lambda r: r.progress_pct,
    }
    return getters[name]


def _sorted(rows: list[RosterRow], sort: str) -> list[RosterRow]:
    """Python sort on a computed figure; rows without it last, ties by name."""
    getter = _sort_key(sort)
    sign = -1 if sort.startswith("-") else 1
    with_value = [r for r in rows if getter(r) is not None]
    without = [r for r in rows if getter(r) is None]
    with_value.sort(key=lambda r: sign * getter(r))  # stable: name order kept on ties
    return with_value + without


@dataclass
class RosterPage:
    rows: list[RosterRow]
    page: int
    limit: int
    total_results: int
    status: str
    q: str
    sort: str

    @property
    def total_pages(self) -> int:
        return max(1, math.ceil(self.total_results / self.limit)) if self.total_results else 0

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.total_pages


def _relationships(*, actor, statuses, q: str):
    qs = (
        CareRelationship.objects.filter(nutritionist=actor, status__in=statuses)
        .select_related("patient", "patient__profile")
        .defer(*ENCRYPTED_CARE_FIELDS)
    )
    for term in q.split()[:5]:
        qs = qs.filter(
            Q(patient__first_name__icontains=term) | Q(patient__last_name__icontains=term)
            | Q(patient__email__icontains=term)
        )
    return qs.order_by(Lower("patient__first_name"), Lower("patient__last_name"), "patient_id", "-id")


def roster_page(*, actor, status=None, q=None, sort=None, page: int = 1, limit: int = 20, today=None) -> RosterPage:
    """One page of the nutritionist's patients (open care by default). Sorting by a computed
    figure (adherence, weight change, progress, last activity) computes it for every patient
    of the filter; sorting by name only for the page shown. Raises ``ClinicalObjectNotFound``
    for anyone but a verified nutritionist and ``ValidationError`` for bad filters."""
    if not rules.is_verified_nutritionist(actor):
        raise _not_found()
    status, q, sort = roster_params_clean(status=status, q=q, sort=sort)
    limit = max(1, min(int(limit), MAX_LIMIT))
    page = max(1, int(page))
    today = today or timezone.localdate()
    rels = list(_relationships(actor=actor, statuses=STATUS_FILTERS[status], q=q))
    if sort.startswith("-") and sort.lstrip("-") == "name":
        rels.reverse()
    total = len(rels)
    by_name = sort.lstrip("-") == "name"
    chosen = rels[(page - 1) * limit : page * limit] if by_name else rels
    consents = _consents([r.pk for r in chosen if r.status in OPEN_CARE])
    rows = [
        RosterRow(
            relationship=rel,
            patient=rel.patient,
            profile=_profile_of(rel.patient),
            shared=consents.get(rel.pk, {s: False for s in ConsentScope.values}),
        )
        for rel in chosen
    ]
    if not by_name:
        # Sorting on a computed figure needs that figure for every patient of the filter, but
        # the rest (alerts, weights, last activity) only for the page shown.
        key = sort.lstrip("-")
        if key == "adherence":
            _fill_adherence(rows, today=today)
        elif key in ("weight_change", "progress"):
            _fill_metrics(rows, today=today, parts={"weights"})
        else:  # last activity: diary and weights
            _fill_metrics(rows, today=today)
        rows = _sorted(rows, sort)[(page - 1) * limit : page * limit]
        _fill_metrics(rows, today=today)
    else:
        _fill_metrics(rows, today=today)
    return RosterPage(rows=rows, page=page, limit=limit, total_results=total, status=status, q=q, sort=sort)


# ---------------------------------------------------------------------------------------
# one patient


def nutritionist_access(*, actor, patient_id, scope: str | None = None) -> rules.PatientAccess:
    """``rules.patient_access`` for the nutritionist's pages: the patient themselves is not a
    nutritionist of their own, so it looks missing too."""
    access = rules.patient_access(actor=actor, patient_id=patient_id, scope=scope)
    if access.is_self:
        raise rules.PatientNotFound()
    return access


def patient_row(*, access: rules.PatientAccess, today=None) -> RosterRow:
    row = RosterRow(
        relationship=access.relationship,
        patient=access.patient,
        profile=_profile_of(access.patient),
        shared=dict(access.consents),
    )
    _fill_metrics([row], today=today or timezone.localdate())
    return row


def bmi_of(*, weight_kg, height_cm) -> dict | None:
    from accounts.selectors import bmi_category

    if not weight_kg or not height_cm:
        return None
    value = float(weight_kg) / (float(height_cm) / 100) ** 2
    code, label = bmi_category(value)
    return {"value": round(value, 1), "category": code, "label": label}


def _as_list(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [str(v) for v in value.values() if v]
    return [str(v.get("name") or v.get("title") or v) if isinstance(v, dict) else str(v) for v in value]


def patient_summary(*, actor, patient_id, today=None, request=None) -> dict:
    """Everything the summary tab and ``GET /nutritionist/patients/{id}`` show, only what the
    patient shares. Writes one access-log line (the summary reads measurements and diary)."""
    from nutrition.selectors.diary import diary_day

    today = today or timezone.localdate()
    access = nutritionist_access(actor=actor, patient_id=patient_id)
    patient = access.patient
    rel = CareRelationship.objects.get(pk=access.relationship.pk)  # with the encrypted fields
    row = patient_row(access=access, today=today)
    profile = row.profile
    shared = access.consents
    history = []
    bmi = None
    if shared.get(ConsentScope.MEASUREMENTS):
        history = [
            {"date": d, "weight_kg": float(w)}
            for d, w in WeightLog.objects.filter(user=patient, date__gte=today - timedelta(days=90))
            .order_by("date")
            .values_list("date", "weight_kg")
        ]
        bmi = bmi_of(weight_kg=row.current_weight_kg, height_cm=getattr(profile, "height_cm", None))
    day = diary_day(user=patient, day=today) if shared.get(ConsentScope.DIARY) else None
    plan = (
        MealPlan.objects.filter(patient=patient, author=actor, status=PlanStatus.ACTIVE)
        .order_by("-assigned_at", "-id")
        .first()
    )
    notes = list(
        ClinicalNote.objects.filter(patient=patient, author=actor).select_related("author").order_by("-created_at")[:3]
    )
    notes_count = ClinicalNote.objects.filter(patient=patient, author=actor).count()
    rules.access_log(patient=patient, actor=actor, action="view", resource="summary", object_id=patient.pk,
                     request=request)
    return {
        "access": access,
        "patient": patient,
        "relationship": rel,
        "profile": profile,
        "row": row,
        "shared": shared,
        "basic": {
            "age": getattr(profile, "age", None),
            "sex": profile.get_sex_display() if profile is not None and profile.sex else "",
            "sex_code": getattr(profile, "sex", "") or "",
            "height_cm": _float(getattr(profile, "height_cm", None)),
            "goal": row.goal_label,
            "goal_code": row.goal_code,
            "target_weight_kg": row.target_weight_kg if shared.get(ConsentScope.MEASUREMENTS) else _float(
                rel.target_weight_kg),
            "target_date": rel.target_date,
            "conditions": _as_list(rel.conditions),
            "allergies": _as_list(rel.allergies),
            "dietary_preference": rel.get_dietary_preference_display() if rel.dietary_preference else "",
        },
        "bmi": bmi,
        "history": history,
        "day": day,
        "plan": plan,
        "plan_adherence": row.adherence_7["plan_pct"] if (plan and row.adherence_7) else None,
        "notes": notes,
        "notes_count": notes_count,
    }


def patient_diary_day(*, actor, patient_id, day: date_type, request=None):
    """The patient's diary for ``day`` (diary consent required), with the targets the
    nutritionist set; one access-log line."""
    from nutrition.selectors.diary import diary_day

    access = nutritionist_access(actor=actor, patient_id=patient_id, scope=ConsentScope.DIARY)
    data = diary_day(user=access.patient, day=day)
    rules.access_log(patient=access.patient, actor=actor, action="view", resource="diary",
                     object_id=day.isoformat(), request=request)
    return access, data


# ---------------------------------------------------------------------------------------
# targets

COMMON_SMAE_GROUPS = (
    "verduras", "frutas", "cereales_sin_grasa", "leguminosas", "aoa_muy_bajo", "aoa_bajo",
    "leche_descremada", "grasas_sin_proteina",
)


def equivalents_energy(meal_equivalents: dict) -> dict:
    """kcal the planned exchanges add up to: ``{"meals": {meal: kcal}, "total": kcal}``.
    Unknown groups and non-numbers count 0 (this is a preview; the service validates)."""
    from nutrition import smae

    groups = smae.groups()
    meals = {}
    for meal in Meal.values:
        kcal = 0.0
        for code, count in (meal_equivalents.get(meal) or {}).items():
            group = groups.get(code)
            try:
                number = float(count)
            except (TypeError, ValueError):
                continue
            if group is not None and math.isfinite(number) and 0 <= number <= 20:
                kcal += number * group.energy_kcal
        meals[meal] = round(kcal)
    return {"meals": meals, "total": sum(meals.values())}


# The exchanges "fit" the kcal target when they add up to within 10 % of it.
EQUIVALENTS_CLOSE_SHARE = 0.10


def equivalents_vs_target(meal_equivalents: dict, target_kcal, *, fallback=None) -> dict:
    """The kcal of the exchanges per meal and per day against the day's kcal target (the typed
    one when it is a valid target, 800–6000, else ``fallback``), for the live check of the
    targets form: ``{"meals": [{code, label, kcal}], "total", "target", "diff", "abs_diff", "close"}``."""
    try:
        typed = int(round(float(target_kcal)))
    except (TypeError, ValueError, OverflowError):
        typed = None
    target = typed if typed is not None and 800 <= typed <= 6000 else fallback
    energy = equivalents_energy(meal_equivalents)
    total = energy["total"]
    diff = total - target if target else None
    return {
        "meals": [{"code": code, "label": label, "kcal": energy["meals"][code]} for code, label in Meal.choices],
        "total": total,
        "target": target,
        "diff": diff,
        "abs_diff": abs(diff) if diff is not None else None,
        "close": diff is not None and abs(diff) <= EQUIVALENTS_CLOSE_SHARE * target,
    }


def patient_targets_get(*, actor, patient_id) -> dict:
    """The patient's effective targets and the SMAE exchanges per meal, for the targets tab
    (open care; no consent needed: the nutritionist sets them)."""
    from nutrition.selectors.diary import targets_get

    access = nutritionist_access(actor=actor, patient_id=patient_id)
    targets = targets_get(user=access.patient)
    return {"access": access, "targets": targets, "meal_equivalents": targets.meal_equivalents}
