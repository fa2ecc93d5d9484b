"""StreamField blocks editors compose pages with: the home page's sections (hero with figures
and calls to action, features, programs, testimonials, latest posts, FAQ, final call to action)
and the blog body (text, image, quote, embed, call to action, recipe reference)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

ICONS = [
    ("leaf", _("Hoja")), ("heart", _("Corazón")), ("chart", _("Gráfica")), ("users", _("Personas")),
    ("utensils", _("Cubiertos")), ("stethoscope", _("Estetoscopio")), ("book", _("Libro")), ("trophy", _("Trofeo")),
    ("message", _("Mensaje")), ("shield", _("Escudo")), ("clock", _("Reloj")), ("star", _("Estrella")),
]


class LinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Texto"), max_length=60)
    url = blocks.CharBlock(label=_("Enlace"), max_length=300, help_text=_("Ruta interna (/recursos/) o URL completa."))
    style = blocks.ChoiceBlock(choices=[("primary", _("Principal")), ("ghost", _("Secundario"))], default="primary",
                               label=_("Estilo"))


class FigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("Cifra"), max_length=20, help_text=_("Por ejemplo «500+», «95 %», «4.9»."))
    label = blocks.CharBlock(label=_("Qué mide"), max_length=60)


class HeroBlock(blocks.StructBlock):
    badge = blocks.CharBlock(label=_("Etiqueta"), max_length=80, required=False)
    headline = blocks.CharBlock(label=_("Titular"), max_length=120)
    subheadline = blocks.TextBlock(label=_("Texto"), max_length=400, required=False)
    figures = blocks.ListBlock(FigureBlock(), label=_("Cifras"), max_num=4, default=[])
    ctas = blocks.ListBlock(LinkBlock(), label=_("Botones"), max_num=3, default=[])
    image = ImageChooserBlock(label=_("Imagen"), required=False)

    class Meta:
        template = "content/blocks/hero.html"
        icon = "pick"
        label = _("Portada")


class FeatureItem(blocks.StructBlock):
    icon = blocks.ChoiceBlock(choices=ICONS, default="leaf", label=_("Ícono"))
    title = blocks.CharBlock(label=_("Título"), max_length=80)
    text = blocks.TextBlock(label=_("Texto"), max_length=300)


class FeaturesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Encabezado"), max_length=120)
    intro = blocks.TextBlock(label=_("Introducción"), required=False, max_length=300)
    items = blocks.ListBlock(FeatureItem(), label=_("Características"), min_num=1, max_num=8)

    class Meta:
        template = "content/blocks/features.html"
        icon = "list-ul"
        label = _("Características")


class ProgramItem(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Programa"), max_length=80)
    description = blocks.TextBlock(label=_("Descripción"), max_length=300)
    duration = blocks.CharBlock(label=_("Duración"), max_length=40, required=False)
    price_mxn = blocks.IntegerBlock(label=_("Precio (MXN, IVA incluido)"), required=False, min_value=0)
    features = blocks.ListBlock(blocks.CharBlock(max_length=100), label=_("Incluye"), max_num=6, default=[])
    link = blocks.CharBlock(label=_("Enlace"), max_length=300, required=False)


class ProgramsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Encabezado"), max_length=120)
    intro = blocks.TextBlock(label=_("Introducción"), required=False, max_length=300)
    programs = blocks.ListBlock(ProgramItem(), label=_("Programas"), min_num=1, max_num=6)

    class Meta:
        template = "content/blocks/programs.html"
        icon = "form"
        label = _("Programas")


class TestimonialsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Encabezado"), max_length=120)
    testimonials = blocks.ListBlock(SnippetChooserBlock("content.Testimonial"), label=_("Testimonios"),
                                    help_text=_("Vacío: los destacados, en su orden."), default=[])

    class Meta:
        template = "content/blocks/testimonials.html"
        icon = "openquote"
        label = _("Testimonios")


class LatestPostsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Encabezado"), max_length=120)
    count = blocks.IntegerBlock(label=_("Cuántas"), min_value=1, max_value=9, default=3)
    category = blocks.CharBlock(label=_("Solo de la categoría (opcional)"), required=False, max_length=40)

    class Meta:
        template = "content/blocks/latest_posts.html"
        icon = "doc-full"
        label = _("Últimas entradas del blog")


class FAQBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Encabezado"), max_length=120)
    category = blocks.CharBlock(label=_("Categoría de preguntas (opcional)"), required=False, max_length=40)
    questions = blocks.ListBlock(SnippetChooserBlock("content.FAQ"), label=_("Preguntas"),
                                 help_text=_("Vacío: todas las de la categoría, en su orden."), default=[])

    class Meta:
        template = "content/blocks/faq.html"
        icon = "help"
        label = _("Preguntas frecuentes")


class CTABlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Título"), max_length=120, default=_("¿Lista(o) para cuidar tu salud?"))
    text = blocks.TextBlock(label=_("Texto"), required=False, max_length=300)
    button = LinkBlock(label=_("Botón"))

    class Meta:
        template = "content/blocks/cta.html"
        icon = "link"
        label = _("Llamado a la acción")


class VideosBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Encabezado"), max_length=120)
    videos = blocks.ListBlock(SnippetChooserBlock("content.Video"), label=_("Videos"), min_num=1, max_num=6)

    class Meta:
        template = "content/blocks/videos.html"
        icon = "media"
        label = _("Videos")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Imagen"))
    alt = blocks.CharBlock(label=_("Texto alternativo"), max_length=200,
                           help_text=_("Describe la imagen para quien no la ve."))
    caption = blocks.CharBlock(label=_("Pie de foto"), required=False, max_length=200)

    class Meta:
        template = "content/blocks/image.html"
        icon = "image"
        label = _("Imagen")


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Cita"), max_length=600)
    attribution = blocks.CharBlock(label=_("Autor(a)"), required=False, max_length=120)

    class Meta:
        template = "content/blocks/quote.html"
        icon = "openquote"
        label = _("Cita")


class RecipeBlock(blocks.StructBlock):
    """A recipe of the platform by its address (``/nutricion/recetas/<slug>/``) or slug."""

    recipe = blocks.CharBlock(label=_("Receta (slug o dirección)"), max_length=200)
    note = blocks.CharBlock(label=_("Nota"), required=False, max_length=200)

    class Meta:
        template = "content/blocks/recipe.html"
        icon = "doc-empty"
        label = _("Receta")


HOME_BLOCKS = [
    ("hero", HeroBlock()),
    ("features", FeaturesBlock()),
    ("programs", ProgramsBlock()),
    ("testimonials", TestimonialsBlock()),
    ("latest_posts", LatestPostsBlock()),
    ("faq", FAQBlock()),
    ("videos", VideosBlock()),
    ("cta", CTABlock()),
]

BODY_BLOCKS = [
    ("heading", blocks.CharBlock(form_classname="title", label=_("Subtítulo"), template="content/blocks/heading.html")),
    ("paragraph", blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h3", "h4", "blockquote", "hr"], label=_("Texto"))),
    ("image", ImageBlock()),
    ("quote", QuoteBlock()),
    # A YouTube or Vimeo address becomes a privacy-friendly player; nothing is fetched from
    # the provider when the page is saved or shown (no oEmbed calls).
    ("embed", blocks.URLBlock(label=_("Video de YouTube o Vimeo"), template="content/blocks/embed.html")),
    ("cta", CTABlock()),
    ("recipe", RecipeBlock()),
    ("faq", FAQBlock()),
]
