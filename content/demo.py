"""A credible Spanish public site for the demo, built through Wagtail's page tree API so every
page has a published revision, as if editors had made it: the home page (hero with figures and
calls to action, features, programs with MXN prices, testimonials, latest posts, FAQ, final call
to action) replacing Wagtail's welcome page as the default site's root; the blog with articles
and locally drawn pictures; resources (a gated PDF guide, a plan template for registered people,
a free tracker and a video); videos, FAQ and testimonial snippets; the legal pages; the contact
form; site settings and menus; and English translations of the home page and two posts.

``demo_site_build()`` is idempotent: it does nothing when a ``content.HomePage`` exists.
"""

from __future__ import annotations

import io
import json
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from content import demo_media
from content.demo_posts import POSTS, POSTS_EN

CONTACT_EMAIL = "contacto@nutrimx.mx"
EDITOR_EMAIL = "editor@demo.nutrimx.mx"
MODERATOR_EMAIL = "moderadora@demo.nutrimx.mx"
NUTRITIONIST_EMAIL = "nutriologa@demo.nutrimx.mx"

TESTIMONIALS = [
    {"name": "Lucía H.", "place": "Ciudad de México", "program": "Bajar de peso", "rating": 5, "order": 1,
     "quote": "Bajé 8 kg en seis meses sin dejar los tacos de los viernes. Registrar mi comida y hablar con mi "
              "nutrióloga cada mes hizo toda la diferencia."},
    {"name": "Raúl M.", "place": "Puebla", "program": "Control de diabetes", "rating": 5, "order": 2,
     "category": "consultations",
     "quote": "Mi hemoglobina glucosilada bajó de 8.1 a 6.6. Entendí qué comer y a qué hora, y ya no le tengo "
              "miedo a la tortilla."},
    {"name": "Fernanda C.", "place": "Monterrey", "program": "Nutrición deportiva", "rating": 5, "order": 3,
     "quote": "Preparo mi primer medio maratón con un plan que se adapta a mis entrenamientos. La app me recuerda "
              "hidratarme y el reto de pasos me motiva."},
    {"name": "Jorge R.", "place": "Guadalajara", "program": "Familia saludable", "rating": 4, "order": 4,
     "category": "app",
     "quote": "Mi esposa y yo compartimos el círculo familiar con nuestra nutrióloga. Cocinamos juntos el menú "
              "de la semana y los niños ya piden agua de jamaica."},
]

FAQS = [
    ("general", 1, "¿Qué es NutriMX?",
     "<p>Una plataforma mexicana para registrar lo que comes, seguir tu progreso y trabajar con nutriólogas y "
     "nutriólogos con cédula profesional, con recetas y porciones del <strong>SMAE</strong>.</p>"),
    ("general", 2, "¿Cuánto cuesta usar la app?",
     "<p>Crear tu cuenta, llevar tu diario de alimentos y participar en la comunidad es gratis. Las consultas y "
     "los programas con nutrióloga tienen costo, con precios en pesos e IVA incluido.</p>"),
    ("consultations", 1, "¿Cómo elijo a mi nutrióloga o nutriólogo?",
     "<p>En el directorio puedes filtrar por especialidad, ciudad y modalidad (en línea o en consultorio). "
     "Todas las cuentas profesionales tienen su cédula verificada.</p>"),
    ("consultations", 2, "¿Las consultas en línea funcionan igual que las presenciales?",
     "<p>Sí. Tu nutrióloga ve tu diario, tus mediciones y tu avance, y ajusta tu plan en cada cita. Solo "
     "necesitas una báscula y una cinta métrica en casa.</p>"),
    ("nutrition", 1, "¿Tengo que dejar la tortilla o el pan para bajar de peso?",
     "<p>No. Trabajamos con porciones y equivalentes: la tortilla de maíz cabe en casi cualquier plan. Lo "
     "importante es cuánto y con qué la acompañas.</p>"),
    ("nutrition", 2, "¿Qué es el Sistema Mexicano de Alimentos Equivalentes?",
     "<p>Es una guía que agrupa los alimentos por su aporte de energía y nutrimentos para que puedas "
     "intercambiarlos. Descarga gratis nuestra <a href=\"/recursos/guia-de-porciones-smae/\">guía de porciones</a>."
     "</p>"),
    ("privacy", 1, "¿Quién puede ver mis datos de salud?",
     "<p>Solo tú y la nutrióloga que autorices. Tratamos tus datos conforme a la LFPDPPP y puedes ejercer tus "
     "derechos ARCO en cualquier momento. Lee nuestro <a href=\"/aviso-de-privacidad/\">aviso de privacidad</a>.</p>"),
    ("programs", 1, "¿Puedo pagar un programa a meses?",
     "<p>Los programas trimestral y semestral aceptan pago con tarjeta y, según tu banco, meses sin "
     "intereses. Siempre recibes tu factura (CFDI).</p>"),
    ("app", 1, "¿La app funciona sin internet?",
     "<p>Puedes registrar tus comidas sin conexión; se sincronizan en cuanto vuelves a tener señal.</p>"),
]

