"""Draw a Mexican nutrition label (NOM-051 "Declaración nutrimental") from known values.

Tests and the benchmark render labels with Pillow, read them back with the OCR and compare
every field with what was printed. ``LabelSpec`` holds the printed values; ``render_label``
returns the picture and ``printed_values`` the numbers exactly as the label shows them
(rounded as a manufacturer would print them).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)
FONT_FILES = {
    "sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    "condensed": ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
    "serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    "mono": ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"),
}

# Row order and wording on Mexican labels; (field, label, unit).
ROWS = (
    ("protein_g", "Proteínas", "g"),
    ("fat_g", "Grasas totales", "g"),
    ("saturated_fat_g", "Grasas saturadas", "g"),
    ("trans_fat_g", "Grasas trans", "mg"),
    ("carbs_g", "Hidratos de carbono disponibles", "g"),
    ("sugars_g", "Azúcares", "g"),
    ("added_sugars_g", "Azúcares añadidos", "g"),
    ("fiber_g", "Fibra dietética", "g"),
    ("sodium_mg", "Sodio", "mg"),
)
SEAL_LINES = {
    "EXCESO CALORÍAS": ("EXCESO", "CALORÍAS"),
    "EXCESO AZÚCARES": ("EXCESO", "AZÚCARES"),
    "EXCESO GRASAS SATURADAS": ("EXCESO", "GRASAS", "SATURADAS"),
    "EXCESO GRASAS TRANS": ("EXCESO", "GRASAS", "TRANS"),
    "EXCESO SODIO": ("EXCESO", "SODIO"),
}


def font_path(family: str = "sans", bold: bool = False) -> str | None:
    name = FONT_FILES.get(family, FONT_FILES["sans"])[1 if bold else 0]
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return str(folder / name)
    return None


def _font(family: str, size: int, bold: bool = False):
    path = font_path(family, bold)
    if path:
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


@dataclass
class LabelSpec:
    """What a label prints. ``per_100`` holds values per 100 g/ml (energy in kcal, sodium in mg,
    trans fat in g); the per-portion column is computed from the portion size."""

    per_100: dict
    portion: float = 30
    unit: str = "g"  # "g" (solid) or "ml" (liquid)
    servings: float | None = 12
    title: str = "Información nutrimental"
    product_name: str = ""
    seals: tuple = ()
    legends: tuple = ()
    ingredients: str = ""
    family: str = "sans"
    size: int = 26
    decimal_comma: bool = True
    portion_first: bool = False
    energy_two_rows: bool = False
    scale: float = 1.0
    rows: tuple = field(default=ROWS)

    def per_portion(self) -> dict:
        factor = self.portion / 100
        return {k: (None if v is None else v * factor) for k, v in self.per_100.items()}


def _fmt(value: float, unit: str, decimal_comma: bool) -> str:
    if unit in ("mg", "kcal", "kJ"):
        text = f"{round(value):d}"
    else:
        text = f"{value:.1f}"
    return text.replace(".", ",") if decimal_comma else text


def printed_values(spec: LabelSpec) -> dict:
    """The numbers as printed, in the parser's units: {"per_100": {...}, "per_portion": {...}}."""
    out = {}
    for column, values in (("per_100", spec.per_100), ("per_portion", spec.per_portion())):
        printed = {}
        kcal = values.get("energy_kcal")
        if kcal is not None:
            printed["energy_kcal"] = float(round(kcal))
            printed["energy_kj"] = float(round(kcal * 4.184))
        for key, _label, unit in spec.rows:
            value = values.get(key)
            if value is None:
                continue
            if key == "trans_fat_g":
                printed[key] = round(value * 1000) / 1000  # printed in mg
            elif unit == "mg":
                printed[key] = float(round(value))
            else:
                printed[key] = round(value, 1)
        out[column] = printed
    return out


