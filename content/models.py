"""The public site editors run in Wagtail: home page, blog, resources with lead magnets, legal
pages and forms; videos, FAQ and testimonials as snippets; site settings and navigation used by
every page of the platform. Pages carry SEO fields (title up to 60, description up to 160
characters with warnings in the editor, Open Graph image, canonical URL).

Models hold data and invariants; reads live in ``content.selectors`` and writes (lead capture,
counters, publishing side effects) in ``content.services``.
"""

from __future__ import annotations

import math
import re

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks as _blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField, AbstractFormSubmission
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from content.blocks import BODY_BLOCKS, HOME_BLOCKS

SEO_TITLE_MAX = 60
SEO_DESCRIPTION_MAX = 160
WORDS_PER_MINUTE = 200


# ---------------------------------------------------------------------------------------
# SEO on every page


class SeoFields(models.Model):
    """Open Graph image and canonical URL; Wagtail's own ``seo_title`` and
    ``search_description`` are the title (≤ 60) and description (≤ 160)."""

    og_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("imagen para redes sociales"),
    )
    canonical_url = models.URLField(_("URL canónica"), blank=True,
                                    help_text=_("Solo si este contenido vive primero en otra dirección."))

    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel("seo_title", help_text=_("Hasta 60 caracteres; más se corta en los buscadores."),
                           attrs={"data-max-chars": SEO_TITLE_MAX}),
                FieldPanel("search_description",
                           help_text=_("Hasta 160 caracteres; aparece bajo el título en los buscadores."),
                           attrs={"data-max-chars": SEO_DESCRIPTION_MAX}),
                FieldPanel("og_image"),
                FieldPanel("canonical_url"),
                FieldPanel("show_in_menus"),
            ],
            heading=_("Buscadores y redes sociales"),
        )
    ]

    class Meta:
        abstract = True

    def seo_warnings(self) -> list[str]:
        """What an editor is warned about (shown in the editor and checked by tests)."""
        out = []
        title = self.seo_title or self.title
        if len(title) > SEO_TITLE_MAX:
            out.append(str(_("El título para buscadores tiene %(n)s caracteres; el máximo recomendado es 60.")
                           % {"n": len(title)}))
        if not self.search_description:
            out.append(str(_("Falta la descripción para buscadores.")))
        elif len(self.search_description) > SEO_DESCRIPTION_MAX:
            out.append(str(_("La descripción tiene %(n)s caracteres; el máximo recomendado es 160.")
                           % {"n": len(self.search_description)}))
        return out


# ---------------------------------------------------------------------------------------
# home


class HomePage(SeoFields, Page):
    """The public home page: sections an editor adds and reorders."""

    body = StreamField(HOME_BLOCKS, blank=True, use_json_field=True, verbose_name=_("secciones"))

    content_panels = [*Page.content_panels, FieldPanel("body")]
    promote_panels = SeoFields.promote_panels
    max_count_per_parent = 1
    api_fields = [APIField("body")]
    subpage_types = ["content.BlogIndexPage", "content.ResourceIndexPage", "content.LegalPage", "content.FormPage",
                     "content.VideoIndexPage"]

    class Meta:
        verbose_name = _("página de inicio")

    # The rendered home is cached for anonymous visitors (per site and language) and the CSRF
    # token is put back per request, so the language switch keeps working from a cached page.
    CSRF_PLACEHOLDER = "__content-home-csrf-token__"

    def route(self, request, path_components):
        """A visitor reading in a language a page was not translated into gets the page in the
        site's default language rather than a 404 (the address is the same in both)."""
        from django.http import Http404
        from wagtail.models import Locale

        try:
            return super().route(request, path_components)
        except Http404:
            default = Locale.get_default()
            if self.locale_id == default.pk:
                raise
            original = self.get_translation_or_none(default)
            if original is None:
                raise
            return original.specific.route(request, path_components)

    @staticmethod
    def cacheable(request) -> bool:
        """Anonymous GET of the plain address, no preview, no pending messages."""
        from django.contrib.messages import get_messages

        if request.method not in ("GET", "HEAD") or request.GET or getattr(request, "is_preview", False):
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        return len(get_messages(request)) == 0

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["has_hero"] = any(block.block_type == "hero" for block in self.body)  # the hero holds the h1
        if getattr(request, "_content_home_caching", False):
            context["csrf_token"] = self.CSRF_PLACEHOLDER
        return context

    def serve(self, request, *args, **kwargs):
        from django.http import HttpResponse
        from django.middleware.csrf import get_token
        from django.utils.translation import get_language
        from wagtail.models import Site

        from content.selectors import home_cache_get, home_cache_variant
        from content.services import home_cache_store

        if not self.cacheable(request):
            return super().serve(request, *args, **kwargs)
        site = Site.find_for_request(request)
        key = {"site_id": site.pk if site is not None else 0, "language": get_language() or settings.LANGUAGE_CODE,
               "variant": home_cache_variant(request)}
        html, state = home_cache_get(**key), "hit"
        if html is None:
            request._content_home_caching = True
            try:
                response = super().serve(request, *args, **kwargs)
                if hasattr(response, "render"):
                    response.render()
            finally:
                request._content_home_caching = False
            if response.status_code != 200:
                return response
            html, state = response.content.decode(response.charset or "utf-8"), "miss"
            home_cache_store(html=html, **key)
        response = HttpResponse(html.replace(self.CSRF_PLACEHOLDER, get_token(request)),
                                content_type="text/html; charset=utf-8")
        response["X-Home-Cache"] = state
        return response


