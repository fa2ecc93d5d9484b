"""Permission matrix over every clinical endpoint, pages (namespace ``clinical``) and API.

Every route the resolver knows whose view lives in ``clinical.*`` has an entry in ``ROUTES``
(``test_matrix_covers_every_route`` fails for a route added without one). For object routes
the actors who may not reach the object must get 404 (never 403/200/500), the 404 body must
not show the patient's name nor the object's text, and a refused write must change nothing.
Anonymous visitors get 401 (API) or the login redirect (pages). Self-scoped routes (lists
and "my" pages) are asked by every actor and must not show P's data.

The world (tests/clinical/matrix_world.py) is built once per module inside a transaction that
is rolled back at the end; each case runs in its own savepoint, so a write that got through
cannot leak into the next case.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework_simplejwt.tokens import AccessToken

from tests.clinical.matrix_world import PDF, build_world, png_bytes, snapshot

# actors
B, C, D, Q, S, ANON = "other_nutritionist", "ended_nutritionist", "no_consent_nutritionist", "other_patient", \
    "staff", "anonymous"
SIGNED_IN = (B, C, D, Q, S)
ACTORS = (*SIGNED_IN, ANON)
OUTSIDERS = frozenset({B, C, Q, S})  # no open care of P at all
NO_SCOPE = OUTSIDERS | {D}  # ... plus the nutritionist without the consent
NOT_AUTHOR = OUTSIDERS | {D}  # plans, conversations and relationships belong to A
NON_STAFF = frozenset({B, C, D, Q})

OBJECT, SELF, PUBLIC, STAFF = "object", "self", "public", "staff"


@dataclass(frozen=True)
class Route:
    """How to call one route and who must not reach it.

    ``methods``: ``(method, body)`` pairs; ``body`` is a dict (form data for pages, JSON for
    the API) or a callable of the world. ``denied``: actors that must get 404 (object and
    staff routes). ``allowed``: signed-in actors that reach it (positive control on GET).
    ``sees_patient``: actors of a self-scoped route who legitimately see P's name.
    ``writes_checked``: for self-scoped routes, whether signed-in actors try the writes too
    (else only anonymous does; e.g. "request care" is a legitimate write for anyone).
    """

    kind: str
    kwargs: Callable = lambda w: {}
    methods: tuple = (("GET", None),)
    denied: frozenset = frozenset()
    allowed: tuple = ("A",)
    sees_patient: frozenset = frozenset()
    writes_checked: bool = False
    public_status: int = 200
    control_status: int = 200


def pid(w):
    return {"patient_id": w.P.pk}


def rid(w):
    return {"relationship_id": w.rel.pk}


def plan(w):
    return {"plan_id": w.plan.pk}


def plan_item(w):
    return {"plan_id": w.plan.pk, "item_id": w.food_item.pk}


def conv(w):
    return {"conversation_id": w.conversation.pk}


def upload_page(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"title": "Nuevo", "kind": "other",
            "file": SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf")}


def message_form(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"body": "hola", "client_id": "m1",
            "image": SimpleUploadedFile("y.png", png_bytes(), content_type="image/png")}


TODAY = "2026-01-05"
SOAP = {"subjective": "Refiere hambre", "plan": "Seguir"}
MEASURE = {"weight_kg": "70", "waist_cm": "79"}
ITEM = {"kind": "medication", "title": "Metformina"}
LAB = {"test": "glucose_fasting", "value": "100", "taken_on": TODAY}
TARGETS = {"energy_kcal": "1800", "protein_g": "90", "fat_g": "60", "carbs_g": "220"}
CARE = {"status": "inactive", "target_weight_kg": "61", "conditions": "cambio"}

P_ = "clinical:"  # page routes are keyed "clinical:<name>", API routes "api:<name>"

ROUTES: dict[str, Route] = {
    # ---- practice pages
    P_ + "directory": Route(PUBLIC),
    P_ + "nutritionist_public": Route(PUBLIC, lambda w: {"slug": w.A.nutritionist_profile.slug}),
    P_ + "care_request": Route(SELF, lambda w: {"slug": w.A.nutritionist_profile.slug}, (("POST", {}),)),
    P_ + "practice_profile": Route(SELF, methods=(("GET", None), ("POST", {}))),
    P_ + "practice_license": Route(SELF),
    P_ + "verification_queue": Route(STAFF, denied=NON_STAFF, allowed=(S,)),
    P_ + "verification_license": Route(STAFF, lambda w: {"profile_id": w.pending_profile.pk}, denied=NON_STAFF,
                                       allowed=()),
    P_ + "verification_verify": Route(STAFF, lambda w: {"profile_id": w.pending_profile.pk}, (("POST", {}),),
                                      denied=NON_STAFF),
    P_ + "verification_reject": Route(STAFF, lambda w: {"profile_id": w.pending_profile.pk},
                                      (("POST", {"reason": "No coincide"}),), denied=NON_STAFF),
    P_ + "my_care": Route(SELF),
    P_ + "care_accept": Route(OBJECT, rid, (("POST", {"consent_diary": "1"}),), NOT_AUTHOR),
    P_ + "care_decline": Route(OBJECT, rid, (("POST", {}),), NOT_AUTHOR),
    P_ + "care_end": Route(OBJECT, rid, (("POST", {"outcome": "dropped", "reason": "x"}),), NOT_AUTHOR),
    P_ + "care_consent": Route(OBJECT, rid, (("POST", {"scope": "diary", "granted": ""}),), NOT_AUTHOR),
    P_ + "care_invite": Route(SELF, methods=(("GET", None), ("POST", {}))),
    P_ + "invitation": Route(PUBLIC, lambda w: {"token": "x" * 43}, public_status=410),
    # ---- roster pages
    P_ + "roster": Route(SELF, sees_patient=frozenset({D})),
    P_ + "patient_detail": Route(OBJECT, pid, denied=OUTSIDERS, allowed=("A", D)),
    P_ + "patient_diary": Route(OBJECT, pid, denied=NO_SCOPE),
    P_ + "patient_targets": Route(OBJECT, pid, (("GET", None), ("POST", TARGETS)), OUTSIDERS, ("A", D)),
    P_ + "patient_care": Route(OBJECT, pid, (("GET", None), ("POST", CARE)), OUTSIDERS, ("A", D)),
    # ---- record pages
    P_ + "patient_record": Route(OBJECT, pid, denied=NO_SCOPE),
    P_ + "record_history_edit": Route(OBJECT, pid, (("POST", {"medical_history": "cambio"}),), NO_SCOPE),
    P_ + "record_item_add": Route(OBJECT, pid, (("POST", ITEM),), NO_SCOPE),
    P_ + "record_item_edit": Route(OBJECT, lambda w: {**pid(w), "item_id": w.item.pk},
                                   (("GET", None), ("POST", {**ITEM, "title": "cambio"})), NO_SCOPE),
    P_ + "record_item_delete": Route(OBJECT, lambda w: {**pid(w), "item_id": w.item.pk}, (("POST", {}),), NO_SCOPE),
    P_ + "lab_add": Route(OBJECT, pid, (("POST", LAB),), NO_SCOPE),
    P_ + "lab_delete": Route(OBJECT, lambda w: {**pid(w), "lab_id": w.lab.pk}, (("POST", {}),), NO_SCOPE),
    P_ + "patient_measurements": Route(OBJECT, pid, denied=NO_SCOPE),
    P_ + "measurement_add": Route(OBJECT, pid, (("POST", MEASURE),), NO_SCOPE),
    P_ + "measurement_edit": Route(OBJECT, lambda w: {**pid(w), "measurement_id": w.measurement.pk},
                                   (("GET", None), ("POST", {"weight_kg": "60"})), NO_SCOPE),
    P_ + "measurement_delete": Route(OBJECT, lambda w: {**pid(w), "measurement_id": w.measurement.pk},
                                     (("POST", {}),), NO_SCOPE),
    P_ + "patient_notes": Route(OBJECT, pid, denied=OUTSIDERS, allowed=("A", D)),
    P_ + "note_add": Route(OBJECT, pid, (("POST", SOAP),), OUTSIDERS),
    P_ + "note_edit": Route(OBJECT, lambda w: {**pid(w), "note_id": w.note.pk},
                            (("GET", None), ("POST", {"subjective": "cambio"})), OUTSIDERS),
    P_ + "note_amend": Route(OBJECT, lambda w: {**pid(w), "note_id": w.note.pk}, (("POST", {"text": "adenda"}),),
                             OUTSIDERS),
    P_ + "note_delete": Route(OBJECT, lambda w: {**pid(w), "note_id": w.note.pk}, (("POST", {}),), OUTSIDERS),
    P_ + "patient_documents": Route(OBJECT, pid, denied=NO_SCOPE),
    P_ + "document_upload": Route(OBJECT, pid, (("POST", upload_page),), NO_SCOPE),
    P_ + "document_download": Route(OBJECT, lambda w: {**pid(w), "document_id": w.document.pk}, denied=NO_SCOPE),
    P_ + "document_delete": Route(OBJECT, lambda w: {**pid(w), "document_id": w.document.pk}, (("POST", {}),),
                                  NO_SCOPE),
    P_ + "my_record": Route(SELF),
    # ---- plans pages
    P_ + "plans": Route(SELF, methods=(("GET", None), ("POST", {})), sees_patient=frozenset({D})),
    P_ + "plan_builder": Route(OBJECT, plan, denied=NOT_AUTHOR),
    P_ + "plan_food_search": Route(OBJECT, plan, denied=NOT_AUTHOR),
    P_ + "plan_edit": Route(OBJECT, plan, (("POST", {"title": "cambio"}),), NOT_AUTHOR),
    P_ + "plan_delete": Route(OBJECT, plan, (("POST", {}),), NOT_AUTHOR),
    P_ + "plan_clone": Route(OBJECT, plan, (("POST", {"as_template": "1"}),), NOT_AUTHOR),
    P_ + "plan_assign": Route(OBJECT, plan, (("POST", {"start_date": TODAY}),), NOT_AUTHOR),
    P_ + "plan_archive": Route(OBJECT, plan, (("POST", {}),), NOT_AUTHOR),
    P_ + "plan_day_copy": Route(OBJECT, plan, (("POST", {"from_day": "1", "to_day": "1"}),), NOT_AUTHOR),
    P_ + "plan_day_clear": Route(OBJECT, plan, (("POST", {"day": "1"}),), NOT_AUTHOR),
    P_ + "plan_item_add": Route(OBJECT, plan, (("POST", {"day": "1", "meal": "cena", "kind": "smae",
                                                         "smae_group": "cereales_sin_grasa", "quantity": "1"}),),
                                NOT_AUTHOR),
    P_ + "plan_item_edit": Route(OBJECT, plan_item, (("POST", {"quantity": "50"}),), NOT_AUTHOR),
    P_ + "plan_item_remove": Route(OBJECT, plan_item, (("POST", {}),), NOT_AUTHOR),
    P_ + "plan_pdf": Route(OBJECT, plan, denied=NOT_AUTHOR),
    P_ + "patient_plans": Route(OBJECT, pid, denied=OUTSIDERS, allowed=("A", D)),
    P_ + "today_plan": Route(SELF),
    # generator pages (the world's plan was written by hand, so A gets 404 there too: no control)
    P_ + "generator": Route(SELF, methods=(("GET", None), ("POST", {"days": "1"})), sees_patient=frozenset({D})),
    P_ + "generator_result": Route(OBJECT, plan, denied=NOT_AUTHOR, allowed=()),
    P_ + "generator_pdf": Route(OBJECT, plan, denied=NOT_AUTHOR, allowed=()),
    P_ + "generator_adopt": Route(OBJECT, plan, (("POST", {}),), NOT_AUTHOR, allowed=()),
    P_ + "my_plan_item_log": Route(OBJECT, lambda w: {"item_id": w.food_item.pk}, (("POST", {}),), NOT_AUTHOR,
                                   allowed=()),
    P_ + "my_plan_item_unlog": Route(OBJECT, lambda w: {"item_id": w.food_item.pk}, (("POST", {}),), NOT_AUTHOR,
                                     allowed=()),
    P_ + "my_plan_meal_log": Route(SELF, lambda w: {"meal": "desayuno"}, (("POST", {}),), writes_checked=True),
    # ---- messages pages
    P_ + "messages": Route(SELF),
    P_ + "conversation": Route(OBJECT, conv, (("GET", None), ("POST", message_form)), NOT_AUTHOR),
    P_ + "message_image": Route(OBJECT, lambda w: {**conv(w), "message_id": w.image_message.pk}, denied=NOT_AUTHOR),
    P_ + "conversation_with": Route(OBJECT, pid, denied=OUTSIDERS, allowed=("A",), control_status=302),
    # ---- practice API
    "api:nutritionists": Route(PUBLIC),
    "api:nutritionist-detail": Route(PUBLIC, lambda w: {"slug": w.A.nutritionist_profile.slug}),
    "api:nutritionist-request-care": Route(SELF, lambda w: {"slug": w.A.nutritionist_profile.slug},
                                           (("POST", {}),)),
    "api:nutritionist-profile": Route(SELF, methods=(("GET", None), ("PUT", {}))),
    "api:staff-nutritionists-pending": Route(STAFF, denied=NON_STAFF, allowed=(S,)),
    "api:staff-nutritionist-verify": Route(STAFF, lambda w: {"profile_id": w.pending_profile.pk}, (("POST", {}),),
                                           denied=NON_STAFF),
    "api:staff-nutritionist-reject": Route(STAFF, lambda w: {"profile_id": w.pending_profile.pk},
                                           (("POST", {"reason": "No coincide"}),), denied=NON_STAFF),
    # C's own (ended) relationship with P and D's open one are theirs to list.
    "api:care": Route(SELF, sees_patient=frozenset({C, D})),
    "api:care-accept": Route(OBJECT, rid, (("POST", {"consents": {"diary": True}}),), NOT_AUTHOR),
    "api:care-decline": Route(OBJECT, rid, (("POST", {}),), NOT_AUTHOR),
    "api:care-end": Route(OBJECT, rid, (("POST", {"outcome": "dropped"}),), NOT_AUTHOR),
    "api:care-consents": Route(OBJECT, rid, (("PUT", {"consents": {"diary": False}}),), NOT_AUTHOR),
    # ---- roster API
    "api:nutritionist-patients": Route(SELF, methods=(("GET", None), ("POST", {})), sees_patient=frozenset({D})),
    "api:nutritionist-patient": Route(OBJECT, pid, (("GET", None), ("PATCH", {"status": "inactive"})), OUTSIDERS,
                                      ("A", D)),
    "api:nutritionist-patient-diary": Route(OBJECT, pid, denied=NO_SCOPE),
    "api:nutritionist-patient-targets": Route(OBJECT, pid, (("GET", None), ("PUT", TARGETS)), OUTSIDERS, ("A", D)),
    # ---- record API
    "api:api-clinical-record": Route(OBJECT, pid, (("GET", None), ("PUT", {"medical_history": "cambio"})), NO_SCOPE),
    "api:api-clinical-record-items": Route(OBJECT, pid, (("GET", None), ("POST", ITEM)), NO_SCOPE),
    "api:api-clinical-record-item": Route(OBJECT, lambda w: {**pid(w), "item_id": w.item.pk},
                                          (("PUT", {"title": "cambio"}), ("DELETE", None)), NO_SCOPE),
    "api:api-clinical-labs": Route(OBJECT, pid, (("GET", None), ("POST", LAB)), NO_SCOPE),
    "api:api-clinical-lab": Route(OBJECT, lambda w: {**pid(w), "lab_id": w.lab.pk}, (("DELETE", None),), NO_SCOPE),
    "api:api-clinical-measurements": Route(OBJECT, pid, (("GET", None), ("POST", MEASURE)), NO_SCOPE),
    "api:api-clinical-measurement": Route(OBJECT, lambda w: {**pid(w), "measurement_id": w.measurement.pk},
                                          (("PUT", {"weight_kg": "60"}), ("DELETE", None)), NO_SCOPE),
    "api:api-clinical-notes": Route(OBJECT, pid, (("GET", None), ("POST", SOAP)), OUTSIDERS, ("A", D)),
    "api:api-clinical-note": Route(OBJECT, lambda w: {**pid(w), "note_id": w.note.pk},
                                   (("PUT", {"subjective": "cambio"}),), OUTSIDERS),
    "api:api-clinical-note-amendments": Route(OBJECT, lambda w: {**pid(w), "note_id": w.note.pk},
                                              (("POST", {"text": "adenda"}),), OUTSIDERS),
    "api:api-clinical-documents": Route(OBJECT, pid, (("GET", None), ("POST", {"title": "x"})), NO_SCOPE),
    "api:api-clinical-document": Route(OBJECT, lambda w: {**pid(w), "document_id": w.document.pk},
                                       (("GET", None), ("DELETE", None)), NO_SCOPE),
    "api:api-clinical-document-download": Route(OBJECT, lambda w: {**pid(w), "document_id": w.document.pk},
                                                denied=NO_SCOPE),
    "api:api-clinical-my-access-log": Route(SELF),
    # ---- plans API
    "api:meal-plans": Route(SELF, methods=(("GET", None), ("POST", {"title": "Nuevo"}))),
    "api:meal-plan-detail": Route(OBJECT, plan, (("GET", None), ("PATCH", {"title": "cambio"}), ("DELETE", None)),
                                  NOT_AUTHOR),
    "api:meal-plan-items": Route(OBJECT, plan, (("POST", {"day": 1, "meal": "cena", "kind": "smae",
                                                          "smae_group": "cereales_sin_grasa", "quantity": 1}),),
                                 NOT_AUTHOR),
    "api:meal-plan-item": Route(OBJECT, plan_item, (("PATCH", {"quantity": 50}), ("DELETE", None)), NOT_AUTHOR),
    "api:meal-plan-clone": Route(OBJECT, plan, (("POST", {"as_template": True}),), NOT_AUTHOR),
    "api:meal-plan-copy-day": Route(OBJECT, plan, (("POST", {"from_day": 1, "to_day": 1}),), NOT_AUTHOR),
    "api:meal-plan-assign": Route(OBJECT, plan, (("POST", {"start_date": TODAY}),), NOT_AUTHOR),
    "api:meal-plan-pdf": Route(OBJECT, plan, denied=NOT_AUTHOR),
    "api:my-meal-plan-today": Route(SELF),
    "api:ai-generate-meal-plan": Route(SELF, methods=(("POST", {"days": 1}),)),
    "api:meal-plan-shopping": Route(OBJECT, plan, denied=NOT_AUTHOR),
    "api:meal-plan-shopping-pdf": Route(OBJECT, plan, denied=NOT_AUTHOR),
    "api:meal-plan-adopt": Route(OBJECT, plan, (("POST", {}),), NOT_AUTHOR, allowed=()),
    "api:my-meal-plan-item-log": Route(OBJECT, lambda w: {"item_id": w.food_item.pk},
                                       (("POST", {}), ("DELETE", None)), NOT_AUTHOR, allowed=()),
    "api:my-meal-plan-meal-log": Route(SELF, lambda w: {"meal": "desayuno"}, (("POST", {}),), writes_checked=True),
    # ---- messages API
    "api:conversations": Route(SELF),
    "api:conversation-messages": Route(OBJECT, conv, (("GET", None), ("POST", {"body": "hola", "client_id": "m2"})),
                                       NOT_AUTHOR),
    "api:conversation-read": Route(OBJECT, conv, (("POST", {}),), NOT_AUTHOR),
    "api:patient-conversation": Route(OBJECT, pid, (("POST", {}),), OUTSIDERS, allowed=()),
}


# ---------------------------------------------------------------------------------------
# enumeration of the routes


def _walk(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry, ns)
        elif isinstance(entry, URLPattern):
            yield namespace, entry


def enumerated_routes() -> dict[str, object]:
    """``{key: callback}`` of every clinical page (namespace ``clinical``) and API route."""
    found = {}
    for namespace, pattern in _walk(get_resolver()):
        module = getattr(pattern.callback, "__module__", "") or ""
        if namespace == "clinical:":
            found[P_ + pattern.name] = pattern.callback
        elif module.startswith("clinical.") and not namespace:
            found[f"api:{pattern.name}"] = pattern.callback
    return found


def _view_methods(callback) -> set[str]:
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is None:
        return set()
    return {m.upper() for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m)}


def test_matrix_covers_every_route():
    found = enumerated_routes()
    assert len(found) > 90  # pages and API both found
    missing = sorted(set(found) - set(ROUTES))
    assert not missing, f"routes without a permission matrix entry: {missing}"
    stale = sorted(set(ROUTES) - set(found))
    assert not stale, f"matrix entries for routes that no longer exist: {stale}"
    # every method an API view implements is tried
    for key, callback in found.items():
        implemented = _view_methods(callback)
        tried = {m for m, _b in ROUTES[key].methods}
        assert implemented <= tried, f"{key}: methods not in the matrix: {sorted(implemented - tried)}"


# ---------------------------------------------------------------------------------------
# the world and the clients


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once, inside a transaction rolled back after the module."""
    private = tmp_path_factory.mktemp("matrix_private")
    storages = {**settings.STORAGES, "private": {**settings.STORAGES["private"],
                                                  "OPTIONS": {"location": private, "base_url": "/_private/"}}}
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(STORAGES=storages,
                                                        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                                                        CELERY_TASK_ALWAYS_EAGER=True):
        from django.core.files.storage import storages as storage_handler

        storage_handler._storages = {}
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            w = build_world()
            w.private = private
            w.storages = storages
            yield w
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _world_storage(settings, _test_settings, request):
    """The world's files live in the module's private folder (not the per-test tmp_path)."""
    if "world" in request.fixturenames:
        w = request.getfixturevalue("world")
        settings.STORAGES = w.storages
    from django.core.files.storage import storages as storage_handler

    storage_handler._storages = {}
    yield
    storage_handler._storages = {}