def render_label(spec: LabelSpec) -> Image.Image:
    """Draw the label: optional product name and black octagon seals, the title, portion size,
    servings per container, a two-column table and optional legends and ingredients."""
    size = spec.size
    regular = _font(spec.family, size)
    bold = _font(spec.family, size, bold=True)
    title_font = _font(spec.family, int(size * 1.25), bold=True)
    line_h = int(size * 1.7)
    dc = spec.decimal_comma
    unit = spec.unit
    base = "100 ml" if unit == "ml" else "100 g"
    cols = [f"Por {base}", "Por porción"]
    per_portion = spec.per_portion()
    columns = [spec.per_100, per_portion]
    if spec.portion_first:
        cols.reverse()
        columns.reverse()

    rows: list[tuple[str, list[str]]] = []
    if spec.energy_two_rows:
        rows.append(("Contenido energético kJ", [_fmt(c["energy_kcal"] * 4.184, "kJ", dc) for c in columns]))
        rows.append(("kcal", [_fmt(c["energy_kcal"], "kcal", dc) for c in columns]))
    else:
        rows.append((
            "Contenido energético",
            [f"{_fmt(c['energy_kcal'] * 4.184, 'kJ', dc)} kJ ({_fmt(c['energy_kcal'], 'kcal', dc)} kcal)" for c in columns],
        ))
    for key, label, row_unit in spec.rows:
        if spec.per_100.get(key) is None:
            continue
        cells = []
        for c in columns:
            value = c[key] * 1000 if key == "trans_fat_g" else c[key]
            cells.append(f"{_fmt(value, row_unit, dc)} {row_unit}")
        rows.append((label, cells))

    measure = ImageDraw.Draw(Image.new("RGB", (10, 10)))

    def width(text, font):
        return int(measure.textlength(text, font=font))

    label_w = max(width(r[0], regular) for r in rows)
    col_w = [max(width(cols[i], bold), *(width(r[1][i], regular) for r in rows)) for i in range(2)]
    gap = int(size * 1.6)
    margin = int(size * 1.2)
    x_label = margin
    x_cols = [x_label + label_w + gap, x_label + label_w + gap + col_w[0] + gap]
    table_w = x_cols[1] + col_w[1] + margin
    seal_size = int(size * 5)
    seals_h = (seal_size + margin) if spec.seals else 0
    name_h = int(size * 2.2) if spec.product_name else 0
    legend_lines = []
    for legend in spec.legends:
        legend_lines.extend(_wrap(legend, bold, table_w - 2 * margin, width))
    ingredient_lines = _wrap(spec.ingredients, regular, table_w - 2 * margin, width) if spec.ingredients else []
    height = (
        margin + name_h + seals_h + line_h * (3 + len(rows) + 1) + line_h * (len(legend_lines) + len(ingredient_lines))
        + margin * 2
    )
    width_px = max(table_w, margin * 2 + len(spec.seals) * (seal_size + margin))
    image = Image.new("RGB", (width_px, height), "white")
    draw = ImageDraw.Draw(image)
    y = margin
    if spec.product_name:
        draw.text((x_label, y), spec.product_name, font=_font(spec.family, int(size * 1.5), bold=True), fill="black")
        y += name_h
    if spec.seals:
        x = margin
        for seal in spec.seals:
            draw_seal(draw, x, y, seal_size, seal, spec.family)
            x += seal_size + margin
        y += seals_h
    draw.text((x_label, y), spec.title, font=title_font, fill="black")
    y += int(line_h * 1.2)
    portion_text = _fmt(spec.portion, "mg" if float(spec.portion).is_integer() else "g", dc)
    draw.text((x_label, y), f"Tamaño de la porción {portion_text} {unit}", font=regular, fill="black")
    y += line_h
    if spec.servings:
        servings = _fmt(spec.servings, "mg" if float(spec.servings).is_integer() else "g", dc)
        draw.text((x_label, y), f"Porciones por envase: {servings}", font=regular, fill="black")
        y += line_h
    draw.line((x_label, y, table_w - margin, y), fill="black", width=max(2, size // 8))
    y += int(line_h * 0.3)
    for i, head in enumerate(cols):
        draw.text((x_cols[i], y), head, font=bold, fill="black")
    y += line_h
    for label, cells in rows:
        draw.text((x_label, y), label, font=regular, fill="black")
        for i, cell in enumerate(cells):
            draw.text((x_cols[i], y), cell, font=regular, fill="black")
        y += line_h
    draw.line((x_label, y, table_w - margin, y), fill="black", width=max(2, size // 8))
    y += int(line_h * 0.4)
    for line in legend_lines:
        draw.text((x_label, y), line, font=bold, fill="black")
        y += line_h
    for line in ingredient_lines:
        draw.text((x_label, y), line, font=regular, fill="black")
        y += line_h
    if spec.scale != 1.0:
        image = image.resize((int(image.width * spec.scale), int(image.height * spec.scale)), Image.LANCZOS)
    return image


def _wrap(text: str, font, max_w: int, width) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if width(candidate, font) <= max_w or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def draw_seal(draw: ImageDraw.ImageDraw, x: int, y: int, size: int, seal: str, family: str = "sans") -> None:
    """A black octagon with a thin white inner border, the seal's words and "SECRETARÍA DE SALUD"."""
    cut = size * 0.29

    def octagon(inset):
        s, c = size - 2 * inset, cut - inset * 0.4
        x0, y0 = x + inset, y + inset
        return [(x0 + c, y0), (x0 + s - c, y0), (x0 + s, y0 + c), (x0 + s, y0 + s - c),
                (x0 + s - c, y0 + s), (x0 + c, y0 + s), (x0, y0 + s - c), (x0, y0 + c)]

    draw.polygon(octagon(0), fill="black")
    draw.polygon(octagon(size * 0.04), outline="white", width=max(1, size // 60))
    words = SEAL_LINES.get(seal, tuple(seal.split()))
    font = _font(family, int(size * 0.13), bold=True)
    small = _font(family, int(size * 0.055), bold=True)
    total = len(words) * size * 0.16
    ty = y + size * 0.45 - total / 2
    for word in words:
        tw = draw.textlength(word, font=font)
        draw.text((x + (size - tw) / 2, ty), word, font=font, fill="white")
        ty += size * 0.16
    footer = "SECRETARÍA DE SALUD"
    tw = draw.textlength(footer, font=small)
    draw.text((x + (size - tw) / 2, y + size * 0.74), footer, font=small, fill="white")


def label_png(spec: LabelSpec) -> bytes:
    buffer = io.BytesIO()
    render_label(spec).save(buffer, format="PNG")
    return buffer.getvalue()


def label_jpeg(spec: LabelSpec, quality: int = 88) -> bytes:
    buffer = io.BytesIO()
    render_label(spec).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()