VIDEOS = [
    {"title": "El plato del bien comer explicado en 5 minutos", "url": "https://www.youtube.com/watch?v=5Zk3X6bd9FQ",
     "duration_minutes": 5, "category": "nutrition", "order": 1,
     "description": "Cómo repartir tu plato entre verduras y frutas, cereales y leguminosas con alimentos de origen "
                    "animal.",
     "transcript": "Hola, soy Sara, nutrióloga. Hoy vamos a armar juntos el plato del bien comer. La mitad del plato "
                   "son verduras y frutas: nopales, calabacita, jitomate, papaya. Una cuarta parte son cereales: "
                   "tortilla de maíz, arroz o avena. La otra cuarta parte combina leguminosas, como frijol o lenteja, "
                   "con alimentos de origen animal como pollo, pescado o huevo. Y para beber, agua simple."},
    {"title": "Cómo leer una etiqueta nutrimental", "url": "https://www.youtube.com/watch?v=wq6k8mLtNz0",
     "duration_minutes": 8, "category": "nutrition", "order": 2,
     "description": "Sellos de advertencia, tabla nutrimental y lista de ingredientes, paso a paso en el súper.",
     "transcript": "Tomamos dos cereales del mismo pasillo. Primero contamos los sellos: uno tiene tres, el otro uno. "
                   "Después vemos el tamaño de la porción y los primeros ingredientes. Si el azúcar aparece en los "
                   "tres primeros, ese producto es más postre que desayuno."},
    {"title": "Colaciones saludables para la oficina", "url": "https://www.youtube.com/watch?v=Jm2dL0vYxQ4",
     "duration_minutes": 6, "category": "general", "order": 3,
     "description": "Ideas de colaciones de menos de 150 kcal que caben en tu escritorio.",
     "transcript": "Una buena colación combina fibra y proteína: jícama con limón y un queso panela, una manzana con "
                   "diez almendras o un yogur natural con avena. Prepara tus porciones el domingo."},
]

PROGRAMS = [
    {"name": "Arranque", "description": "Una consulta de valoración y tu plan personalizado para empezar con "
                                        "el pie derecho.", "duration": "1 mes", "price_mxn": 690,
     "features": ["Consulta de valoración (50 min)", "Plan de alimentación con equivalentes SMAE",
                  "Diario de alimentos con seguimiento", "Mensajes con tu nutrióloga"],
     "link": "/consulta/nutriologos/"},
    {"name": "Trimestral", "description": "Tres meses de acompañamiento para crear hábitos que duren.",
     "duration": "3 meses", "price_mxn": 1890,
     "features": ["3 consultas de seguimiento", "Ajustes mensuales de tu plan", "Mediciones y gráficas de avance",
                  "Acceso a todos los retos de la comunidad", "Recetario mexicano ligero"],
     "link": "/consulta/nutriologos/"},
    {"name": "Semestral", "description": "Seis meses con tu nutrióloga para metas grandes: peso, glucosa o "
                                         "rendimiento.", "duration": "6 meses", "price_mxn": 3490,
     "features": ["6 consultas de seguimiento", "Plan para toda la familia", "Revisión de estudios de laboratorio",
                  "Prioridad en mensajes", "Círculo familiar incluido"],
     "link": "/consulta/nutriologos/"},
]