def actor_user(w, actor):
    return {"A": w.A, "P": w.P, B: w.B, C: w.C, D: w.D, Q: w.Q, S: w.S, ANON: None}[actor]


def call(w, key, method, body, actor):
    route = ROUTES[key]
    kwargs = route.kwargs(w)
    name = key.split(":", 1)[1]
    url = reverse(P_ + name if key.startswith(P_) else name, kwargs=kwargs)
    client = Client()
    user = actor_user(w, actor)
    data = body(w) if callable(body) else body
    if key.startswith(P_):
        if user is not None:
            client.force_login(user)
        if method == "GET":
            return client.get(url)
        return client.post(url, data or {})
    headers = {"HTTP_AUTHORIZATION": f"Bearer {AccessToken.for_user(user)}"} if user is not None else {}
    if method == "GET":
        return client.get(url, **headers)
    if method == "DELETE":
        return client.delete(url, **headers)
    return client.generic(method, url, json.dumps(data or {}), content_type="application/json", **headers)


def body_text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def assert_no_leak(w, response, *, patient_name=True, where=""):
    text = body_text(response)
    leaks = [s for s in w.secrets.values() if s in text]
    if patient_name:
        leaks += [s for s in (w.patient_name, w.P.first_name + " ", w.P.last_name, w.P.email) if s in text]
    assert not leaks, f"{where}: response shows {leaks}"


