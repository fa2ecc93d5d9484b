"""Celery: eager by default, idempotent tasks, and a beat schedule that names real tasks."""

from __future__ import annotations

import importlib

import pytest

from config.celery import app


def test_tests_run_tasks_eagerly_even_when_redis_is_configured(settings):
    # tests/conftest.py sets CELERY_TASK_ALWAYS_EAGER; the Celery app must follow the override.
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert app.conf.task_always_eager is True


def test_beat_schedule_names_registered_tasks():
    app.loader.import_default_modules()
    assert app.conf.beat_schedule, "beat has nothing to do"
    for entry in app.conf.beat_schedule.values():
        name = entry["task"]
        assert name in app.tasks, f"{name} is not a registered task"
        module, func = name.rsplit(".", 1)
        task = getattr(importlib.import_module(module), func)
        assert task.name == name


@pytest.mark.django_db
def test_notify_task_with_the_same_dedupe_key_stores_one_notification(user):
    from accounts.models import Notification
    from accounts.tasks import notify_task

    first = notify_task.delay(user.pk, "plan_ready", "Tu plan está listo", dedupe_key="plan:7").get()
    second = notify_task.delay(user.pk, "plan_ready", "Tu plan está listo", dedupe_key="plan:7").get()
    assert first is not None and second is None
    assert Notification.objects.filter(user=user, kind="plan_ready").count() == 1
    assert Notification.objects.get(pk=first).data == {"dedupe_key": "plan:7"}
    notify_task.delay(user.pk, "plan_ready", "Otro plan", dedupe_key="plan:8")
    assert Notification.objects.filter(user=user, kind="plan_ready").count() == 2


@pytest.mark.django_db
def test_notify_task_for_a_deleted_user_does_nothing(user):
    from accounts.models import Notification
    from accounts.services import user_soft_delete
    from accounts.tasks import notify_task

    user_soft_delete(actor=user, user=user)
    assert notify_task.delay(user.pk, "x", "Hola").get() is None
    assert not Notification.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_purge_keeps_unread_and_recent_notifications(user):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Notification
    from accounts.tasks import notifications_purge_old

    old = timezone.now() - timedelta(days=400)
    Notification.objects.create(user=user, kind="a", title="vieja leída", created_at=old, read_at=old)
    Notification.objects.create(user=user, kind="b", title="vieja sin leer", created_at=old)
    Notification.objects.create(user=user, kind="c", title="reciente leída", read_at=timezone.now())
    assert notifications_purge_old.delay().get() == 1
    assert set(Notification.objects.values_list("kind", flat=True)) == {"b", "c"}
