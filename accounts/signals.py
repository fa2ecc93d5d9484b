"""Receivers that record security events from Django and allauth in the audit log."""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from accounts.models import AuditEvent, User
from accounts.services import audit_log


@receiver(auth_signals.user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_log(kind=AuditEvent.Kind.LOGIN, user=user, request=request, data={"via": "web"})


@receiver(auth_signals.user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_log(kind=AuditEvent.Kind.LOGOUT, user=user, request=request, data={"via": "web"})


@receiver(auth_signals.user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    email = (credentials or {}).get("email") or (credentials or {}).get("username") or ""
    user = User.objects.filter(email__iexact=email).first() if email else None
    audit_log(kind=AuditEvent.Kind.LOGIN_FAILED, user=user, request=request, data={"email": email[:254]})


@receiver(account_signals.password_changed)
def _password_changed(sender, request, user, **kwargs):
    audit_log(kind=AuditEvent.Kind.PASSWORD_CHANGE, user=user, request=request)


@receiver(account_signals.password_set)
def _password_set(sender, request, user, **kwargs):
    audit_log(kind=AuditEvent.Kind.PASSWORD_CHANGE, user=user, request=request, data={"set": True})


@receiver(account_signals.password_reset)
def _password_reset(sender, request, user, **kwargs):
    audit_log(kind=AuditEvent.Kind.PASSWORD_RESET, user=user, request=request)


@receiver(account_signals.email_changed)
def _email_changed(sender, request, user, from_email_address, to_email_address, **kwargs):
    if to_email_address and to_email_address.email != user.email:
        User.objects.filter(pk=user.pk).update(email=to_email_address.email.lower())
    audit_log(
        kind=AuditEvent.Kind.EMAIL_CHANGE,
        user=user,
        request=request,
        data={"from": getattr(from_email_address, "email", ""), "to": getattr(to_email_address, "email", "")},
    )


@receiver(mfa_signals.authenticator_added)
def _mfa_added(sender, request, user, authenticator, **kwargs):
    audit_log(kind=AuditEvent.Kind.MFA_ENABLED, user=user, request=request, data={"type": authenticator.type})


@receiver(mfa_signals.authenticator_removed)
def _mfa_removed(sender, request, user, authenticator, **kwargs):
    audit_log(kind=AuditEvent.Kind.MFA_DISABLED, user=user, request=request, data={"type": authenticator.type})


@receiver(mfa_signals.authenticator_reset)
def _mfa_reset(sender, request, user, authenticator, **kwargs):
    audit_log(kind=AuditEvent.Kind.MFA_RECOVERY_CODES, user=user, request=request, data={"type": authenticator.type})