# ---------------------------------------------------------------------------------------
# known holes: (route key, method, actor) -> reason. Each one is a strict xfail.

HOLES: dict[tuple[str, str, str], str] = {}


def _mark(key, method, actor):
    reason = HOLES.get((key, method, actor))
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def _cases():
    for key, route in ROUTES.items():
        label = key.split(":", 1)[1] if key.startswith(P_) else key
        for method, body in route.methods:
            for actor in ACTORS:
                if route.kind in (OBJECT, STAFF):
                    if actor != ANON and actor not in route.denied:
                        continue
                elif route.kind == PUBLIC:
                    pass
                elif method != "GET" and actor != ANON and not route.writes_checked:
                    continue
                yield pytest.param(key, method, body, actor, id=f"{method} {label} as {actor}",
                                   marks=_mark(key, method, actor))


CASES = list(_cases())

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("key", "method", "body", "actor"), CASES)
def test_matrix(world, key, method, body, actor):
    w = world
    route = ROUTES[key]
    is_page = key.startswith(P_)
    write = method != "GET"
    before = snapshot() if write else None
    response = call(w, key, method, body, actor)
    where = f"{method} {key} as {actor}"

    if route.kind == PUBLIC:
        assert response.status_code == route.public_status, where
        assert_no_leak(w, response, where=where)
    elif actor == ANON:
        if is_page:
            assert response.status_code == 302, f"{where}: {response.status_code}"
            assert response["Location"].startswith(resolve_url(settings.LOGIN_URL)), where
        else:
            assert response.status_code == 401, f"{where}: {response.status_code}"
    elif route.kind in (OBJECT, STAFF):
        assert response.status_code == 404, f"{where}: answered {response.status_code}"
        assert_no_leak(w, response, where=where)
    else:  # self-scoped, signed in
        assert response.status_code < 500, f"{where}: answered {response.status_code}"
        assert_no_leak(w, response, patient_name=actor not in route.sees_patient, where=where)

    if write:
        assert snapshot() == before, f"{where} changed data"