# ---------------------------------------------------------------------------------------
# blog


class BlogCategory(models.TextChoices):
    NUTRITION = "nutrition", _("Nutrición")
    GUT_HEALTH = "gut-health", _("Salud digestiva")
    HORMONES = "hormones", _("Hormonas")
    RECIPES = "recipes", _("Recetas")
    LIFESTYLE = "lifestyle", _("Estilo de vida")
    SUCCESS_STORIES = "success-stories", _("Historias de éxito")


class SectionIndexPage(SeoFields, Page):
    """A section of the site under the home page (blog, resources, videos): one of each, with
    an introduction; its children are the section's items."""

    intro = RichTextField(_("introducción"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    promote_panels = SeoFields.promote_panels
    parent_page_types = ["content.HomePage"]
    max_count_per_parent = 1

    class Meta:
        abstract = True


class BlogIndexPage(SectionIndexPage):
    subpage_types = ["content.BlogPage"]

    class Meta:
        verbose_name = _("índice del blog")

    def get_context(self, request, *args, **kwargs):
        """The published posts, newest first, filtered by ``?category=`` and ``?tag=``, ten a page."""
        from urllib.parse import urlencode

        from taggit.models import Tag

        from content.selectors import blog_post_list, blog_post_page

        context = super().get_context(request, *args, **kwargs)
        category = request.GET.get("category", "")
        category = category if category in BlogCategory.values else ""
        tag_slug = request.GET.get("tag", "")[:100]
        tag = Tag.objects.filter(slug=tag_slug).first() if tag_slug else None
        posts = blog_post_list(index=self, category=category or None, tag=tag.slug if tag else None)
        if tag_slug and tag is None:
            posts = posts.none()
        page = blog_post_page(posts=posts, page_number=request.GET.get("page"))
        keep = {k: v for k, v in (("category", category), ("tag", tag.slug if tag else "")) if v}
        context.update({
            "posts": page,
            "categories": BlogCategory.choices,
            "current_category": category,
            "current_category_label": BlogCategory(category).label if category else "",
            "current_tag": tag,
            "filter_query": urlencode(keep),
            "is_filtered": bool(keep),
        })
        return context


class BlogPageTag(TaggedItemBase):
    content_object = ParentalKey("content.BlogPage", related_name="tagged_items", on_delete=models.CASCADE)


class BlogPage(SeoFields, Page):
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="blog_posts", verbose_name=_("autor(a)"))
    author_name = models.CharField(_("firma"), max_length=120, blank=True,
                                   help_text=_("Como aparece en la entrada; vacío: el nombre del autor(a)."))
    date = models.DateField(_("fecha"), default=timezone.localdate)
    category = models.CharField(_("categoría"), max_length=20, choices=BlogCategory.choices,
                                default=BlogCategory.NUTRITION)
    excerpt = models.TextField(_("resumen"), max_length=300, blank=True)
    hero_image = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("imagen principal"))
    hero_alt = models.CharField(_("texto alternativo de la imagen"), max_length=200, blank=True)
    body = StreamField(BODY_BLOCKS, use_json_field=True, verbose_name=_("contenido"))
    tags = ClusterTaggableManager(through=BlogPageTag, blank=True, verbose_name=_("etiquetas"))
    read_time = models.PositiveSmallIntegerField(_("minutos de lectura"), default=1, editable=False)
    view_count = models.PositiveIntegerField(_("vistas"), default=0, editable=False)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldRowPanel([FieldPanel("date"), FieldPanel("category")]),
                         FieldRowPanel([FieldPanel("author"), FieldPanel("author_name")]),
                         FieldPanel("tags")], heading=_("Datos de la entrada")),
        FieldPanel("excerpt"),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_alt")], heading=_("Imagen principal")),
        FieldPanel("body"),
        InlinePanel("related_links", label=_("Entradas relacionadas (hasta 3)"), max_num=3),
    ]
    promote_panels = SeoFields.promote_panels
    parent_page_types = ["content.BlogIndexPage"]
    subpage_types: list[str] = []
    # /api/v2/ for the mobile app (see README).
    api_fields = [
        APIField("date"),
        APIField("category"),
        APIField("excerpt"),
        APIField("read_time"),
        APIField("author_name"),
        APIField("hero_image", serializer=ImageRenditionField("fill-1200x630")),
        APIField("hero_alt"),
        APIField("body"),
        APIField("tags"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("excerpt"),
        index.SearchField("body"),
        index.FilterField("category"),
        index.FilterField("date"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]

    class Meta:
        verbose_name = _("entrada del blog")
        verbose_name_plural = _("entradas del blog")

    def save(self, *args, **kwargs):
        self.read_time = self.compute_read_time()
        super().save(*args, **kwargs)

    def plain_text(self) -> str:
        parts = []
        for block in self.body:
            value = block.value
            if block.block_type == "paragraph":
                parts.append(strip_tags(value.source if hasattr(value, "source") else str(value)))
            elif block.block_type in ("heading",):
                parts.append(str(value))
            elif block.block_type == "quote":
                parts.append(value.get("quote", ""))
        return " ".join(parts)

    def get_context(self, request, *args, **kwargs):
        from content.selectors import blog_related_posts

        context = super().get_context(request, *args, **kwargs)
        context["related_posts"] = blog_related_posts(post=self)
        context["blog_index"] = self.get_parent().specific if self.pk else None
        return context

    def serve(self, request, *args, **kwargs):
        """Counts the view (once per visitor every few hours; never a preview) and shows the post."""
        if request.method == "GET" and not getattr(request, "is_preview", False):
            from content.services import blog_view_count

            blog_view_count(post=self, request=request)
        return super().serve(request, *args, **kwargs)

    def compute_read_time(self) -> int:
        words = len(re.findall(r"\w+", f"{self.title} {self.excerpt} {self.plain_text()}"))
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    @property
    def byline(self) -> str:
        if self.author_name:
            return self.author_name
        return self.author.full_name if self.author_id and self.author else ""


class BlogRelatedLink(Orderable):
    page = ParentalKey(BlogPage, on_delete=models.CASCADE, related_name="related_links")
    related = models.ForeignKey(BlogPage, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("entrada"))

    panels = [FieldPanel("related")]


# ---------------------------------------------------------------------------------------
# resources


class ResourceType(models.TextChoices):
    PDF = "pdf", _("Guía en PDF")
    VIDEO = "video", _("Video")
    CALCULATOR = "calculator", _("Calculadora")
    TRACKER = "tracker", _("Plantilla de registro")
    MEAL_PLAN = "meal_plan", _("Plan de alimentación")
    RECIPE_COLLECTION = "recipe_collection", _("Recetario")
    GUIDE = "guide", _("Guía")
    EBOOK = "ebook", _("Libro electrónico")


class AccessLevel(models.TextChoices):
    FREE = "free", _("Gratis")
    REGISTERED = "registered", _("Con cuenta")
    PROGRAM = "program", _("Inscritos en un programa")
    PREMIUM = "premium", _("Premium")


class ResourceIndexPage(SectionIndexPage):
    subpage_types = ["content.ResourcePage"]

    class Meta:
        verbose_name = _("índice de recursos")


class ResourcePage(SeoFields, Page):
    resource_type = models.CharField(_("tipo"), max_length=20, choices=ResourceType.choices, default=ResourceType.PDF)
    access_level = models.CharField(_("acceso"), max_length=20, choices=AccessLevel.choices, default=AccessLevel.FREE)
    description = models.TextField(_("descripción"), max_length=500)
    body = RichTextField(_("detalle"), blank=True, features=["bold", "italic", "link", "ol", "ul", "h3"])
    file = models.ForeignKey("wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("archivo"))
    external_url = models.URLField(_("o enlace"), blank=True, help_text=_("Para videos o herramientas en línea."))
    thumbnail = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("miniatura"))
    lead_magnet = models.BooleanField(_("pedir correo antes de descargar"), default=False,
                                      help_text=_("Solo para recursos gratuitos: la descarga llega tras dejar un correo "
                                                  "con consentimiento."))
    download_count = models.PositiveIntegerField(_("descargas"), default=0, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("resource_type"), FieldPanel("access_level")]),
        FieldPanel("description"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("file"), FieldPanel("external_url"), FieldPanel("thumbnail"),
                         FieldPanel("lead_magnet")], heading=_("Entrega")),
    ]
    promote_panels = SeoFields.promote_panels
    parent_page_types = ["content.ResourceIndexPage"]
    subpage_types: list[str] = []
    # /api/v2/: never the file itself (a non-free or gated file is reached through the page).
    api_fields = [
        APIField("resource_type"),
        APIField("access_level"),
        APIField("description"),
        APIField("lead_magnet"),
        APIField("download_count"),
        APIField("thumbnail", serializer=ImageRenditionField("fill-600x400")),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.SearchField("body"),
        index.FilterField("resource_type"),
        index.FilterField("access_level"),
    ]

    class Meta:
        verbose_name = _("recurso")
        verbose_name_plural = _("recursos")

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if not self.file_id and not self.external_url:
            raise ValidationError({"file": _("Sube un archivo o escribe un enlace.")})
        if self.lead_magnet and self.access_level != AccessLevel.FREE:
            raise ValidationError({"lead_magnet": _("Solo un recurso gratuito puede pedir el correo.")})


