"""Staff tools (ban with reason, role grants through the admin), demo data and secrets at rest."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import AuditEvent, Role, RoleGrant, User


@pytest.fixture
def staff(make_user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    person = make_user(email="staff@example.mx", is_staff=True, is_superuser=True, user_type="admin")
    TOTP.activate(person, generate_totp_secret())  # admins must have 2FA to use any page
    return person


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_logins(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    counts = (User.objects.count(), RoleGrant.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), RoleGrant.objects.count()) == counts == (5, 3)
    for email in ("paciente@demo.nutrimx.mx", "nutriologa@demo.nutrimx.mx", "admin@demo.nutrimx.mx",
                  "editor@demo.nutrimx.mx", "moderadora@demo.nutrimx.mx"):
        assert email in first
    nutri = User.objects.get(email="nutriologa@demo.nutrimx.mx")
    assert nutri.has_role(Role.NUTRITIONIST)
    editor = User.objects.get(email="editor@demo.nutrimx.mx")
    assert editor.has_perm("wagtailadmin.access_admin") and not editor.is_staff
    assert list(editor.groups.values_list("name", flat=True)) == ["Editores"]
    moderator = User.objects.get(email="moderadora@demo.nutrimx.mx")
    assert list(moderator.groups.values_list("name", flat=True)) == ["Moderadores"] and not moderator.is_staff
    assert User.objects.get(email="paciente@demo.nutrimx.mx").profile.city == "Ciudad de México"


@pytest.mark.django_db
def test_staff_bans_with_reason_from_admin_and_event_is_audited(staff_client, user):
    url = reverse("admin:accounts_user_changelist")
    resp = staff_client.post(url, {"action": "ban_users", "_selected_action": [user.pk]})
    assert "Suspender cuentas" in resp.content.decode()
    resp = staff_client.post(
        url, {"action": "ban_users", "_selected_action": [user.pk], "apply": "1", "reason": "Spam de productos milagro"}
    )
    assert resp.status_code == 302
    user.refresh_from_db()
    assert user.is_banned and user.banned_reason == "Spam de productos milagro"
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.BANNED, user=user)
    assert event.data["reason"] == "Spam de productos milagro"


@pytest.mark.django_db
def test_ban_without_reason_changes_nothing(staff_client, user):
    url = reverse("admin:accounts_user_changelist")
    staff_client.post(url, {"action": "ban_users", "_selected_action": [user.pk], "apply": "1", "reason": ""})
    user.refresh_from_db()
    assert not user.is_banned


@pytest.mark.django_db
def test_only_staff_grant_nutritionist_role_and_grant_is_audited(staff_client, make_user):
    from django.core.exceptions import PermissionDenied

    from accounts.services import role_grant

    applicant = make_user(user_type="nutritionist")
    assert not applicant.has_role(Role.NUTRITIONIST)
    with pytest.raises(PermissionDenied):
        role_grant(actor=applicant, user=applicant, role=Role.NUTRITIONIST)
    staff_client.post(
        reverse("admin:accounts_user_changelist"), {"action": "grant_nutritionist", "_selected_action": [applicant.pk]}
    )
    applicant = User.objects.get(pk=applicant.pk)
    assert applicant.has_role(Role.NUTRITIONIST)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.ROLE_GRANTED, user=applicant, data__role="nutritionist").exists()


@pytest.mark.django_db
def test_editor_is_refused_by_django_admin_but_enters_wagtail(client, make_user):
    from django.contrib.auth.models import Group

    editor = make_user()
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get("/django-admin/").status_code == 302  # to the admin login: not staff
    resp = client.get("/cms/")
    assert resp.status_code == 200


@pytest.mark.django_db
def test_totp_secret_is_encrypted_at_rest(user):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
    assert secret not in stored and stored.startswith("fernet:")
    from accounts.adapters import MFAAdapter

    assert MFAAdapter().decrypt(stored) == secret


@pytest.mark.django_db
def test_soft_delete_anonymises_and_keeps_row(user):
    from accounts.services import user_soft_delete

    pk = user.pk
    user_soft_delete(actor=user, user=user)
    row = User.objects.get(pk=pk)
    assert row.deleted_at is not None and not row.is_active
    assert row.email == f"deleted_{pk}@deleted.local" and row.first_name == "Usuario"
    assert not row.has_usable_password()
    assert row.profile.phone == "" and row.profile.allergies == []


@pytest.mark.django_db
def test_django_admin_login_goes_through_allauth_so_2fa_applies(client):
    resp = client.get("/django-admin/login/?next=/django-admin/")
    assert resp.status_code == 302
    assert resp["Location"].startswith("/accounts/login/") and "next=" in resp["Location"]


@pytest.mark.django_db
def test_admin_user_type_without_totp_is_refused_by_api_and_sent_to_enrol_on_web(client, make_user, password):
    admin_person = make_user(user_type="admin")
    resp = client.post(
        "/api/v1/auth/login", {"email": admin_person.email, "password": password}, content_type="application/json"
    )
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "MFA_SETUP_REQUIRED"
    client.force_login(admin_person)
    assert client.get("/inicio/")["Location"] == reverse("mfa_activate_totp")