# ---------------------------------------------------------------------------------------
# positive controls: the kwargs are right (the one who may reach it gets it)


def _controls():
    for key, route in ROUTES.items():
        if route.kind not in (OBJECT, STAFF) or ("GET", None) not in route.methods:
            continue
        label = key.split(":", 1)[1] if key.startswith(P_) else key
        for actor in route.allowed:
            yield pytest.param(key, actor, id=f"GET {label} as {'nutritionist' if actor == 'A' else actor}")


@pytest.mark.parametrize(("key", "actor"), list(_controls()))
def test_allowed_actor_reaches_it(world, key, actor):
    response = call(world, key, "GET", None, actor)
    assert response.status_code == ROUTES[key].control_status, f"GET {key} as {actor}: {response.status_code}"



# ---------------------------------------------------------------------------------------
# P's object id under a parent B may reach (B's own patient, plan or conversation)

PARENTS = ("patient_id", "plan_id", "conversation_id")


def _own_parent(w, kwargs):
    mine = {"patient_id": w.B_patient.pk, "plan_id": w.B_plan.pk, "conversation_id": w.B_conversation.pk}
    return {k: mine.get(k, v) if k in PARENTS else v for k, v in kwargs.items()}


class _Any:
    """Stands for any world attribute when reading which kwargs a route takes."""

    pk = 1

    def __getattr__(self, name):
        return _Any()


