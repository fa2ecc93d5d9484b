"""Pages of the integrations: a person's webhooks with their delivery log, and the AI usage
report for staff. They call the same functions as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.http import not_found_is_404
from integrations import webhooks
from integrations.selectors import ai_usage_report


def _webhooks_context(request, **extra):
    endpoints = list(webhooks.webhook_endpoint_list(user=request.user).prefetch_related("deliveries"))
    for endpoint in endpoints:
        endpoint.recent = list(endpoint.deliveries.all()[:10])
    return {"endpoints": endpoints, "events": webhooks.EVENT_LABELS, "max_endpoints": webhooks.MAX_ENDPOINTS_PER_USER,
            **extra}


@login_required
def webhook_list(request):
    if request.method == "POST":
        try:
            endpoint = webhooks.webhook_endpoint_create(
                actor=request.user, url=request.POST.get("url"), events=request.POST.getlist("events"),
                description=request.POST.get("description", ""),
            )
        except ValidationError as exc:
            context = _webhooks_context(request, errors=exc.message_dict, form=request.POST)
            return render(request, "integrations/webhooks.html", context, status=422)
        messages.success(request, _("Webhook registrado. Guarda el secreto para verificar las firmas."))
        return redirect(f"{request.path}#webhook-{endpoint.pk}")
    return render(request, "integrations/webhooks.html", _webhooks_context(request))


@login_required
@require_POST
@not_found_is_404
def webhook_delete(request, endpoint_id: int):
    webhooks.webhook_endpoint_delete(actor=request.user, endpoint_id=endpoint_id)
    messages.success(request, _("Webhook borrado."))
    return redirect("integrations:webhooks")


@login_required
@require_POST
@not_found_is_404
def webhook_rotate(request, endpoint_id: int):
    endpoint = webhooks.webhook_endpoint_rotate_secret(actor=request.user, endpoint_id=endpoint_id)
    messages.success(request, _("Secreto cambiado; el anterior ya no sirve."))
    return redirect(f"{reverse('integrations:webhooks')}#webhook-{endpoint.pk}")


@login_required
def ai_usage(request):
    """Staff only; anyone else gets the 404 page (the page does not exist for them)."""
    if not request.user.is_staff:
        raise Http404()
    try:
        days = min(max(int(request.GET.get("dias", 30)), 1), 365)
    except ValueError:
        days = 30
    return render(request, "integrations/ai_usage.html", {"report": ai_usage_report(days=days)})