FEATURES = [
    ("utensils", "Diario de alimentos mexicano", "Más de 8 mil alimentos y recetas como chilaquiles o pozole, con "
                                                 "porciones en tazas, piezas y equivalentes SMAE."),
    ("stethoscope", "Nutriólogas con cédula", "Profesionales verificadas que ven tu diario y ajustan tu plan en "
                                              "línea o en consultorio."),
    ("chart", "Tu progreso a la vista", "Peso, medidas, glucosa y hábitos en gráficas claras que entiendes de un "
                                        "vistazo."),
    ("users", "Comunidad que motiva", "Comparte logros, únete a grupos y celebra con otras personas que van por lo "
                                      "mismo que tú."),
    ("trophy", "Retos y logros", "Retos de pasos, agua y verduras con medallas y tablas de posiciones."),
    ("shield", "Tus datos protegidos", "Privacidad conforme a la LFPDPPP, verificación en dos pasos y control total "
                                       "de quién ve tu información."),
]


# ---------------------------------------------------------------------------------------


def _user(email: str):
    from accounts.models import User

    return User.objects.filter(email=email).first()


def _image(title: str, filename: str, palette, foods, motif: str = "plate", collection=None, *, text: bool = True):
    from wagtail.images.models import Image

    data = demo_media.illustration_jpeg(title if text else "", palette[0], palette[1], foods, motif)
    image = Image(title=title)
    if collection is not None:
        image.collection = collection
    image.file = ImageFile(io.BytesIO(data), name=filename)
    image.save()
    return image


def _document(title: str, filename: str, data: bytes):
    from wagtail.documents.models import Document

    document = Document(title=title)
    document.file = ContentFile(data, name=filename)
    document.save()
    return document


def _publish(page, user=None):
    """A revision by the editor, published as the moderator would (the workflow is for people
    in the admin; the seed publishes directly)."""
    revision = page.save_revision(user=user, log_action=True)
    revision.publish(user=_user(MODERATOR_EMAIL), skip_permission_checks=True)
    page.refresh_from_db()
    return page


def _add(parent, page, user=None):
    parent.add_child(instance=page)
    return _publish(page, user)


def _stream(items: list[dict]) -> str:
    return json.dumps(items)


def _legal_html(template: str) -> str:
    with translation.override("es-mx"):
        return render_to_string(template, {"privacy_email": getattr(settings, "PRIVACY_EMAIL", CONTACT_EMAIL)
                                           or CONTACT_EMAIL}).strip()


COOKIES_HTML = """
<p>En NutriMX usamos cookies con un solo propósito: que el sitio funcione bien y de forma segura. No usamos
cookies publicitarias ni rastreadores de terceros.</p>
<h2>1. Qué es una cookie</h2>
<p>Una cookie es un archivo pequeño que el sitio guarda en tu navegador para recordar información entre una
página y otra, por ejemplo que ya iniciaste sesión.</p>
<h2>2. Cookies que usamos</h2>
<ul>
<li><strong>Sesión:</strong> mantiene tu sesión iniciada y se borra cuando sales o después de un tiempo de
inactividad.</li>
<li><strong>Seguridad (CSRF):</strong> protege los formularios contra envíos falsificados.</li>
<li><strong>Idioma:</strong> recuerda si prefieres ver el sitio en español o en inglés.</li>
<li><strong>Preferencia de cookies:</strong> recuerda tu elección en el aviso de cookies para no preguntarte
cada vez.</li>
<li><strong>Medición propia (opcional):</strong> solo si la aceptas, contamos visitas a las páginas de forma
agregada, sin identificarte y sin compartir datos con terceros.</li>
</ul>
<h2>3. Cómo cambiar tu elección</h2>
<p>Puedes cambiar tu preferencia en cualquier momento desde el enlace «Cookies» al pie de cada página, o borrar
las cookies desde la configuración de tu navegador. Si bloqueas las cookies necesarias, no podrás iniciar
sesión.</p>
<h2>4. Más información</h2>
<p>El tratamiento de tus datos personales se describe en nuestro <a href="/aviso-de-privacidad/">aviso de
privacidad</a>. Para dudas escríbenos a <a href="mailto:contacto@nutrimx.mx">contacto@nutrimx.mx</a>.</p>
"""