def _idor_cases():
    for key, route in ROUTES.items():
        kwargs = route.kwargs(_Any()) if route.kind == OBJECT else {}
        if not (any(k not in PARENTS for k in kwargs) and any(k in PARENTS for k in kwargs)):
            continue
        label = key.split(":", 1)[1] if key.startswith(P_) else key
        for method, body in route.methods:
            yield pytest.param(key, method, body, id=f"{method} {label} as other_nutritionist via own parent")


@pytest.mark.parametrize(("key", "method", "body"), list(_idor_cases()))
def test_foreign_object_under_own_parent(world, key, method, body):
    w = world
    route = ROUTES[key]
    swapped = Route(route.kind, lambda _w: _own_parent(w, route.kwargs(w)), route.methods)
    ROUTES[key] = swapped
    try:
        before = snapshot() if method != "GET" else None
        response = call(w, key, method, body, B)
    finally:
        ROUTES[key] = route
    where = f"{method} {key} as {B} with P's object under B's own parent"
    assert response.status_code == 404, f"{where}: answered {response.status_code}"
    assert_no_leak(w, response, where=where)
    if before is not None:
        assert snapshot() == before, f"{where} changed data"


# ---------------------------------------------------------------------------------------
# another user's id in the body of a write B may make


FOREIGN_BODY = [
    ("api:meal-plans", "POST", lambda w: {"title": "Para otra", "patient_id": w.P.pk}),
    (P_ + "plans", "POST", lambda w: {"title": "Para otra", "days": "1", "patient_id": w.P.pk}),
    ("api:meal-plan-assign", "POST", lambda w: {"patient_id": w.P.pk, "start_date": TODAY}),
    (P_ + "plan_assign", "POST", lambda w: {"patient_id": w.P.pk, "start_date": TODAY}),
    ("api:meal-plan-clone", "POST", lambda w: {"patient_id": w.P.pk}),
    (P_ + "plan_clone", "POST", lambda w: {"patient_id": w.P.pk}),
]


