"""Search selectors: Spanish full text on PostgreSQL (stemming), accent-insensitive fallback on
SQLite, and never a post the viewer may not see; tags by prefix; people without blocked or
closed accounts; the posts of a tag."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from social.models import (
    Block,
    FamilyCircle,
    FamilyCircleMember,
    Follow,
    Group,
    GroupMember,
    GroupRole,
    GroupType,
    Post,
)
from social.selectors import search
from social.services.posts import post_create

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="Spanish stemming needs PostgreSQL")


def make_post(author, body, **kw):
    return post_create(actor=author, body=body, enforce_limit=False, **kw)


def found(viewer, q):
    return [p.pk for p in search.search_posts(viewer=viewer, q=q, limit=50).results]


@pytest.fixture
def author(make_user):
    return make_user(first_name="Alma", last_name="Autora")


# ---------------------------------------------------------------------------------------
# posts


def test_every_word_accents_and_case_ignored(author, user):
    both = make_post(author, "Mi receta de Nutrición: nopales asados con limón")
    one = make_post(author, "Nopales para la cena")
    make_post(author, "Nada que ver")
    assert found(user, "nutricion nopales") == [both.pk]
    assert found(user, "NUTRICIÓN") == [both.pk]
    assert set(found(user, "nopales")) == {both.pk, one.pk}
    assert found(user, "limon") == [both.pk]


def test_title_is_searched_too(author, user):
    post = make_post(author, "Lleva tortillas de maíz", title="Tacos de canasta")
    assert found(user, "canasta") == [post.pk]


@postgres_only
def test_spanish_stemming_on_postgresql(author, user):
    receta = make_post(author, "Comparto una receta de chilaquiles verdes")
    comer = make_post(author, "Hoy quiero comer más verduras")
    assert found(user, "recetas") == [receta.pk]
    assert found(user, "comiendo") == [comer.pk]
    assert found(user, "verdura") == [comer.pk]


@postgres_only
def test_ranked_by_relevance_then_recency_on_postgresql(author, user):
    once = make_post(author, "Un poco de avena por la mañana")
    many = make_post(author, "Avena, avena y más avena: mis desayunos de avena")
    assert found(user, "avena") == [many.pk, once.pk]


def test_newest_first_when_equal(author, user):
    old = make_post(author, "Agua de jamaica sin azúcar")
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - timezone.timedelta(days=3))
    new = make_post(author, "Agua de jamaica sin azúcar")
    assert found(user, "jamaica") == [new.pk, old.pk]


def test_search_never_leaks_what_the_viewer_may_not_see(make_user, author, user):
    word = "guacamole"
    public = make_post(author, f"{word} público")
    followers = make_post(author, f"{word} para seguidores", visibility="followers")
    hidden = make_post(author, f"{word} oculto")
    Post.objects.filter(pk=hidden.pk).update(moderation_status="hidden", moderation_reason="report")
    removed = make_post(author, f"{word} eliminado")
    Post.objects.filter(pk=removed.pk).update(moderation_status="removed")
    pending = make_post(author, f"{word} retenido")
    Post.objects.filter(pk=pending.pk).update(moderation_status="pending", moderation_reason="spam_hold")
    deleted = make_post(author, f"{word} borrado")
    Post.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())

    circle = FamilyCircle.objects.create(name="Familia Autora", owner=author)
    FamilyCircleMember.objects.create(circle=circle, user=author, role="owner")
    in_circle = make_post(author, f"{word} en familia", visibility="family_circle", family_circle_id=circle.pk)
    private_group = Group.objects.create(name="Privado", slug="privado", type=GroupType.PRIVATE)
    GroupMember.objects.create(group=private_group, user=author, role=GroupRole.MEMBER)
    in_group = make_post(author, f"{word} en el grupo", visibility="group", group_id=private_group.pk)

    blocker = make_user()
    blocked_post = make_post(blocker, f"{word} de alguien que me bloqueó")
    Block.objects.create(blocker=blocker, blocked=user)

    assert found(user, word) == [public.pk]
    # following opens the followers-only post; the author sees all of theirs but the deleted one
    Follow.objects.create(follower=user, followee=author)
    assert set(found(user, word)) == {public.pk, followers.pk}
    assert set(found(author, word)) == {public.pk, followers.pk, hidden.pk, removed.pk, pending.pk, in_circle.pk,
                                        in_group.pk, blocked_post.pk}
    assert blocked_post.pk not in found(user, word)
    # a member of the circle or the group finds those, nobody else does
    FamilyCircleMember.objects.create(circle=circle, user=user, role="family_member")
    assert in_circle.pk in found(user, word) and in_group.pk not in found(user, word)


def test_query_is_validated():
    for bad in ("", " ", "a", "x" * 101, None):
        with pytest.raises(ValidationError) as exc:
            search.search_posts(viewer=None, q=bad)
        assert "q" in exc.value.message_dict
    assert search.search_query_clean("  tacos   al pastor ") == "tacos al pastor"


def test_pagination(author, user):
    for i in range(5):
        make_post(author, f"Ensalada número {i}")
    first = search.search_posts(viewer=user, q="ensalada", page=1, limit=2)
    last = search.search_posts(viewer=user, q="ensalada", page=3, limit=2)
    assert (first.total_results, first.total_pages, len(first.results), first.has_next) == (5, 3, 2, True)
    assert len(last.results) == 1 and not last.has_next
    assert search.search_posts(viewer=user, q="ensalada", page=9, limit=2).results == []


# ---------------------------------------------------------------------------------------
# tags


def test_tags_by_prefix_with_public_counts(author, user):
    make_post(author, "Hoy #desayuno y #DesayunoSaludable")
    make_post(author, "Otro #desayuno")
    make_post(author, "Solo amigos #desayuno", visibility="followers")
    make_post(author, "#nutrición para todos")
    rows = list(search.search_tags_qs("#Desa"))
    assert rows == [{"tag": "desayuno", "count": 2}, {"tag": "desayunosaludable", "count": 1}]
    assert [r["tag"] for r in search.search_tags_qs("nutricion")] == ["nutrición"]
    assert search.search_tags("desayuno").total_results == 2


def test_tag_posts_newest_first_and_visible_only(make_user, author, user):
    old = make_post(author, "Mi #Receta de frijoles")
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - timezone.timedelta(hours=5))
    new = make_post(author, "Otra #receta")
    make_post(author, "#receta solo para mis seguidores", visibility="followers")
    make_post(author, "Sin etiqueta, receta")
    page = search.tag_posts(viewer=user, tag="#RECETA")
    assert [p.pk for p in page.results] == [new.pk, old.pk]
    assert page.posts == page.results and page.total_results == 2


# ---------------------------------------------------------------------------------------
# people


def test_people_accent_insensitive_and_without_blocked_or_closed_accounts(make_user, user):
    jose = make_user(first_name="José", last_name="Núñez", username="pepe_nunez")
    make_user(first_name="Josefina", last_name="Pérez")
    blocked = make_user(first_name="José", last_name="Bloqueado")
    Block.objects.create(blocker=user, blocked=blocked)
    blocker = make_user(first_name="José", last_name="Quemebloquea")
    Block.objects.create(blocker=blocker, blocked=user)
    make_user(first_name="José", last_name="Suspendido", is_banned=True)
    make_user(first_name="José", last_name="Inactivo", is_active=False)
    make_user(first_name="José", last_name="Borrado", deleted_at=timezone.now())

    names = [u.last_name for u in search.search_people(viewer=user, q="jose").results]
    assert sorted(names) == ["Núñez", "Pérez"]
    assert [u.pk for u in search.search_people(viewer=user, q="JOSÉ nunez").results] == [jose.pk]
    assert [u.pk for u in search.search_people(viewer=user, q="@pepe_nunez").results] == [jose.pk]
    assert [u.pk for u in search.search_people(viewer=user, q="NÚÑEZ").results] == [jose.pk]