# ---------------------------------------------------------------------------------------


@transaction.atomic
def demo_site_build(*, stdout=None) -> bool:
    """Build the demo site. Returns False (and changes nothing) when a HomePage exists."""
    from wagtail.models import Collection, Locale, Page, Site

    from content.models import (
        FAQ,
        BlogIndexPage,
        BlogPage,
        BlogRelatedLink,
        FormField,
        FormPage,
        HomePage,
        LegalKind,
        LegalPage,
        Navigation,
        ResourceIndexPage,
        ResourcePage,
        SiteSettings,
        Testimonial,
        Video,
        VideoIndexPage,
    )

    if HomePage.objects.exists():
        return False

    def say(msg: str) -> None:
        if stdout is not None:
            stdout.write(msg)

    _editorial_setup()
    editor = _user(EDITOR_EMAIL)
    author = _user(NUTRITIONIST_EMAIL)
    locale_es = Locale.get_default()
    root = Page.get_first_root_node()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(hostname="localhost", port=80, root_page=root, is_default_site=True,
                                   site_name="NutriMX")
    collection = Collection.get_first_root_node().add_child(name="Sitio público")

    # --- snippets ------------------------------------------------------------------------
    testimonials = [Testimonial.objects.create(**{"category": "general", **spec}) for spec in TESTIMONIALS]
    faqs = [FAQ.objects.create(category=cat, order=order, question=q, answer=a) for cat, order, q, a in FAQS]
    for spec in VIDEOS:
        Video.objects.create(**spec)

    # --- home ----------------------------------------------------------------------------
    hero_image = _image("Come rico, vive mejor", "portada-nutrimx.jpg", ((22, 101, 52), (101, 163, 13)),
                        [(22, 163, 74), (234, 179, 8), (220, 38, 38), (132, 204, 22), (245, 158, 11)],
                        collection=collection, text=False)
    home = HomePage(
        title="Inicio",
        slug="inicio",
        locale=locale_es,
        seo_title="NutriMX: nutrición con nutriólogas certificadas",
        search_description="Registra lo que comes con alimentos mexicanos, sigue tu progreso y trabaja con "
                           "nutriólogas con cédula. Crea tu cuenta gratis.",
        og_image=hero_image,
        body=_stream(_home_sections(hero_image, testimonials, faqs)),
    )
    _add(root, home, editor)
    old_roots = [site.root_page_id] if site.root_page_id != root.pk else []
    site.root_page = home
    site.site_name = "NutriMX"
    # Canonical and Open Graph URLs are built from the site's address: the one the demo runs on.
    address = urlsplit(settings.SITE_URL)
    if address.hostname:
        site.hostname = address.hostname
        site.port = address.port or (443 if address.scheme == "https" else 80)
    site.save()
    for page in Page.objects.filter(pk__in=old_roots).exclude(pk=home.pk):
        if not isinstance(page.specific, HomePage):
            page.delete()  # Wagtail's "Welcome to your new Wagtail site!"
    say("Página de inicio publicada y asignada al sitio.")

    # --- blog ----------------------------------------------------------------------------
    blog_index = _add(home, BlogIndexPage(
        title="Blog", slug="blog",
        seo_title="Blog de nutrición mexicana | NutriMX",
        search_description="Artículos de nutriólogas sobre alimentación mexicana, diabetes, microbiota, recetas "
                           "sin azúcar e historias reales de cambio.",
        intro="<p>Consejos prácticos de nuestras nutriólogas para comer rico y sano, a la mexicana.</p>",
    ), editor)
    today = timezone.localdate()
    posts = {}
    for spec in POSTS:
        image = _image(spec["title"], f"{spec['slug']}.jpg", spec["palette"], spec["foods"],
                       spec.get("motif", "plate"), collection=collection)
        post = BlogPage(
            title=spec["title"], slug=spec["slug"], seo_title=spec["seo_title"],
            search_description=spec["search_description"], category=spec["category"], excerpt=spec["excerpt"],
            date=today - timedelta(days=spec["days_ago"]), hero_image=image, hero_alt=spec["alt"], og_image=image,
            author=author, author_name="Lic. Sara Gallegos, nutrióloga" if author is None else "",
            body=_stream(spec["body"]),
        )
        blog_index.add_child(instance=post)
        post.tags.add(*spec["tags"])
        _publish(post, editor)
        # first published on its date, as if written over the last weeks
        when = timezone.now() - timedelta(days=spec["days_ago"])
        BlogPage.objects.filter(pk=post.pk).update(first_published_at=when, last_published_at=when)
        posts[spec["slug"]] = post
    related = {
        "diabetes-tipo-2-plato-del-bien-comer": ["tortilla-de-maiz-aliada-no-enemiga",
                                                 "agua-fresca-sin-azucar-5-recetas"],
        "historia-de-exito-lucia-bajo-8-kg": ["comer-bien-con-poco-tiempo-7-habitos",
                                              "agua-fresca-sin-azucar-5-recetas",
                                              "como-leer-sellos-de-advertencia-nom-051"],
    }
    for slug, targets in related.items():
        post = BlogPage.objects.get(pk=posts[slug].pk)
        post.related_links = [BlogRelatedLink(related=posts[t], sort_order=i) for i, t in enumerate(targets)]
        _publish(post, editor)
    say(f"Blog: {len(posts)} entradas publicadas con imágenes generadas.")

    # --- resources -----------------------------------------------------------------------
    resources_index = _add(home, ResourceIndexPage(
        title="Recursos", slug="recursos",
        seo_title="Recursos gratuitos de nutrición | NutriMX",
        search_description="Guías en PDF, plantillas de menú, registros de hábitos y videos para aplicar en casa "
                           "lo que aprendes con tu nutrióloga.",
        intro="<p>Guías, plantillas y videos para llevar tu alimentación a la práctica.</p>",
    ), editor)
    thumb = _image("Guía de porciones SMAE", "guia-porciones-smae.jpg", ((20, 83, 45), (22, 163, 74)),
                   [(22, 163, 74), (250, 204, 21), (239, 68, 68), (245, 158, 11)], "book", collection)
    guide_doc = _document("Guía de porciones con el SMAE", "guia-de-porciones-smae.pdf", demo_media.smae_guide_pdf())
    plan_doc = _document("Plantilla de menú semanal", "plantilla-menu-semanal.pdf",
                         demo_media.meal_plan_template_pdf())
    tracker_doc = _document("Registro de hábitos de 30 días", "registro-habitos-30-dias.pdf",
                            demo_media.tracker_pdf())
    resources = [
        ResourcePage(
            title="Guía de porciones con el SMAE", slug="guia-de-porciones-smae", resource_type="guide",
            access_level="free", lead_magnet=True, file=guide_doc, thumbnail=thumb, og_image=thumb,
            seo_title="Guía de porciones con el SMAE (PDF gratis)",
            search_description="Descarga gratis la guía de porciones del Sistema Mexicano de Alimentos Equivalentes: "
                               "grupos, equivalentes y medidas caseras.",
            description="Los 11 grupos del Sistema Mexicano de Alimentos Equivalentes con ejemplos en tazas, piezas y "
                        "medidas con la mano. Déjanos tu correo y te la enviamos al instante.",
            body="<p>Incluye:</p><ul><li>Tabla de equivalentes con energía y macronutrimentos.</li><li>Ejemplos con "
                 "alimentos mexicanos: tortilla, frijol, nopal, queso panela.</li><li>Cómo medir porciones sin "
                 "báscula.</li></ul>",
        ),
        ResourcePage(
            title="Plantilla de menú semanal", slug="plantilla-menu-semanal", resource_type="meal_plan",
            access_level="registered", file=plan_doc,
            seo_title="Plantilla de menú semanal para imprimir",
            search_description="Planea tus cinco tiempos de comida de lunes a domingo con el plato del bien comer. "
                               "Descarga para personas con cuenta NutriMX.",
            description="Una hoja para planear desayuno, colaciones, comida y cena de toda la semana. Disponible al "
                        "iniciar sesión con tu cuenta gratuita.",
            body="<p>Imprímela, pégala en el refrigerador y haz tu lista del súper a partir de ella.</p>",
        ),
        ResourcePage(
            title="Registro de hábitos de 30 días", slug="registro-de-habitos-30-dias", resource_type="tracker",
            access_level="free", file=tracker_doc,
            seo_title="Registro de hábitos de 30 días (PDF)",
            search_description="Marca cada día tu agua, verduras, movimiento y sueño durante un mes. Plantilla "
                               "gratuita para imprimir.",
            description="Agua, verduras, movimiento y sueño: una casilla por día para construir constancia.",
            body="<p>Descárgalo sin registro. Funciona mejor si lo revisas con tu nutrióloga al final del mes.</p>",
        ),
        ResourcePage(
            title="Taller: arma tu plato del bien comer", slug="taller-plato-del-bien-comer", resource_type="video",
            access_level="free", external_url=VIDEOS[0]["url"],
            seo_title="Taller en video: el plato del bien comer",
            search_description="Video de 5 minutos con una nutrióloga: cómo repartir tu plato entre verduras, "
                               "cereales, leguminosas y proteína.",
            description="Un video corto con nuestra nutrióloga Sara Gallegos para armar tu plato con alimentos "
                        "mexicanos.",
        ),
    ]
    for resource in resources:
        _add(resources_index, resource, editor)
    say("Recursos: 4 publicados (la guía pide correo antes de descargar).")

    # --- videos --------------------------------------------------------------------------
    _add(home, VideoIndexPage(
        title="Videos", slug="videos", seo_title="Videos de nutrición | NutriMX",
        search_description="Videos cortos de nuestras nutriólogas: plato del bien comer, etiquetas y colaciones, "
                           "con transcripción.",
        intro="<p>Aprende en minutos con nuestras nutriólogas. Todos los videos tienen transcripción.</p>",
    ), editor)

    # --- legal pages ---------------------------------------------------------------------
    version = settings.PRIVACY_NOTICE_VERSION
    for kind, title, slug, seo, desc, body in (
        (LegalKind.PRIVACY, "Aviso de privacidad", "aviso-de-privacidad", "Aviso de privacidad | NutriMX",
         "Qué datos tratamos, para qué, con quién los compartimos y cómo ejercer tus derechos ARCO conforme a la "
         "LFPDPPP.", _legal_html("legal/privacy_default.html")),
        (LegalKind.TERMS, "Términos y condiciones", "terminos-y-condiciones", "Términos y condiciones | NutriMX",
         "Las reglas para usar NutriMX: tu cuenta, el papel de las nutriólogas, el uso aceptable y la ley "
         "aplicable.", _legal_html("legal/terms_default.html")),
        (LegalKind.COOKIES, "Política de cookies", "politica-de-cookies", "Política de cookies | NutriMX",
         "Qué cookies usa NutriMX, para qué sirve cada una y cómo cambiar tu elección en cualquier momento.",
         COOKIES_HTML.strip()),
    ):
        _add(home, LegalPage(title=title, slug=slug, kind=kind, version=version, body=body, seo_title=seo,
                             search_description=desc), editor)

    # --- contact form --------------------------------------------------------------------
    _add(home, FormPage(
        title="Contacto", slug="contacto", seo_title="Contacto | NutriMX",
        search_description="Escríbenos para dudas sobre consultas, la app, facturación o alianzas. Te respondemos "
                           "en menos de un día hábil.",
        intro="<p>¿Tienes dudas sobre consultas, la app o una alianza? Escríbenos y te respondemos en menos de un "
              "día hábil.</p>",
        thank_you_text="<p>¡Gracias! Recibimos tu mensaje y te responderemos pronto a tu correo.</p>",
        to_address=CONTACT_EMAIL, from_address="no-responder@nutrimx.mx", subject="Nuevo mensaje de contacto",
        form_fields=[
            FormField(sort_order=0, label="Nombre", clean_name="nombre", field_type="singleline", required=True),
            FormField(sort_order=1, label="Correo electrónico", clean_name="correo", field_type="email",
                      required=True),
            FormField(sort_order=2, label="Asunto", clean_name="asunto", field_type="dropdown", required=True,
                      choices="Consultas con nutrióloga\nLa app\nFacturación\nPrensa y alianzas\nOtro"),
            FormField(sort_order=3, label="Mensaje", clean_name="mensaje", field_type="multiline", required=True),
        ],
    ), editor)

    # --- settings and navigation ---------------------------------------------------------
    site_settings = SiteSettings.for_site(site)
    site_settings.site_name = "NutriMX"
    site_settings.tagline = "Nutrición con nutriólogas certificadas, hecha en México."
    site_settings.contact_email = CONTACT_EMAIL
    site_settings.phone = "+52 55 5123 4567"
    site_settings.whatsapp = "+52 55 1987 6543"
    site_settings.instagram = "https://www.instagram.com/nutrimx"
    site_settings.facebook = "https://www.facebook.com/nutrimx"
    site_settings.youtube = "https://www.youtube.com/@nutrimx"
    site_settings.tiktok = "https://www.tiktok.com/@nutrimx"
    site_settings.save()
    nav = Navigation.for_site(site)
    nav.main_menu = _stream(_main_menu())
    nav.footer_menu = _stream([{"type": "link", "value": {"label": label, "url": url}} for label, url in (
        ("Aviso de privacidad", "/aviso-de-privacidad/"), ("Términos", "/terminos-y-condiciones/"),
        ("Cookies", "/politica-de-cookies/"), ("Contacto", "/contacto/"))])
    nav.save()

    # --- English ---------------------------------------------------------------------------
    _translate(home, posts, blog_index, editor)
    say("Traducción al inglés: inicio, blog y 2 entradas (el resto, como alias del español).")
    _editorial_setup()
    return True