@pytest.mark.parametrize(("key", "method", "body"), FOREIGN_BODY,
                         ids=[f"{m} {k.split(':', 1)[1]} as other_nutritionist with P's id" for k, m, _b in FOREIGN_BODY])
def test_foreign_patient_id_in_body(world, key, method, body):
    w = world
    route = ROUTES[key]
    ROUTES[key] = Route(route.kind, lambda _w: ({"plan_id": w.B_plan.pk} if "plan_id" in route.kwargs(w) else {}),
                        route.methods)
    try:
        before = snapshot()
        response = call(w, key, method, body, B)
    finally:
        ROUTES[key] = route
    assert response.status_code < 500
    assert_no_leak(w, response, where=key)
    assert snapshot() == before, f"{method} {key} with P's id changed data ({response.status_code})"


# ---------------------------------------------------------------------------------------
# D reaches the notes (scope free) but is not their author


@pytest.mark.parametrize(("key", "method", "body"), [
    ("api:api-clinical-note", "PUT", {"subjective": "cambio"}),
    (P_ + "note_edit", "POST", {"subjective": "cambio"}),
    (P_ + "note_delete", "POST", {}),
], ids=["PUT api-clinical-note as no_consent_nutritionist", "POST note_edit as no_consent_nutritionist",
        "POST note_delete as no_consent_nutritionist"])
