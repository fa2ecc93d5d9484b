"""Fixtures of the nutrition tests."""

import pytest


@pytest.fixture
def webhooks(monkeypatch):
    """Record analysis.completed webhooks instead of delivering them."""
    sent = []
    monkeypatch.setattr("nutrition.services.analysis._webhook", lambda user, payload: sent.append((user.pk, payload)))
    return sent


@pytest.fixture
def pushes(monkeypatch):
    """Record websocket pushes (user id, event, data) in order."""
    events = []
    import config.realtime

    monkeypatch.setattr(config.realtime, "push_to_user", lambda uid, event, data: events.append((uid, event, data)))
    return events
