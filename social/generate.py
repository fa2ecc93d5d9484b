"""Synthetic social network for benchmarks (``manage.py social_generate``)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

WORDS = (
    "hoy comí tacos de frijol con nopales y me sentí increíble; llevo tres semanas registrando mis comidas "
    "y ya bajé dos kilos; la receta de pozole verde de mi mamá con menos sal; caminé diez mil pasos; "
    "¿alguien tiene ideas de colaciones con fruta de temporada? agua de jamaica sin azúcar"
).split()
UNUSABLE_PASSWORD = make_password(None)
TAGS = ["recetas", "motivacion", "progreso", "diabetes", "comidamexicana", "hidratacion", "ejercicio"]


def _users(n: int, prefix: str, rng: random.Random) -> list[int]:
    from accounts.models import Profile, User

    batch = []
    ids: list[int] = []
    for i in range(n):
        batch.append(User(email=f"{prefix}{i}@gen.nutrimx.mx", username=f"{prefix}{i}", first_name=f"Persona{i}",
                          last_name="Generada", password=UNUSABLE_PASSWORD, user_type="patient"))
        if len(batch) == 2000:
            ids += [u.pk for u in User.objects.bulk_create(batch)]
            batch = []
    if batch:
        ids += [u.pk for u in User.objects.bulk_create(batch)]
    Profile.objects.bulk_create([Profile(user_id=pk, state=rng.choice(["CMX", "JAL", "NLE", "YUC"])) for pk in ids],
                                batch_size=2000)
    return ids


def _posts_sql(count: int, author_ids: list[int]) -> None:
    """One INSERT … SELECT over generate_series: authors, times and counters pseudo-random."""
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE gen_authors (n serial, author_id bigint) ON COMMIT DROP")
        cur.execute(
            "INSERT INTO gen_authors (author_id) SELECT unnest(%s::bigint[])", [author_ids]
        )
        cur.execute(
            """
            INSERT INTO social_post (author_id, type, title, body, visibility, state, city, tags,
                views_count, reactions_count, comments_count, shares_count, saves_count,
                reaction_heart, reaction_clap, reaction_fire, reaction_strong, reaction_celebrate,
                virality_score, is_trending, is_featured, moderation_status, moderation_reason, moderation_notes,
                flag_count, created_at, updated_at, is_edited)
            SELECT a.author_id, 'text', '',
                   'Publicación generada ' || g || ': hoy comí tacos de frijol con nopales #recetas',
                   CASE WHEN g %% 7 = 0 THEN 'followers' ELSE 'public' END, '', '', '["recetas"]'::jsonb,
                   0, (g %% 13), (g %% 5), (g %% 3), 0, (g %% 13), 0, 0, 0, 0,
                   0, false, false, 'approved', '', '', 0, ts, ts, false
            FROM (
                SELECT g, now() - ((g::bigint * 7919) %% (180 * 86400)) * interval '1 second' AS ts,
                       1 + (g::bigint * 104729) %% %s AS pick
                FROM generate_series(1, %s) AS g
            ) s JOIN gen_authors a ON a.n = s.pick
            """,
            [len(author_ids), count],
        )


def _posts_orm(count: int, author_ids: list[int], rng: random.Random) -> None:
    from social.models import Post

    now = timezone.now()
    batch = []
    for g in range(count):
        ts = now - timedelta(seconds=rng.randrange(180 * 86400))
        batch.append(Post(author_id=rng.choice(author_ids), body=f"Publicación generada {g}: " + " ".join(rng.sample(WORDS, 8)),
                          visibility="followers" if g % 7 == 0 else "public", tags=[rng.choice(TAGS)],
                          reactions_count=g % 13, reaction_heart=g % 13, comments_count=g % 5, shares_count=g % 3,
                          created_at=ts))
        if len(batch) == 5000:
            Post.objects.bulk_create(batch)
            batch = []
    if batch:
        Post.objects.bulk_create(batch)


@transaction.atomic
def generate(*, users: int, posts: int, viewer_follows: int, celebrity_followers: int, rng: random.Random, log=print) -> dict:
    from accounts.models import User
    from social.models import Follow

    log(f"users: {users}")
    ids = _users(users, "gen_u", rng)
    viewer = User.objects.create(email="gen_viewer@gen.nutrimx.mx", username="gen_viewer", first_name="Vero",
                                 last_name="Lectora", password=UNUSABLE_PASSWORD)
    celebrity = User.objects.create(email="gen_celebrity@gen.nutrimx.mx", username="gen_celebrity", first_name="Cele",
                                    last_name="Famosa", password=UNUSABLE_PASSWORD)
    from accounts.models import Profile

    Profile.objects.bulk_create([Profile(user=viewer), Profile(user=celebrity)])
    followed = rng.sample(ids, viewer_follows)
    Follow.objects.bulk_create([Follow(follower=viewer, followee_id=pk) for pk in followed], batch_size=5000)
    fans = rng.sample(ids, celebrity_followers)
    Follow.objects.bulk_create([Follow(follower_id=pk, followee=celebrity) for pk in fans], batch_size=5000)
    log(f"posts: {posts} ({connection.vendor})")
    if connection.vendor == "postgresql":
        _posts_sql(posts, ids)
    else:
        _posts_orm(posts, ids, rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE social_post")
            cur.execute("ANALYZE social_follow")
            cur.execute("ANALYZE accounts_user")
    return {"users": users + 2, "posts": posts, "viewer_id": viewer.pk, "celebrity_id": celebrity.pk,
            "viewer_follows": viewer_follows, "celebrity_followers": celebrity_followers}
