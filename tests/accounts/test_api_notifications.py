"""The notifications inbox over the API: list, unread filter, counts, read one / all,
preferences, and another user's notification answering 404."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Notification, NotificationPreference
from accounts.services import notify
from tests.accounts import Api, assert_error


@pytest.fixture
def api(user, password):
    client = Api(ip="10.40.0.1")
    client.login(user.email, password)
    return client


def make_notifications(user, n, **extra):
    now = timezone.now()
    items = []
    for i in range(n):
        items.append(Notification.objects.create(
            user=user, kind="new_follower", category="social", title=f"Aviso {i}", body=f"Cuerpo {i}",
            link=f"/u/{i}", data={"i": i}, created_at=now - timedelta(minutes=n - i), **extra,
        ))
    return items


@pytest.mark.django_db
def test_list_is_paginated_newest_first_with_the_websocket_shape(api, user, other_user):
    mine = make_notifications(user, 25)
    make_notifications(other_user, 3)
    response = api.get("users/notifications")
    assert response.status_code == 200
    body = response.json()
    assert (body["page"], body["limit"], body["total_pages"], body["total_results"]) == (1, 20, 2, 25)
    assert [n["title"] for n in body["results"][:2]] == ["Aviso 24", "Aviso 23"]
    first = body["results"][0]
    assert first == {
        "id": mine[-1].pk, "type": "new_follower", "category": "social", "title": "Aviso 24", "body": "Cuerpo 24",
        "action_url": "/u/24", "data": {"i": 24}, "read": False, "created_at": mine[-1].created_at.isoformat(),
    }
    page2 = api.get("users/notifications", {"page": 2, "limit": 20}).json()
    assert len(page2["results"]) == 5 and page2["page"] == 2
    assert all(n["id"] in {m.pk for m in mine} for n in body["results"] + page2["results"])
    assert api.get("users/notifications", {"page": 9}).json()["results"] == []
    assert_error(api.get("users/notifications", {"page": "x"}), 400, "VALIDATION_ERROR")
    assert_error(api.get("users/notifications", {"limit": 500}), 400, "VALIDATION_ERROR")


@pytest.mark.django_db
def test_unread_filter_and_count(api, user):
    items = make_notifications(user, 4)
    Notification.objects.filter(pk__in=[items[0].pk, items[1].pk]).update(read_at=timezone.now())
    unread = api.get("users/notifications", {"unread": "true"}).json()
    assert unread["total_results"] == 2 and {n["id"] for n in unread["results"]} == {items[2].pk, items[3].pk}
    assert api.get("users/notifications", {"unread": "false"}).json()["total_results"] == 4
    assert api.get("users/notifications/unread-count").json() == {"unread_count": 2}


@pytest.mark.django_db
def test_list_query_count_is_pinned(api, user, django_assert_num_queries):
    make_notifications(user, 30)
    with django_assert_num_queries(3):  # user (JWT) + count + page
        assert len(api.get("users/notifications").json()["results"]) == 20


@pytest.mark.django_db
def test_mark_one_read_and_another_users_is_404(api, user, other_user):
    (mine,) = make_notifications(user, 1)
    (theirs,) = make_notifications(other_user, 1)
    response = api.post(f"users/notifications/{mine.pk}/read")
    assert response.status_code == 200
    assert response.json()["read"] is True and response.json()["unread_count"] == 0
    mine.refresh_from_db()
    assert mine.read_at is not None
    # Idempotent: reading again keeps the first read time.
    first_read = mine.read_at
    api.post(f"users/notifications/{mine.pk}/read")
    mine.refresh_from_db()
    assert mine.read_at == first_read

    assert_error(api.post(f"users/notifications/{theirs.pk}/read"), 404, "NOT_FOUND")
    assert_error(api.post("users/notifications/999999/read"), 404, "NOT_FOUND")
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_read_all_only_touches_my_unread(api, user, other_user):
    make_notifications(user, 3)
    make_notifications(other_user, 2)
    response = api.post("users/notifications/read-all")
    assert response.status_code == 200 and response.json() == {"updated": 3}
    assert api.post("users/notifications/read-all").json() == {"updated": 0}
    assert Notification.objects.filter(user=other_user, read_at__isnull=True).count() == 2
    assert api.get("users/notifications/unread-count").json() == {"unread_count": 0}


@pytest.mark.django_db
def test_preferences_read_and_update(api, user, other_user):
    assert api.get("users/notifications/preferences").json() == {
        "social": True, "clinical": True, "messages": True, "challenges": True, "system": True,
    }
    response = api.put("users/notifications/preferences", {"social": False, "system": False})
    assert response.status_code == 200
    assert response.json()["social"] is False and response.json()["system"] is True  # system cannot be muted
    assert NotificationPreference.objects.get(user=user, category="social").in_app is False
    assert not NotificationPreference.objects.filter(user=other_user).exists()
    # The preference is honoured by the service that creates notifications.
    assert notify(user, "new_follower", "Te sigue alguien", category="social") is None
    assert notify(user, "security", "Nuevo inicio de sesión", category="system") is not None


@pytest.mark.django_db
def test_preferences_reject_bad_input_and_save_nothing(api, user):
    error = assert_error(api.put("users/notifications/preferences", {"social": False, "spam": False}), 400,
                         "VALIDATION_ERROR")
    assert "spam" in error["details"]
    error = assert_error(api.put("users/notifications/preferences", {"clinical": "no"}), 400, "VALIDATION_ERROR")
    assert "clinical" in error["details"]
    assert_error(api.put("users/notifications/preferences", raw=b"[]"), 400, "VALIDATION_ERROR")
    assert not NotificationPreference.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_notifications_need_a_token():
    for path in ("users/notifications", "users/notifications/unread-count", "users/notifications/preferences"):
        assert_error(Api().get(path), 401, "AUTHENTICATION_REQUIRED")
    assert_error(Api().post("users/notifications/read-all"), 401, "AUTHENTICATION_REQUIRED")