class LeadCapture(models.Model):
    """An email left to download a gated resource, with the consent it was given under."""

    resource = models.ForeignKey(ResourcePage, on_delete=models.CASCADE, related_name="leads")
    email = models.EmailField()
    name = models.CharField(max_length=120, blank=True)
    consent_text = models.TextField()
    marketing_opt_in = models.BooleanField(default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("contacto captado")
        verbose_name_plural = _("contactos captados")
        indexes = [models.Index(fields=["resource", "-created_at"], name="lead_resource_idx")]

    def __str__(self):
        return f"{self.email} → {self.resource_id}"


# ---------------------------------------------------------------------------------------
# videos


class VideoIndexPage(SectionIndexPage):
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("videos")


# ---------------------------------------------------------------------------------------
# legal pages


class LegalKind(models.TextChoices):
    PRIVACY = "privacy", _("Aviso de privacidad")
    TERMS = "terms", _("Términos y condiciones")
    COOKIES = "cookies", _("Política de cookies")


class LegalPage(SeoFields, Page):
    """A legal text editors maintain. Publishing a privacy notice or terms with a new version
    records it as the current accounts.LegalDocument, so sign-up consents name it and people
    who accepted an older version are asked to accept again."""

    kind = models.CharField(_("documento"), max_length=20, choices=LegalKind.choices)
    version = models.CharField(_("versión"), max_length=20, help_text=_("Por ejemplo 2026-12. Cambiarla pide aceptar de nuevo."))
    body = RichTextField(_("texto"), features=["bold", "italic", "link", "ol", "ul", "h2", "h3", "h4", "hr"])

    content_panels = [*Page.content_panels, FieldRowPanel([FieldPanel("kind"), FieldPanel("version")]),
                      FieldPanel("body")]
    promote_panels = SeoFields.promote_panels
    parent_page_types = ["content.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("página legal")
        verbose_name_plural = _("páginas legales")


# ---------------------------------------------------------------------------------------
# forms built by editors


class FormField(AbstractFormField):
    page = ParentalKey("content.FormPage", on_delete=models.CASCADE, related_name="form_fields")


class SourcedFormSubmission(AbstractFormSubmission):
    """A stored submission with where it came from (seed 002: source and IP)."""

    source = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)


class FormPage(SeoFields, AbstractEmailForm):
    intro = RichTextField(_("introducción"), blank=True, features=["bold", "italic", "link"])
    thank_you_text = RichTextField(_("texto de agradecimiento"), blank=True, features=["bold", "italic", "link"])

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Campos")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel([FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                         FieldPanel("subject")], heading=_("Correo al recibir")),
    ]
    promote_panels = SeoFields.promote_panels
    parent_page_types = ["content.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("formulario")

    def get_submission_class(self):
        return SourcedFormSubmission  # keeps where each submission came from (page and IP)

    # Spam protection (honeypot, minimum fill time, per-IP rate) lives in content.forms_spam;
    # these methods only plug it in and record the source page and IP.

    def serve(self, request, *args, **kwargs):
        self._serving_request = request
        return super().serve(request, *args, **kwargs)

    def get_form(self, *args, **kwargs):
        from content.forms_spam import protect

        form_class = protect(self.get_form_class(), request=getattr(self, "_serving_request", None), page=self)
        params = self.get_form_parameters()
        params.update(kwargs)
        return form_class(*args, **params)

    def process_form_submission(self, form):
        from content.forms_spam import SPAM_FIELDS, submission_source

        data = {k: v for k, v in form.cleaned_data.items() if k not in SPAM_FIELDS}
        source, ip = submission_source(getattr(self, "_serving_request", None), self)
        submission = SourcedFormSubmission.objects.create(form_data=data, page=self, source=source, ip_address=ip)
        if self.to_address:
            self.send_mail(form)
        return submission


# ---------------------------------------------------------------------------------------
# snippets


class SnippetCategory(models.TextChoices):
    GENERAL = "general", _("General")
    CONSULTATIONS = "consultations", _("Consultas")
    APP = "app", _("La aplicación")
    NUTRITION = "nutrition", _("Nutrición")
    PRIVACY = "privacy", _("Privacidad")
    PROGRAMS = "programs", _("Programas")


@register_snippet
class FAQ(index.Indexed, models.Model):
    question = models.CharField(_("pregunta"), max_length=200)
    answer = RichTextField(_("respuesta"), features=["bold", "italic", "link", "ol", "ul"])
    category = models.CharField(_("categoría"), max_length=20, choices=SnippetCategory.choices,
                                default=SnippetCategory.GENERAL)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    panels = [FieldPanel("question"), FieldPanel("answer"), FieldRowPanel([FieldPanel("category"), FieldPanel("order")])]
    search_fields = [index.SearchField("question"), index.SearchField("answer"), index.FilterField("category")]

    class Meta:
        verbose_name = _("pregunta frecuente")
        verbose_name_plural = _("preguntas frecuentes")
        ordering = ["category", "order", "id"]

    def __str__(self):
        return self.question


@register_snippet
class Testimonial(models.Model):
    name = models.CharField(_("nombre"), max_length=120)
    place = models.CharField(_("ciudad"), max_length=120, blank=True)
    quote = models.TextField(_("testimonio"), max_length=600)
    photo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("foto"))
    program = models.CharField(_("programa u objetivo"), max_length=120, blank=True)
    rating = models.PositiveSmallIntegerField(_("calificación"), default=5,
                                              validators=[MinValueValidator(1), MaxValueValidator(5)])
    category = models.CharField(_("categoría"), max_length=20, choices=SnippetCategory.choices,
                                default=SnippetCategory.GENERAL)
    featured = models.BooleanField(_("destacado"), default=True)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("place")]), FieldPanel("quote"), FieldPanel("photo"),
              FieldRowPanel([FieldPanel("program"), FieldPanel("rating")]),
              FieldRowPanel([FieldPanel("category"), FieldPanel("featured"), FieldPanel("order")])]

    class Meta:
        verbose_name = _("testimonio")
        verbose_name_plural = _("testimonios")
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.name}: {self.quote[:40]}"


