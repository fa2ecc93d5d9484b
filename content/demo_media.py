"""Pictures and PDFs for the demo site, made on this machine (no downloads): Pillow draws
simple illustrations (gradient, a plate with food shapes, a large title) and fpdf2 writes the
downloadable guides with the core Helvetica font, as ``clinical.pdf`` does."""

from __future__ import annotations

import functools
import io
import math
from pathlib import Path

WIDTH, HEIGHT = 1600, 900
_FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
               "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf")


def _font(size: int):
    from PIL import ImageFont

    for path in _FONT_FILES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    try:
        return ImageFont.load_default(size=size)  # Pillow's embedded font (needs FreeType)
    except TypeError:  # pragma: no cover - very old Pillow
        return ImageFont.load_default()


def _mix(a, b, t: float):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        probe = f"{current} {word}".strip()
        if draw.textlength(probe, font=font) <= width or not current:
            current = probe
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def illustration_jpeg(title: str, top, bottom, foods, motif: str = "plate") -> bytes:
    return _illustration(title, tuple(top), tuple(bottom), tuple(tuple(f) for f in foods), motif)


@functools.lru_cache(maxsize=32)  # the same picture is drawn once per process (tests build the site often)
def _illustration(title: str, top, bottom, foods, motif: str) -> bytes:
    """A 1600×900 JPEG: a gradient, soft circles, a plate (or glasses, or a book) with coloured
    food shapes on the right and the title in large letters on the left; without a title, the
    plate alone in the middle (for pictures that templates crop, like the home page's hero)."""
    from PIL import Image, ImageDraw, ImageFilter

    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    for y in range(HEIGHT):
        draw.line([(0, y), (WIDTH, y)], fill=_mix(top, bottom, y / (HEIGHT - 1)))

    glow = Image.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    gdraw = ImageDraw.Draw(glow)
    for i, (cx, cy, r) in enumerate(((180, 760, 260), (1480, 120, 220), (820, -40, 180), (1250, 860, 160))):
        gdraw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(255, 255, 255, 34 if i % 2 else 26))
    image = Image.alpha_composite(image.convert("RGBA"), glow.filter(ImageFilter.GaussianBlur(8)))
    draw = ImageDraw.Draw(image)

    cx, cy = (1160, 470) if title else (800, 450)  # no title: the plate in the middle (crops well)
    shadow = Image.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    ImageDraw.Draw(shadow).ellipse((cx - 330, cy - 300, cx + 350, cy + 360), fill=(0, 0, 0, 70))
    image = Image.alpha_composite(image, shadow.filter(ImageFilter.GaussianBlur(28)))
    draw = ImageDraw.Draw(image)

    if motif == "glass":
        for k, color in enumerate(foods[:3]):
            x = cx - 300 + k * 220
            draw.rounded_rectangle((x, cy - 200, x + 170, cy + 260), radius=26, fill=(250, 252, 255),
                                   outline=(220, 230, 235), width=6)
            draw.rounded_rectangle((x + 14, cy - 80, x + 156, cy + 246), radius=18, fill=color)
            draw.ellipse((x + 40, cy - 40, x + 80, cy), fill=(255, 255, 255))
            draw.line((x + 120, cy - 260, x + 100, cy + 40), fill=(240, 240, 240), width=12)
    elif motif == "book":
        draw.rounded_rectangle((cx - 300, cy - 250, cx + 300, cy + 270), radius=24, fill=(252, 250, 245))
        draw.rectangle((cx - 6, cy - 250, cx + 6, cy + 270), fill=(220, 214, 200))
        for k in range(7):
            y = cy - 190 + k * 62
            draw.rounded_rectangle((cx - 250, y, cx - 50, y + 22), radius=10, fill=foods[k % len(foods)])
            draw.rounded_rectangle((cx + 50, y, cx + 250 - (k % 3) * 40, y + 22), radius=10, fill=(210, 205, 195))
    else:
        draw.ellipse((cx - 320, cy - 320, cx + 320, cy + 320), fill=(250, 250, 247), outline=(226, 222, 214), width=8)
        draw.ellipse((cx - 250, cy - 250, cx + 250, cy + 250), outline=(236, 232, 224), width=6)
        # the plate in portions, like "el plato del bien comer"
        for k, color in enumerate(foods):
            start = k * 360 / len(foods)
            draw.pieslice((cx - 230, cy - 230, cx + 230, cy + 230), start, start + 360 / len(foods) - 4, fill=color)
        for k in range(10):
            angle = k * 2 * math.pi / 10
            x, y = cx + math.cos(angle) * 140, cy + math.sin(angle) * 140
            draw.ellipse((x - 16, y - 16, x + 16, y + 16), fill=(255, 255, 255, 200))
        # a fork and a knife
        draw.rounded_rectangle((cx - 420, cy - 240, cx - 392, cy + 260), radius=12, fill=(238, 238, 238))
        draw.rounded_rectangle((cx + 392, cy - 240, cx + 420, cy + 260), radius=12, fill=(238, 238, 238))

    font = _font(78)
    lines = _wrap(draw, title, font, 610)[:4] if title else []
    y = HEIGHT // 2 - len(lines) * 50
    for line in lines:
        draw.text((92, y + 4), line, font=font, fill=(0, 0, 0, 90))
        draw.text((88, y), line, font=font, fill=(255, 255, 255))
        y += 100
    if title:
        draw.text((90, HEIGHT - 90), "NutriMX", font=_font(36), fill=(255, 255, 255))

    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=80, optimize=True, progressive=True)
    return out.getvalue()


