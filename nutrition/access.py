"""Who may act on another person's nutrition data.

``nutrition`` sits below ``clinical`` and cannot import it, so a higher app registers a
delegate at start-up (``clinical.apps``): a function ``(actor, user, capability) -> bool``.
Capabilities: ``"targets"`` (set the daily targets and SMAE equivalents per meal),
``"weight"`` (record a weight measured in consultation).
"""

from __future__ import annotations

from collections.abc import Callable

Delegate = Callable[..., bool]
_DELEGATES: list[Delegate] = []


def register_delegate(func: Delegate) -> Delegate:
    if func not in _DELEGATES:
        _DELEGATES.append(func)
    return func


def may_act_for(*, actor, user, capability: str) -> bool:
    return any(delegate(actor=actor, user=user, capability=capability) for delegate in _DELEGATES)
