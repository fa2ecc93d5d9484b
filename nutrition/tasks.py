"""Celery adapters for nutrition: take ids, load, call a service; safe to run twice."""

from celery import shared_task


@shared_task(acks_late=True, soft_time_limit=120, time_limit=150)
def food_analysis_run(analysis_id: str) -> str | None:
    """Analyse one queued meal photo (``nutrition.services.analysis.analysis_run``). A second
    delivery of the same id finds the analysis finished and does nothing. Failures end the
    analysis as ``failed`` inside the service, so the task itself does not retry: a retry
    would call the paid provider again for the same photo."""
    from nutrition.services.analysis import analysis_run

    analysis = analysis_run(analysis_id=analysis_id)
    return None if analysis is None else analysis.status