def _home_sections(hero_image, testimonials, faqs) -> list[dict]:
    return [
        {"type": "hero", "value": {
            "badge": "Nutriólogas con cédula profesional",
            "headline": "Come rico, vive mejor",
            "subheadline": "Registra lo que comes con alimentos mexicanos, sigue tu progreso y trabaja con una "
                           "nutrióloga que te conoce. Sin dietas de moda ni culpa.",
            "figures": [{"value": "500+", "label": "pacientes acompañados"},
                        {"value": "95 %", "label": "logran su meta"},
                        {"value": "4.9", "label": "calificación promedio"}],
            "ctas": [{"label": "Crear cuenta gratis", "url": "/accounts/signup/", "style": "primary"},
                     {"label": "Conoce a nuestras nutriólogas", "url": "/consulta/nutriologos/", "style": "ghost"}],
            "image": hero_image.pk,
        }},
        {"type": "features", "value": {
            "heading": "Todo para comer mejor, en un solo lugar",
            "intro": "Herramientas pensadas para la comida y la vida en México.",
            "items": [{"icon": icon, "title": title, "text": text} for icon, title, text in FEATURES],
        }},
        {"type": "programs", "value": {
            "heading": "Programas con tu nutrióloga",
            "intro": "Precios en pesos mexicanos, IVA incluido. Cancela cuando quieras.",
            "programs": PROGRAMS,
        }},
        {"type": "testimonials", "value": {"heading": "Historias de nuestra comunidad",
                                           "testimonials": [t.pk for t in testimonials[:3]]}},
        {"type": "latest_posts", "value": {"heading": "Lo más reciente del blog", "count": 3, "category": ""}},
        {"type": "faq", "value": {"heading": "Preguntas frecuentes", "category": "",
                                  "questions": [f.pk for f in faqs[:6]]}},
        {"type": "cta", "value": {
            "title": "¿Lista o listo para empezar?",
            "text": "Crea tu cuenta gratis en un minuto y da el primer paso hoy.",
            "button": {"label": "Crear cuenta gratis", "url": "/accounts/signup/", "style": "primary"},
        }},
    ]