def test_nutritionist_without_consent_cannot_change_a_note_of_another(world, key, method, body):
    before = snapshot()
    response = call(world, key, method, body, D)
    assert response.status_code in (302, 400, 403, 404), response.status_code
    assert snapshot() == before


@pytest.mark.parametrize(("key", "method", "body"), [
    ("api:api-clinical-notes", "POST", SOAP),
    (P_ + "plan_edit", "POST", {"title": "cambio"}),
    ("api:care-consents", "PUT", {"consents": {"diary": False}}),
], ids=["POST api-clinical-notes as nutritionist", "POST plan_edit as nutritionist",
        "PUT care-consents as patient"])
def test_guard_sees_an_allowed_write(world, key, method, body):
    """The snapshot guard is not blind: the same call by who may make it changes data."""
    world_actor = {"api:care-consents": "P"}.get(key, "A")
    before = snapshot()
    if world_actor == "P":
        client = Client()
        url = reverse("care-consents", kwargs=rid(world))
        response = client.put(url, json.dumps(body), content_type="application/json",
                              HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(world.P)}")
    else:
        response = call(world, key, method, body, world_actor)
    assert response.status_code < 400, response.status_code
    assert snapshot() != before


# ---------------------------------------------------------------------------------------
# D reaches scope-free pages about P; they must not carry what the consents withhold