@register_snippet
class Video(index.Indexed, models.Model):
    title = models.CharField(_("título"), max_length=200)
    url = models.URLField(_("dirección de YouTube o Vimeo"))
    description = models.TextField(_("descripción"), blank=True, max_length=600)
    transcript = models.TextField(_("transcripción"), blank=True,
                                  help_text=_("Para quien no puede escuchar el video y para los buscadores."))
    duration_minutes = models.PositiveSmallIntegerField(_("minutos"), null=True, blank=True)
    category = models.CharField(_("categoría"), max_length=20, choices=SnippetCategory.choices,
                                default=SnippetCategory.NUTRITION)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    published = models.BooleanField(_("publicado"), default=True)

    panels = [FieldPanel("title"), FieldPanel("url"), FieldPanel("description"), FieldPanel("transcript"),
              FieldRowPanel([FieldPanel("duration_minutes"), FieldPanel("category"), FieldPanel("order"),
                             FieldPanel("published")])]
    search_fields = [index.SearchField("title"), index.SearchField("description"), index.SearchField("transcript")]

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        ordering = ["order", "id"]

    def __str__(self):
        return self.title


# ---------------------------------------------------------------------------------------
# settings and navigation (every page of the platform reads them)


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    site_name = models.CharField(_("nombre del sitio"), max_length=80, default="NutriMX")
    tagline = models.CharField(_("lema"), max_length=160, blank=True, default="Nutrición abierta, hecha en México.")
    contact_email = models.EmailField(_("correo de contacto"), blank=True)
    phone = models.CharField(_("teléfono"), max_length=20, blank=True)
    whatsapp = models.CharField(_("WhatsApp"), max_length=20, blank=True, help_text=_("Con lada: +52 55 1234 5678"))
    instagram = models.URLField(blank=True)
    facebook = models.URLField(blank=True)
    youtube = models.URLField(blank=True)
    tiktok = models.URLField(blank=True)
    x = models.URLField("X", blank=True)

    panels = [
        MultiFieldPanel([FieldPanel("site_name"), FieldPanel("tagline")], heading=_("Identidad")),
        MultiFieldPanel([FieldPanel("contact_email"), FieldPanel("phone"), FieldPanel("whatsapp")], heading=_("Contacto")),
        MultiFieldPanel([FieldPanel("instagram"), FieldPanel("facebook"), FieldPanel("youtube"), FieldPanel("tiktok"),
                         FieldPanel("x")], heading=_("Redes sociales")),
    ]

    class Meta:
        verbose_name = _("ajustes del sitio")