BLOG_MENU_CATEGORIES = (("Nutrición", "nutrition"), ("Recetas", "recipes"), ("Historias de éxito", "success-stories"))


def _main_menu() -> list[dict]:
    def item(label, url, children=()):
        return {"type": "item", "value": {"label": label, "url": url,
                                          "children": [{"label": c, "url": u} for c, u in children]}}

    return [
        item("Inicio", "/"),
        item("Blog", "/blog/", [(label, f"/blog/?category={slug}") for label, slug in BLOG_MENU_CATEGORIES]),
        item("Recursos", "/recursos/"),
        item("Videos", "/videos/"),
        item("Nutriólogas", "/consulta/nutriologos/"),
        item("Contacto", "/contacto/"),
    ]


def _translate(home, posts, blog_index, user) -> None:
    from wagtail.models import Locale

    from content.models import BlogPage, HomePage

    locale_en, _ = Locale.objects.get_or_create(language_code="en")
    home_en = HomePage.objects.get(pk=home.copy_for_translation(locale_en).pk)
    home_en.title = "Home"
    home_en.seo_title = "NutriMX: nutrition with certified dietitians"
    home_en.search_description = ("Log what you eat with Mexican foods, follow your progress and work with licensed "
                                  "dietitians. Create your free account.")
    sections = _home_sections_en(home)
    home_en.body = _stream(sections)
    _publish(home_en, user)

    blog_en = blog_index.copy_for_translation(locale_en)
    blog_en = type(blog_index).objects.get(pk=blog_en.pk)
    blog_en.seo_title = "Mexican nutrition blog | NutriMX"
    blog_en.search_description = "Articles by dietitians on Mexican food, diabetes, gut health, sugar-free recipes " \
                                 "and real stories of change."
    blog_en.intro = "<p>Practical advice from our dietitians to eat well, the Mexican way.</p>"
    _publish(blog_en, user)

    for slug, spec in POSTS_EN.items():
        post_en = BlogPage.objects.get(pk=posts[slug].copy_for_translation(locale_en).pk)
        for field in ("title", "seo_title", "search_description", "excerpt"):
            setattr(post_en, field, spec[field])
        post_en.hero_alt = spec["alt"]
        post_en.body = _stream(spec["body"])
        _publish(post_en, user)

    # Every other page gets an alias in the English tree (Wagtail's synchronised tree): someone
    # whose browser prefers English sees the Spanish text until editors translate it, instead
    # of a 404 (pages are served from the tree of the visitor's language).
    from wagtail.models import Page

    for page in Page.objects.filter(locale__language_code="es-mx", depth__gt=2).order_by("path"):
        if not page.has_translation(locale_en):
            page.specific.copy_for_translation(locale_en, alias=True)