# ---------------------------------------------------------------------------------------
# PDFs


def _pdf(title: str):
    from fpdf import FPDF

    from clinical.pdf import pdf_text

    pdf = FPDF(format="Letter")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(pdf_text(title))
    pdf.set_author("NutriMX")
    pdf.add_page()
    return pdf, pdf_text


def _header(pdf, pdf_text, title: str, subtitle: str) -> float:
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_fill_color(22, 101, 52)
    pdf.rect(0, 0, pdf.w, 28, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_xy(pdf.l_margin, 8)
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(width, 8, pdf_text(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(width, 6, pdf_text(subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(30, 30, 30)
    pdf.set_y(36)
    return width


SMAE_GROUPS = [
    # group, energy kcal, carbs g, protein g, fat g, examples of one equivalent
    ("Verduras", 25, 4, 2, 0, "1/2 taza de nopales, calabacita o chayote cocidos; 1 taza de lechuga o espinaca crudas; "
                              "1 jitomate bola mediano"),
    ("Frutas", 60, 15, 0, 0, "1 taza de papaya o melón picado; 1 manzana pequeña; 1 guayaba grande; 1/2 mango"),
    ("Cereales sin grasa", 70, 15, 2, 0, "1 tortilla de maíz (30 g); 1/2 taza de arroz cocido; 1/3 de bolillo "
                                         "sin migajón; 1/4 de taza de avena"),
    ("Leguminosas", 120, 20, 8, 1, "1/2 taza de frijol, lenteja, garbanzo o haba cocidos"),
    ("Origen animal muy bajo en grasa", 40, 0, 7, 1, "30 g de pechuga de pollo sin piel; 40 g de pescado blanco; "
                                                     "2 claras de huevo; 30 g de atún en agua"),
    ("Origen animal bajo en grasa", 55, 0, 7, 3, "40 g de queso panela o fresco; 30 g de bistec de res magro"),
    ("Origen animal moderado en grasa", 75, 0, 7, 5, "1 huevo entero; 30 g de queso Oaxaca"),
    ("Leche descremada", 95, 12, 9, 2, "1 taza (240 ml) de leche descremada; 3/4 de taza de yogur natural light"),
    ("Aceites y grasas sin proteína", 45, 0, 0, 5, "1 cucharadita de aceite (5 ml); 1/3 de aguacate hass"),
    ("Aceites y grasas con proteína", 70, 3, 3, 5, "10 almendras; 14 cacahuates; 1 cucharada de semillas de "
                                                   "calabaza (pepitas)"),
    ("Azúcares sin grasa", 40, 10, 0, 0, "2 1/2 cucharaditas de azúcar o miel; 1 cucharada de piloncillo rallado"),
]


@functools.cache
def smae_guide_pdf() -> bytes:
    """Guía de porciones: the groups of the Sistema Mexicano de Alimentos Equivalentes with
    what one equivalent gives and kitchen measures for each."""
    pdf, t = _pdf("Guía de porciones con el SMAE")
    width = _header(pdf, t, "Guía de porciones con el SMAE", "Sistema Mexicano de Alimentos Equivalentes - NutriMX")
    pdf.set_font("Helvetica", "", 10.5)
    pdf.multi_cell(width, 5.5, t(
        "Un equivalente es la porción de un alimento que aporta casi la misma energía y los mismos nutrimentos que "
        "otro del mismo grupo. Con esta guía puedes cambiar una tortilla por media taza de arroz, o una manzana por "
        "una taza de papaya, sin salirte de tu plan. Usa tazas y cucharas medidoras las primeras semanas: tu ojo "
        "aprende rápido."), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    cols = (58, 18, 14, 14, 14)
    pdf.set_font("Helvetica", "B", 9.5)
    pdf.set_fill_color(220, 242, 228)
    for label, w in zip(("Grupo", "kcal", "HC g", "Prot g", "Lip g"), cols, strict=True):
        pdf.cell(w, 7, t(label), border=1, fill=True, align="C")
    pdf.cell(width - sum(cols), 7, t("Un equivalente es..."), border=1, fill=True, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for name, kcal, hc, prot, lip, examples in SMAE_GROUPS:
        y0 = pdf.get_y()
        pdf.set_x(pdf.l_margin + sum(cols))
        pdf.multi_cell(width - sum(cols), 4.6, t(examples), border=1, new_x="LMARGIN", new_y="NEXT")
        height = pdf.get_y() - y0
        pdf.set_xy(pdf.l_margin, y0)
        for value, w in zip((name, kcal, hc, prot, lip), cols, strict=True):
            pdf.cell(w, height, t(value), border=1, align="L" if w == cols[0] else "C")
        pdf.set_xy(pdf.l_margin, y0 + height)
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(width, 7, t("Medidas con la mano (cuando no tienes tazas)"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10.5)
    for line in ("Puño cerrado: cerca de 1 taza (verduras, fruta picada).",
                 "Palma de la mano, sin dedos: 60 a 90 g de carne, pollo o pescado (2 a 3 equivalentes).",
                 "Palma ahuecada: media taza (arroz, frijoles, avena cocida).",
                 "Punta del pulgar: una cucharadita (aceite, crema, mantequilla)."):
        pdf.multi_cell(width, 5.5, t("- " + line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "I", 9)
    pdf.multi_cell(width, 4.8, t(
        "Valores de referencia del SMAE (4a edición). Esta guía orienta y no sustituye la consulta con tu "
        "nutrióloga(o), que ajusta las porciones a tu edad, actividad y salud."), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


MEALS = ("Desayuno", "Colación", "Comida", "Colación", "Cena")
DAYS = ("Lunes", "Martes", "Miércoles", "Jueves", "Viernes", "Sábado", "Domingo")


@functools.cache
def meal_plan_template_pdf() -> bytes:
    """Plantilla de menú semanal: a landscape grid of days × five meal times, with the plate
    proportions and a shopping list column."""
    from fpdf import FPDF

    from clinical.pdf import pdf_text as t

    pdf = FPDF(format="Letter", orientation="L")
    pdf.set_auto_page_break(auto=False)
    pdf.set_title("Plantilla de menu semanal")
    pdf.set_author("NutriMX")
    pdf.add_page()
    width = _header(pdf, t, "Plantilla de menú semanal", "Cinco tiempos de comida - plato del bien comer - NutriMX")
    first = 28
    col = (width - first) / len(DAYS)
    pdf.set_font("Helvetica", "B", 10)
    pdf.set_fill_color(220, 242, 228)
    pdf.cell(first, 8, "", border=1, fill=True)
    for day in DAYS:
        pdf.cell(col, 8, t(day), border=1, fill=True, align="C")
    pdf.ln(8)
    for meal in MEALS:
        pdf.set_font("Helvetica", "B", 9.5)
        pdf.cell(first, 26, t(meal), border=1, align="C")
        for _day in DAYS:
            pdf.cell(col, 26, "", border=1)
        pdf.ln(26)
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 9.5)
    pdf.multi_cell(width, 5, t(
        "En cada comida: la mitad del plato con verduras y frutas, una cuarta parte con cereales integrales o "
        "tortilla de maíz, y la otra cuarta con leguminosas o proteína animal. Agua simple para acompañar. "
        "Escribe junto a cada platillo sus equivalentes si tu nutrióloga(o) te dio un plan."),
        new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


@functools.cache
def tracker_pdf() -> bytes:
    """Registro de 30 días: agua, verduras, movimiento y sueño, a casilla por día."""
    pdf, t = _pdf("Registro de hábitos de 30 días")
    width = _header(pdf, t, "Registro de hábitos de 30 días", "Marca una casilla cada día - NutriMX")
    pdf.set_font("Helvetica", "", 10.5)
    pdf.multi_cell(width, 5.5, t(
        "Los cambios que duran son pequeños y diarios. Pega esta hoja en el refrigerador y marca cada hábito que "
        "cumpliste. Al final del mes cuenta tus casillas: no buscamos perfección, buscamos constancia."),
        new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    habits = ("8 vasos de agua simple", "5 porciones de verduras y frutas", "30 minutos de movimiento",
              "7 horas de sueño", "Sin bebidas azucaradas", "Comí sin pantallas")
    first = 62
    cell = (width - first) / 15
    for block in (range(1, 16), range(16, 31)):
        pdf.set_font("Helvetica", "B", 9)
        pdf.set_fill_color(220, 242, 228)
        pdf.cell(first, 7, t("Día"), border=1, fill=True)
        for day in block:
            pdf.cell(cell, 7, str(day), border=1, fill=True, align="C")
        pdf.ln(7)
        pdf.set_font("Helvetica", "", 9)
        for habit in habits:
            pdf.cell(first, 8, t(habit), border=1)
            for _day in block:
                pdf.cell(cell, 8, "", border=1)
            pdf.ln(8)
        pdf.ln(6)
    pdf.set_font("Helvetica", "I", 9)
    pdf.multi_cell(width, 4.8, t("Consejo: si fallas un día, no pasa nada. Lo importante es no fallar dos seguidos."),
                   new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
