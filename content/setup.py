"""Editorial groups, permissions, workflow and locales of the public site (idempotent).

``content_setup()`` is run by the data migration ``0002_editorial_groups`` (with the historical
``apps`` registry), by ``manage.py content_setup`` and whenever a site's root page changes or a
root page is translated (``content.signals``), so sites and locale trees created later get the
same rules:

* **Editores** write: add and edit pages under each site root (and its translations), choose and
  upload images and documents, edit the FAQ, testimonial and video snippets, and submit pages
  for moderation. They cannot publish.
* **Moderadores** can do everything editors can, plus publish and unpublish pages, approve in the
  workflow, delete media and snippets, and edit the site settings and navigation.
* Workflow **Revisión editorial**: one group-approval task assigned to Moderadores, attached to
  the tree root and every site root (and its translations), so every page needs approval.
* Locales: es-MX (the default, created by Wagtail) and English.

Neither group is staff (no Django admin) and neither holds a permission on ``accounts``,
``nutrition``, ``clinical`` or ``social`` models: those apps are never named here.
"""

from __future__ import annotations

from django.apps import apps as global_apps

EDITORS = "Editores"
MODERATORS = "Moderadores"
WORKFLOW_NAME = "Revisión editorial"
TASK_NAME = "Aprobación de Moderadores"
LOCALES = ("es-mx", "en")

# (app_label, model, codename, human name)
_ACCESS_ADMIN = ("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")
_PAGE_EDITOR = ("add", "change")
_PAGE_MODERATOR = ("add", "change", "publish", "lock", "unlock")
_COLLECTION_EDITOR = {"wagtailimages.image": ("add", "choose"), "wagtaildocs.document": ("add", "choose")}
_COLLECTION_MODERATOR = {"wagtailimages.image": ("add", "change", "choose", "delete"),
                         "wagtaildocs.document": ("add", "change", "choose", "delete")}
_SNIPPETS_EDITOR = {"content.faq": ("add", "change", "view"), "content.testimonial": ("add", "change", "view"),
                    "content.video": ("add", "change", "view")}
_SNIPPETS_MODERATOR = {"content.faq": ("add", "change", "delete", "view"),
                       "content.testimonial": ("add", "change", "delete", "view"),
                       "content.video": ("add", "change", "delete", "view"),
                       "content.sitesettings": ("change",), "content.navigation": ("change",)}


def _permission(apps, app_label: str, model: str, codename: str, name: str = ""):
    """The Permission row (created when migrations run before ``post_migrate`` made it)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    ct, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    perm = Permission.objects.filter(content_type=ct, codename=codename).first()
    if perm is None:
        perm = Permission.objects.create(content_type=ct, codename=codename,
                                         name=name or f"Can {codename.replace('_', ' ')}")
    return perm


def _model_permissions(apps, spec: dict[str, tuple[str, ...]]):
    out = []
    for label, actions in spec.items():
        app_label, model = label.split(".")
        out += [_permission(apps, app_label, model, f"{action}_{model}") for action in actions]
    return out


def _site_roots(apps):
    """Each site's root page plus its translations (the locale trees)."""
    Site = apps.get_model("wagtailcore", "Site")
    Page = apps.get_model("wagtailcore", "Page")
    roots = []
    for site in Site.objects.select_related("root_page"):
        root = site.root_page
        roots += list(Page.objects.filter(translation_key=root.translation_key)) if root.translation_key else [root]
    seen, unique = set(), []
    for page in roots:
        if page.pk not in seen:
            seen.add(page.pk)
            unique.append(page)
    return unique


def _locales(apps) -> None:
    Locale = apps.get_model("wagtailcore", "Locale")
    for code in LOCALES:
        Locale.objects.get_or_create(language_code=code)


def _groups(apps):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Collection = apps.get_model("wagtailcore", "Collection")

    editors, _ = Group.objects.get_or_create(name=EDITORS)
    moderators, _ = Group.objects.get_or_create(name=MODERATORS)
    access = _permission(apps, *_ACCESS_ADMIN)
    roots = _site_roots(apps)
    collection_root = Collection.objects.filter(depth=1).order_by("path").first()

    for group, page_actions, collection_spec, model_spec in (
        (editors, _PAGE_EDITOR, _COLLECTION_EDITOR, _SNIPPETS_EDITOR),
        (moderators, _PAGE_MODERATOR, _COLLECTION_MODERATOR, _SNIPPETS_MODERATOR),
    ):
        group.permissions.add(access, *_model_permissions(apps, model_spec))
        page_perms = [_permission(apps, "wagtailcore", "page", f"{a}_page") for a in page_actions]
        for page in roots:
            for perm in page_perms:
                GroupPagePermission.objects.get_or_create(group=group, page_id=page.pk, permission=perm)
        if collection_root is not None:
            for perm in _model_permissions(apps, collection_spec):
                GroupCollectionPermission.objects.get_or_create(group=group, collection=collection_root,
                                                                permission=perm)
    return editors, moderators


def _workflow(apps, moderators) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Page = apps.get_model("wagtailcore", "Page")

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        ct, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=ct, active=True)
    task.groups.add(moderators)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})
    # The tree root covers every locale tree and site created later; each site root (and its
    # translations) too, so a workflow set on the root by someone else cannot skip ours.
    targets = list(Page.objects.filter(depth=1)) + _site_roots(apps)
    for page in targets:
        WorkflowPage.objects.update_or_create(page_id=page.pk, defaults={"workflow": workflow})


def content_setup(apps=None) -> None:
    """Create or complete locales, the Editores/Moderadores groups, their permissions and the
    "Revisión editorial" workflow. Safe to run any number of times."""
    apps = apps or global_apps
    _locales(apps)
    _editors, moderators = _groups(apps)
    _workflow(apps, moderators)


# ---------------------------------------------------------------------------------------
# keep it true for sites and locale trees created later


def _rerun_on_site_change(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    from django.db import transaction

    transaction.on_commit(content_setup)


def _rerun_on_root_translation(sender, source_obj=None, target_obj=None, **kwargs):
    from django.db import transaction

    if target_obj is not None and getattr(target_obj, "depth", 0) == 2:
        transaction.on_commit(content_setup)


def connect_signals() -> None:
    """Called from ``ContentConfig.ready``: a new or changed site and a translated site root
    get the editorial permissions and workflow at once."""
    from django.db.models.signals import post_save
    from wagtail.models import Site
    from wagtail.signals import copy_for_translation_done, page_published, page_unpublished

    from content.search import vocabulary_invalidate

    post_save.connect(_rerun_on_site_change, sender=Site, dispatch_uid="content_setup_site")
    copy_for_translation_done.connect(_rerun_on_root_translation, dispatch_uid="content_setup_translation")
    page_published.connect(vocabulary_invalidate, dispatch_uid="content_search_vocab_published")
    page_unpublished.connect(vocabulary_invalidate, dispatch_uid="content_search_vocab_unpublished")