SCOPE_BOUND = ("history", "item", "lab", "measurement", "document")


@pytest.mark.parametrize("key", [k for k, r in ROUTES.items() if r.kind == OBJECT and D in r.allowed])
def test_scope_free_page_hides_scoped_data(world, key):
    response = call(world, key, "GET", None, D)
    assert response.status_code == 200
    text = body_text(response)
    shown = [world.secrets[s] for s in SCOPE_BOUND if world.secrets[s] in text]
    assert not shown, f"GET {key} as {D} shows {shown}"
    assert "71.5" not in text and "71,5" not in text, f"GET {key} as {D} shows P's weight"
    assert world.secrets["plan"] not in text, f"GET {key} as {D} shows A's plan"


# ---------------------------------------------------------------------------------------
# SOAP notes are the nutritionists' own: the patient never sees them


@pytest.mark.parametrize(("key", "method"), [
    (P_ + "patient_notes", "GET"), (P_ + "note_edit", "GET"), ("api:api-clinical-notes", "GET"),
    (P_ + "my_record", "GET"),
], ids=["GET patient_notes as patient", "GET note_edit as patient", "GET api-clinical-notes as patient",
        "GET my_record as patient"])
def test_patient_never_sees_notes(world, key, method):
    response = call(world, key, method, None, "P")
    text = body_text(response)
    assert response.status_code == (200 if key.endswith("my_record") else 404)
    assert world.secrets["note"] not in text and world.secrets["amendment"] not in text
    if key.endswith("my_record"):  # the page is not blank: the patient's own record is there
        assert world.secrets["history"] in text and world.secrets["document"] in text
