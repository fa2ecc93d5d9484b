"""Small request helpers shared by pages, API views and services."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's IP. Behind N trusted proxies, the Nth address from the right of X-Forwarded-For."""
    if request is None:
        return None
    meta = getattr(request, "META", {})
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [p.strip() for p in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return meta.get("REMOTE_ADDR") or None


def user_agent(request) -> str:
    if request is None:
        return ""
    return (getattr(request, "META", {}).get("HTTP_USER_AGENT") or "")[:300]


def not_found_is_404(view):
    """Page views: whatever the actor may not see (a ``DoesNotExist`` raised by the rules, exactly
    as for a missing object) becomes the 404 page."""
    from functools import wraps

    from django.core.exceptions import ObjectDoesNotExist
    from django.http import Http404

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ObjectDoesNotExist as exc:
            raise Http404() from exc

    return wrapper