def _home_sections_en(home) -> list[dict]:
    raw = json.loads(json.dumps(home.body.get_prep_value(), default=str))
    english = {
        "hero": {"badge": "Licensed, certified dietitians", "headline": "Eat well, live better",
                 "subheadline": "Log what you eat with Mexican foods, follow your progress and work with a dietitian "
                                "who knows you. No fad diets, no guilt.",
                 "figures": [("500+", "patients supported"), ("95 %", "reach their goal"), ("4.9", "average rating")],
                 "ctas": [("Create a free account", "/accounts/signup/", "primary"),
                          ("Meet our dietitians", "/consulta/nutriologos/", "ghost")]},
        "features": {"heading": "Everything to eat better, in one place",
                     "intro": "Tools designed for food and life in Mexico."},
        "programs": {"heading": "Programs with your dietitian",
                     "intro": "Prices in Mexican pesos, VAT included. Cancel any time."},
        "testimonials": {"heading": "Stories from our community"},
        "latest_posts": {"heading": "Latest from the blog"},
        "faq": {"heading": "Frequently asked questions"},
        "cta": {"title": "Ready to start?", "text": "Create your free account in a minute and take the first step "
                                                    "today."},
    }
    for block in raw:
        changes = english.get(block["type"], {})
        value = block["value"]
        for key, new in changes.items():
            if key == "figures":
                value["figures"] = [{"value": v, "label": label} for v, label in new]
            elif key == "ctas":
                value["ctas"] = [{"label": label, "url": url, "style": style} for label, url, style in new]
            else:
                value[key] = new
        if block["type"] == "cta":
            value["button"] = {**value["button"], "label": "Create a free account"}
    return raw


def _editorial_setup() -> None:
    """Helper C's groups and workflow (when present), and the demo editor and moderator in them."""
    from django.contrib.auth.models import Group

    from content.setup import EDITORS, MODERATORS, content_setup

    content_setup()
    for email, name in ((EDITOR_EMAIL, EDITORS), (MODERATOR_EMAIL, MODERATORS)):
        user = _user(email)
        group = Group.objects.filter(name=name).first()
        if user is not None and group is not None:
            user.groups.add(group)