@register_setting(icon="list-ul")
class Navigation(BaseSiteSetting):
    """The public menus: main menu items with optional submenus, and the footer links."""

    main_menu = StreamField(
        [("item", _blocks.StructBlock([
            ("label", _blocks.CharBlock(max_length=40, label=_("Texto"))),
            ("url", _blocks.CharBlock(max_length=300, label=_("Enlace"))),
            ("children", _blocks.ListBlock(_blocks.StructBlock([
                ("label", _blocks.CharBlock(max_length=40, label=_("Texto"))),
                ("url", _blocks.CharBlock(max_length=300, label=_("Enlace"))),
            ]), label=_("Submenú"), default=[])),
        ], label=_("Elemento")))],
        blank=True, use_json_field=True, verbose_name=_("menú principal"),
    )
    footer_menu = StreamField(
        [("link", _blocks.StructBlock([
            ("label", _blocks.CharBlock(max_length=40, label=_("Texto"))),
            ("url", _blocks.CharBlock(max_length=300, label=_("Enlace"))),
        ], label=_("Enlace")))],
        blank=True, use_json_field=True, verbose_name=_("pie de página"),
    )

    panels = [FieldPanel("main_menu"), FieldPanel("footer_menu")]

    class Meta:
        verbose_name = _("navegación")
