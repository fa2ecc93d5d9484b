"""allauth adapters: our sign-up service, ban refusal, encrypted TOTP secrets."""

from __future__ import annotations

import base64
import hashlib

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse

from config.http import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        return client_ip(request) or "0.0.0.0"  # noqa: S104 - a placeholder key for rate limits only

    def pre_login(self, request, user, **kwargs):
        from accounts.services import login_refusal_reason

        reason = login_refusal_reason(user)
        if reason and user.is_active:
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            messages.error(request, reason)
            return HttpResponseRedirect(reverse("account_login"))
        return super().pre_login(request, user, **kwargs)

    def populate_username(self, request, user):
        from accounts.services import username_generate

        if not user.username:
            user.username = username_generate(
                first_name=user.first_name, last_name=user.last_name, email=user.email or ""
            )

    def get_login_redirect_url(self, request):
        return reverse("home")

    def send_mail(self, template_prefix, email, context):
        # Emails go out in the recipient's language when we know it.
        from django.utils import translation

        from accounts.models import User

        user = context.get("user") or User.objects.filter(email__iexact=email).first()
        lang = getattr(user, "language", None) or translation.get_language()
        with translation.override(lang):
            return super().send_mail(template_prefix, email, context)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return True

    def save_user(self, request, sociallogin, form=None):
        from accounts.services import user_onboard

        user = super().save_user(request, sociallogin, form)
        accept_marketing = bool(form and form.cleaned_data.get("accept_marketing"))
        user_onboard(user=user, accept_marketing=accept_marketing, request=request)
        return user


def _fernet() -> Fernet:
    digest = hashlib.sha256(settings.FIELD_ENCRYPTION_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets are stored encrypted (Fernet, key from FIELD_ENCRYPTION_KEY)."""

    PREFIX = "fernet:"

    def encrypt(self, text: str) -> str:
        return self.PREFIX + _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(self.PREFIX):
            return encrypted_text
        try:
            return _fernet().decrypt(encrypted_text[len(self.PREFIX):].encode()).decode()
        except InvalidToken as exc:
            raise ValueError("TOTP secret cannot be decrypted with the configured key") from exc
