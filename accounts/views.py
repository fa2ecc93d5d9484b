from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseNotFound, HttpResponseServerError


def landing(request):
    return HttpResponse("NutriMX")


@login_required
def home(request):
    return HttpResponse("inicio")


@login_required
def profile(request):
    return HttpResponse("perfil")


@login_required
def notifications(request):
    return HttpResponse("notificaciones")


@login_required
def consent(request):
    return HttpResponse("consent")


def page_not_found(request, exception=None):
    return HttpResponseNotFound("404")


def server_error(request):
    return HttpResponseServerError("500")
