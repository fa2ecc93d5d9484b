"""Pages of the feed and of posts (htmx): the feed with its composer, infinite scroll and the
"new posts" pill; trending, featured and saved lists; a post with its comment thread; edit,
delete, react, save, share; comments and their likes; tag pages.

Views parse input and call ``social.services`` / ``social.selectors``, the same functions the
API and the websocket handlers call. Partial templates are what htmx swaps and what the live
updates re-fetch.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from social import rules
from social.models import REACTION_EMOJI, PostType, ReactionType, Visibility
from social.selectors import posts as selectors
from social.services import interactions
from social.services import posts as services
from social.services.common import SocialRateLimited
from social.views.common import error_messages, is_htmx

TEMPLATE_FEED = "social/feed.html"
TEMPLATE_POST = "social/post_detail.html"






def reaction_choices():
    return [(t, REACTION_EMOJI[t], label) for t, label in ReactionType.choices]


def _composer_context(request, audience=None, **extra) -> dict:
    return {
        "visibility_choices": selectors.visibility_choices_for(viewer=request.user, audience=audience),
        "post_types": [(PostType.TEXT, _("Texto")), (PostType.PHOTO, _("Foto")), (PostType.PROGRESS, _("Progreso")),
                       (PostType.QUESTION, _("Pregunta")), (PostType.RECIPE, _("Receta"))],
        **extra,
    }


@login_required
@require_GET
def feed(request):
    """Personal feed (Para ti), trending (Tendencias) or featured (Destacadas)."""
    tab = request.GET.get("tab", "para-ti")
    post_type = request.GET.get("tipo") or None
    if post_type not in PostType.values:
        post_type = None
    page = request.GET.get("page", 1)
    ctx = {"tab": tab, "post_type": post_type, "reactions": reaction_choices()}
    audience = rules.audience_for(request.user)  # read once for every list on the page
    if tab == "tendencias":
        ctx["posts"] = selectors.trending_posts(viewer=request.user, limit=20, audience=audience)
        ctx["page_obj"] = None
    elif tab == "destacadas":
        ctx["posts"] = selectors.featured_posts(viewer=request.user, limit=20, audience=audience)
        ctx["page_obj"] = None
    else:
        tab = ctx["tab"] = "para-ti"
        result = selectors.feed_page(viewer=request.user, page=page, limit=10, post_type=post_type, audience=audience)
        ctx["posts"] = result.posts
        ctx["page_obj"] = result
    if is_htmx(request) and request.GET.get("page"):
        return render(request, f"{TEMPLATE_FEED}#feed-items", ctx)
    ctx.update(_composer_context(request, audience=audience))
    ctx["pending"] = selectors.pending_own_posts(viewer=request.user)
    ctx["trending_side"] = (
        selectors.trending_posts(viewer=request.user, limit=3, audience=audience) if tab == "para-ti" else []
    )
    return render(request, TEMPLATE_FEED, ctx)


@login_required
@require_POST
def post_create(request):
    data = request.POST
    images = request.FILES.getlist("images")
    progress = None
    if data.get("type") == PostType.PROGRESS:
        progress = {
            "weight_before_kg": data.get("weight_before_kg"),
            "weight_after_kg": data.get("weight_after_kg"),
            "time_period_days": data.get("time_period_days") or None,
        }
    back = data.get("next") or reverse("social:feed")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("social:feed")
    try:
        post = services.post_create(
            actor=request.user,
            type=data.get("type") or PostType.TEXT,
            title=data.get("title", ""),
            body=data.get("body", ""),
            visibility=data.get("visibility") or Visibility.PUBLIC,
            group_id=data.get("group_id"),
            family_circle_id=data.get("family_circle_id"),
            images=images,
            progress_data=progress,
            recipe_id=data.get("recipe_id"),
            state=data.get("state", ""),
            city=data.get("city", ""),
        )
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
        return redirect(back)
    except SocialRateLimited as exc:
        messages.error(request, str(exc))
        return redirect(back)
    except (ObjectDoesNotExist, PermissionDenied) as exc:
        if isinstance(exc, PermissionDenied) and str(exc):
            messages.error(request, str(exc))
            return redirect(back)
        raise Http404() from exc
    if post.moderation_status == "pending":
        messages.info(request, _("Tu publicación quedó en revisión; la verás publicada cuando se apruebe."))
    else:
        messages.success(request, _("¡Publicado!"))
    return redirect(back)


def _post_or_404(request, post_id):
    try:
        return selectors.post_get(viewer=request.user, post_id=post_id)
    except ObjectDoesNotExist as exc:
        raise Http404() from exc


@require_GET
def post_detail(request, post_id):
    """A post with its thread. Anonymous visitors see public posts (read only)."""
    audience = rules.audience_for(request.user)
    try:
        post = selectors.post_get(viewer=request.user, post_id=post_id, audience=audience)
    except ObjectDoesNotExist as exc:
        raise Http404() from exc
    services.post_view_count(viewer=request.user, post=post)
    ctx = {
        "post": post,
        "comments": selectors.comments_tree(viewer=request.user, post=post, audience=audience),
        "reactions": reaction_choices(),
        "detail": True,
    }
    return render(request, TEMPLATE_POST, ctx)


@require_GET
def post_comments(request, post_id):
    """The thread alone (htmx, and the live ``post:new_comment`` refresh)."""
    post = _post_or_404(request, post_id)
    return render(request, f"{TEMPLATE_POST}#thread", {"post": post, "comments": selectors.comments_tree(viewer=request.user, post=post)})


@require_GET
def post_card(request, post_id):
    """One post card (the live refresh of reactions and counts, and new posts at the top)."""
    post = _post_or_404(request, post_id)
    return render(request, "social/partials/post_card.html", {"post": post, "reactions": reaction_choices()})


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, post_id):
    post = _post_or_404(request, post_id)
    if post.author_id != request.user.pk:
        raise Http404()
    errors = []
    if request.method == "POST":
        data = {"title": request.POST.get("title", ""), "body": request.POST.get("body", "")}
        if request.POST.get("visibility") in (Visibility.PUBLIC, Visibility.FOLLOWERS, Visibility.NUTRITIONIST_ONLY):
            data["visibility"] = request.POST["visibility"]
        try:
            services.post_update(actor=request.user, post_id=post.pk, data=data)
        except ValidationError as exc:
            errors = error_messages(exc)
        except ObjectDoesNotExist as exc:
            raise Http404() from exc
        else:
            messages.success(request, _("Publicación actualizada."))
            return redirect("social:post", post.pk)
    ctx = {"post": post, "errors": errors, "visibility_choices": selectors.visibility_choices_for(viewer=request.user)}
    return render(request, "social/post_edit.html", ctx)


@login_required
@require_POST
def post_delete(request, post_id):
    try:
        services.post_delete(actor=request.user, post_id=post_id)
    except ObjectDoesNotExist as exc:
        raise Http404() from exc
    messages.success(request, _("Publicación eliminada."))
    if is_htmx(request):
        response = HttpResponse("")
        response["HX-Trigger"] = "post-deleted"
        return response
    return redirect("social:feed")


@login_required
@require_POST
def post_react(request, post_id):
    """Set, change or (``reaction_type`` empty or equal to the current one) take back a reaction."""
    choice = request.POST.get("reaction_type", "")
    try:
        current = selectors.post_get(viewer=request.user, post_id=post_id)
        if not choice or choice == current.my_reaction:
            interactions.reaction_remove(actor=request.user, post_id=post_id)
        else:
            interactions.reaction_set(actor=request.user, post_id=post_id, reaction_type=choice)
    except ObjectDoesNotExist as exc:
        raise Http404() from exc
    except (ValidationError, SocialRateLimited) as exc:
        messages.error(request, error_messages(exc)[0] if isinstance(exc, ValidationError) else str(exc))
    post = _post_or_404(request, post_id)
    if is_htmx(request):
        return render(request, "social/partials/post_card.html#actions", {"post": post, "reactions": reaction_choices()})
    return redirect("social:post", post.pk)


@login_required
@require_POST
def post_save(request, post_id):
    saved = request.POST.get("saved", "1") == "1"
    try:
        services.post_save_set(actor=request.user, post_id=post_id, saved=saved)
    except ObjectDoesNotExist as exc:
        raise Http404() from exc
    post = _post_or_404(request, post_id)
    if is_htmx(request):
        return render(request, "social/partials/post_card.html#actions", {"post": post, "reactions": reaction_choices()})
    messages.success(request, _("Guardada en tus Guardados.") if saved else _("Quitada de Guardados."))
    return redirect("social:post", post.pk)


@login_required
@require_POST
def post_share(request, post_id):
    try:
        share = services.post_share(
            actor=request.user,
            post_id=post_id,
            body=request.POST.get("body", ""),
            visibility=request.POST.get("visibility") or Visibility.PUBLIC,
        )
    except ObjectDoesNotExist as exc:
        raise Http404() from exc
    except (ValidationError, SocialRateLimited) as exc:
        messages.error(request, error_messages(exc)[0] if isinstance(exc, ValidationError) else str(exc))
        return redirect("social:post", post_id)
    if getattr(share, "replayed", False):
        messages.info(request, _("Ya habías compartido esta publicación."))
    else:
        messages.success(request, _("Compartida con tus seguidores."))
    return redirect("social:post", share.pk)


@login_required
@require_POST
def post_feature(request, post_id):
    if not request.user.is_staff:
        raise Http404()
    try:
        services.post_feature_set(actor=request.user, post_id=post_id, featured=request.POST.get("featured") == "1")
    except ObjectDoesNotExist as exc:
        raise Http404() from exc
    except ValidationError as exc:
        messages.error(request, error_messages(exc)[0])
    return redirect("social:post", post_id)


# ---------------------------------------------------------------------------------------
# comments


def _thread_response(request, post_id, *, error: str | None = None):
    post = _post_or_404(request, post_id)
    ctx = {"post": post, "comments": selectors.comments_tree(viewer=request.user, post=post), "comment_error": error}
    if is_htmx(request):
        return render(request, f"{TEMPLATE_POST}#thread", ctx)
    if error:
        messages.error(request, error)
    return redirect(reverse("social:post", args=[post_id]) + "#comentarios")


@login_required
@require_POST
def comment_create(request, post_id):
    try:
        interactions.comment_create(
            actor=request.user,
            post_id=post_id,
            content=request.POST.get("content", ""),
            parent_comment_id=request.POST.get("parent_comment_id") or None,
        )
    except ObjectDoesNotExist as exc:
        raise Http404() from exc
    except (ValidationError, SocialRateLimited, PermissionDenied) as exc:
        return _thread_response(request, post_id, error=error_messages(exc)[0] if isinstance(exc, ValidationError) else str(exc))
    return _thread_response(request, post_id)


def _comment_post_id(request, comment_id) -> int:
    post_id = selectors.comment_post_id(comment_id=comment_id)
    if post_id is None:
        raise Http404()
    return post_id


@login_required
@require_POST
def comment_edit(request, comment_id):
    post_id = _comment_post_id(request, comment_id)
    try:
        interactions.comment_update(actor=request.user, comment_id=comment_id, content=request.POST.get("content", ""))
    except ObjectDoesNotExist as exc:
        raise Http404() from exc
    except ValidationError as exc:
        return _thread_response(request, post_id, error=error_messages(exc)[0])
    return _thread_response(request, post_id)


@login_required
@require_POST
def comment_delete(request, comment_id):
    post_id = _comment_post_id(request, comment_id)
    try:
        interactions.comment_delete(actor=request.user, comment_id=comment_id)
    except ObjectDoesNotExist as exc:
        raise Http404() from exc
    return _thread_response(request, post_id)


@login_required
@require_POST
def comment_like(request, comment_id):
    post_id = _comment_post_id(request, comment_id)
    try:
        interactions.comment_like_set(actor=request.user, comment_id=comment_id, liked=request.POST.get("liked", "1") == "1")
    except ObjectDoesNotExist as exc:
        raise Http404() from exc
    except SocialRateLimited as exc:
        return _thread_response(request, post_id, error=str(exc))
    return _thread_response(request, post_id)


# ---------------------------------------------------------------------------------------
# lists


@login_required
@require_GET
def saved(request):
    result = selectors.saved_posts(viewer=request.user, page=request.GET.get("page", 1), limit=10)
    ctx = {"posts": result.posts, "page_obj": result, "reactions": reaction_choices(), "tab": "guardados"}
    if is_htmx(request) and request.GET.get("page"):
        return render(request, f"{TEMPLATE_FEED}#feed-items", ctx)
    return render(request, "social/saved.html", ctx)


@require_GET
def tag(request, tag):
    from social.text import normalise_tag

    name = normalise_tag(tag)
    from social.selectors.search import tag_posts

    result = tag_posts(viewer=request.user, tag=name, page=request.GET.get("page", 1), limit=10)
    ctx = {"tag": name, "posts": result.posts, "page_obj": result, "reactions": reaction_choices()}
    if is_htmx(request) and request.GET.get("page"):
        return render(request, f"{TEMPLATE_FEED}#feed-items", ctx)
    return render(request, "social/tag.html", ctx)
