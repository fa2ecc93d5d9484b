"""Parse the "Información nutrimental" table out of OCR text boxes.

The input is what the OCR saw: text lines with their boxes. The parser groups them into
visual rows, finds the column headers (per 100 g / 100 ml and per portion), recognises each
nutrient row by its Spanish name (accent-free, tolerant to misread letters), reads the
numbers (decimal comma or point, thousands separators, O/o read for 0, mg vs g) and assigns
them to the columns by position. It also reads the portion size, servings per container,
solid vs liquid, the ingredients, and the seals and legends already printed on the package.

Units out: energy in kcal and kJ, sodium in mg, everything else in g.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from nutrition.labels.ocr import OcrBox

FIELDS = (
    "energy_kcal", "energy_kj", "protein_g", "fat_g", "saturated_fat_g", "trans_fat_g",
    "carbs_g", "sugars_g", "added_sugars_g", "fiber_g", "sodium_mg", "cholesterol_mg",
)
NUTRIENT_FIELDS = tuple(f for f in FIELDS if f not in ("energy_kcal", "energy_kj"))

SEALS = ("EXCESO CALORÍAS", "EXCESO AZÚCARES", "EXCESO GRASAS SATURADAS", "EXCESO GRASAS TRANS", "EXCESO SODIO")
LEGEND_SWEETENERS = "CONTIENE EDULCORANTES - NO RECOMENDABLE EN NIÑOS"
LEGEND_CAFFEINE = "CONTIENE CAFEÍNA - EVITAR EN NIÑOS"
LEGENDS = (LEGEND_SWEETENERS, LEGEND_CAFFEINE)

# Words the labels use, for snapping misread words ("Protelnas" -> "proteinas").
VOCABULARY = (
    "contenido", "energetico", "energia", "valor", "proteinas", "proteina", "grasas", "grasa", "totales", "total",
    "saturadas", "trans", "hidratos", "carbono", "disponibles", "carbohidratos", "azucares", "anadidos",
    "adicionados", "fibra", "dietetica", "sodio", "colesterol", "lipidos", "monoinsaturadas", "poliinsaturadas",
    "exceso", "calorias", "porcion", "porciones", "envase", "tamano", "informacion", "nutrimental", "declaracion",
    "ingredientes", "edulcorantes", "cafeina", "contiene",
)

# (field, test on the accent-free row label); the order matters: specific names first.
ROW_RULES = (
    ("added_sugars_g", lambda t: "azucar" in t and ("anadid" in t or "adicionad" in t)),
    ("sugars_g", lambda t: "azucar" in t),
    ("saturated_fat_g", lambda t: "saturad" in t and "insatur" not in t),
    ("trans_fat_g", lambda t: "trans" in t),
    (None, lambda t: "insatur" in t or "monoinsat" in t or "poliinsat" in t),
    ("fat_g", lambda t: "grasa" in t or "lipido" in t),
    ("carbs_g", lambda t: "hidrato" in t or "carbohidrat" in t),
    ("fiber_g", lambda t: "fibra" in t),
    ("sodium_mg", lambda t: "sodio" in t),
    ("cholesterol_mg", lambda t: "colesterol" in t),
    ("protein_g", lambda t: "protein" in t),
    ("energy", lambda t: "energ" in t or "caloria" in t or t.strip() in ("kcal", "kj", "kj kcal")),
)

SWEETENERS = (
    "sucralosa", "aspartame", "aspartamo", "acesulfame", "acesulfamo", "sacarina", "ciclamato", "estevia", "stevia",
    "esteviol", "neotame", "advantame", "taumatina", "eritritol", "sorbitol", "xilitol", "maltitol", "manitol",
    "isomalt", "lactitol", "fruta del monje", "edulcorante",
)
ADDED_SUGAR_WORDS = (
    "azucar", "jarabe", "miel", "fructosa", "glucosa", "dextrosa", "sacarosa", "piloncillo", "melaza",
    "concentrado de jugo", "jugo concentrado", "maltosa",
)
ADDED_FAT_WORDS = ("aceite", "grasa vegetal", "grasa animal", "manteca", "mantequilla", "margarina", "grasa de")
ADDED_SODIUM_WORDS = ("sal ", "sal,", "sal.", "sal yodada", "sodio", "monosodico", "sal de mesa")


def fold(text: str) -> str:
    """Lowercase without accents (ñ -> n)."""
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def _snap_words(text: str) -> str:
    words = []
    for word in re.findall(r"[a-z]+", text):
        if len(word) >= 5 and word not in VOCABULARY:
            close = difflib.get_close_matches(word, VOCABULARY, n=1, cutoff=0.8)
            word = close[0] if close else word
        words.append(word)
    return " ".join(words)


def label_key(text: str) -> str:
    """The accent-free, misread-tolerant form of a row label used to match nutrient names."""
    return _snap_words(fold(text))


def row_field(text: str) -> str | None:
    key = label_key(text)
    if not key:
        return None
    for name, test in ROW_RULES:
        if test(key):
            return name or "skip"
    return None


# ---------------------------------------------------------------------------------------
# numbers

UNIT_RE = r"kcal|kca\w*|kj|mg|µg|ug|mcg|g|ml|%"
_VALUE_RE = re.compile(
    rf"(?P<lt><\s*)?(?P<num>\d[\d\s.,']*\d|\d)\s*(?P<unit>{UNIT_RE})?(?![a-z])",
    re.IGNORECASE,
)


def _fix_digits(text: str) -> str:
    """Letters OCR confuses with digits, only where they sit next to digits or before a unit."""
    text = re.sub(r"(?<=\d)[oO]|[oO](?=[.,]?\d)", "0", text)
    text = re.sub(r"(?<=\d)[lI|]|[lI|](?=\d)", "1", text)
    text = re.sub(r"(?<![A-Za-z])[oO]\s?(?=(mg|g|kcal|kj)\b)", "0 ", text, flags=re.IGNORECASE)
    text = re.sub(r"(?<=\d)\s*,\s*(?=\d)", ",", text)
    text = re.sub(r"(?<=\d)\s*\.\s*(?=\d)", ".", text)
    return text


def parse_number(raw: str, unit: str = "") -> float | None:
    """"6,7" -> 6.7; "1,531" kJ -> 1531; "1.531,5" -> 1531.5; "1 531" -> 1531."""
    raw = raw.replace("'", "").strip().rstrip(".,")
    big_units = unit in ("kj", "kcal", "mg")
    if re.fullmatch(r"\d{1,3}( \d{3})+", raw):
        return float(raw.replace(" ", ""))
    raw = raw.replace(" ", "")
    if not raw:
        return None
    if "," in raw and "." in raw:
        decimal = "," if raw.rfind(",") > raw.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        raw = raw.replace(thousands, "").replace(decimal, ".")
    elif "," in raw or "." in raw:
        sep = "," if "," in raw else "."
        if raw.count(sep) > 1 or (big_units and re.fullmatch(rf"[1-9]\d{{0,2}}\{sep}\d{{3}}", raw)):
            raw = raw.replace(sep, "")
        else:
            raw = raw.replace(sep, ".")
    try:
        return float(raw)
    except ValueError:
        return None


def _norm_unit(unit: str | None) -> str:
    unit = fold(unit or "")
    if unit.startswith("kca"):
        return "kcal"
    return {"ug": "µg", "mcg": "µg"}.get(unit, unit)


@dataclass
class Token:
    value: float
    unit: str
    x: float
    score: float
    less_than: bool = False


def tokens_in(box: OcrBox) -> list[Token]:
    """The numbers in one OCR box with their units and an estimated x position each."""
    text = _fix_digits(box.text)
    out = []
    length = max(len(text), 1)
    for match in _VALUE_RE.finditer(text):
        unit = _norm_unit(match.group("unit"))
        value = parse_number(match.group("num"), unit)
        if value is None:
            continue
        mid = (match.start() + match.end()) / 2
        x = box.x0 + (box.x1 - box.x0) * mid / length
        out.append(Token(value, unit, x, box.score, bool(match.group("lt"))))
    return out


# ---------------------------------------------------------------------------------------
# layout


@dataclass
class Line:
    boxes: list[OcrBox]

    @property
    def text(self) -> str:
        return " ".join(b.text for b in self.boxes)

    @property
    def y0(self) -> float:
        return min(b.y0 for b in self.boxes)

    @property
    def y1(self) -> float:
        return max(b.y1 for b in self.boxes)

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


def group_lines(boxes: list[OcrBox]) -> list[Line]:
    """Boxes whose vertical centres fall within half a text height of each other form one row."""
    lines: list[Line] = []
    for box in sorted(boxes, key=lambda b: b.cy):
        for line in reversed(lines[-3:]):
            ref = min(box.height, line.y1 - line.y0)
            if abs(box.cy - line.cy) < 0.5 * ref:
                line.boxes.append(box)
                break
        else:
            lines.append(Line([box]))
    for line in lines:
        line.boxes.sort(key=lambda b: b.x0)
    return lines


@dataclass
class ParsedLabel:
    found: bool = False
    title_found: bool = False
    product_name: str = ""
    physical_state: str = "solid"
    serving_size: float | None = None
    serving_unit: str = "g"
    servings_per_container: float | None = None
    per_100: dict = field(default_factory=dict)
    per_portion: dict = field(default_factory=dict)
    confidence: dict = field(default_factory=dict)  # "per_100.sugars_g" -> OCR score
    approximate: set = field(default_factory=set)  # fields printed as "< x"
    printed_seals: list = field(default_factory=list)
    printed_legends: list = field(default_factory=list)
    ingredients: str = ""
    text: str = ""


def _is_label_box(box: OcrBox) -> bool:
    return bool(re.search(r"[A-Za-zÁÉÍÓÚáéíóúñÑ]{3,}", box.text))


def _header_columns(lines: list[Line]) -> tuple[dict, str | None, int | None]:
    """x centre of each column header and the unit of the 100 column ("g"/"ml")."""
    for index, line in enumerate(lines):
        folded = fold(line.text)
        if "100" not in folded or "porcion" in folded and "tamano" in folded:
            continue
        if not re.search(r"100\s*(g|ml|gr|mi)\b", folded) and "porcion" not in folded:
            continue
        columns: dict[str, float] = {}
        unit = "ml" if re.search(r"100\s*(ml|mi)\b", folded) else "g"
        for box in line.boxes:
            text = fold(box.text)
            hit_100 = re.search(r"100\s*(g|ml|gr|mi)", text)
            hit_portion = re.search(r"porci[o0]n|racion", text)
            if hit_100 and hit_portion:
                # One box for both headers: split it where each header starts.
                n = max(len(text), 1)
                for key, match in (("per_100", hit_100), ("per_portion", hit_portion)):
                    columns[key] = box.x0 + (box.x1 - box.x0) * (match.start() + 3) / n
            elif hit_100:
                columns["per_100"] = box.cx
            elif hit_portion and "tamano" not in text:
                columns["per_portion"] = box.cx
        if columns and re.search(r"100\s*(g|ml|gr|mi)", folded):
            return columns, unit, index
    return {}, None, None


def _assign(tokens: list[Token], columns: dict) -> dict[str, Token]:
    """Tokens (left to right) to columns: by nearest header when the headers were read, else in
    the usual order (per 100, then per portion)."""
    tokens = [t for t in tokens if t.unit != "%"]
    if not tokens:
        return {}
    order = sorted(columns, key=columns.get) if columns else ["per_100", "per_portion"]
    if columns and len(columns) >= 1:
        out: dict[str, Token] = {}
        for token in tokens:
            key = min(columns, key=lambda k: abs(columns[k] - token.x))
            if key in out:
                # Two numbers near one header: positions are unreliable, fall back to order.
                return dict(zip(order, tokens, strict=False))
            out[key] = token
        return out
    return dict(zip(order, tokens, strict=False))


def _to_unit(field_name: str, token: Token) -> float:
    """Convert to the field's unit: mg/µg for grams fields, g for sodium."""
    value, unit = token.value, token.unit
    if field_name.endswith("_mg"):
        if unit == "g":
            return value * 1000
        if unit == "µg":
            return value / 1000
        return value
    if unit == "mg":
        return value / 1000
    if unit == "µg":
        return value / 1_000_000
    return value


def _energy(tokens: list[Token], label: str, columns: dict, pending_unit: str | None) -> dict[str, dict[str, Token]]:
    """Energy rows: "1531 kJ (366 kcal)", "1531 (366)", or kJ and kcal on separate rows."""
    key = fold(label)
    units = [t.unit for t in tokens]
    if not any(units):
        if "kj" in key and "kcal" in key and len(tokens) % 2 == 0:
            for i, t in enumerate(tokens):
                t.unit = "kj" if i % 2 == 0 else "kcal"
        elif "kj" in key or pending_unit == "kj":
            for t in tokens:
                t.unit = "kj"
        elif "kcal" in key or "caloria" in key or pending_unit == "kcal":
            for t in tokens:
                t.unit = "kcal"
        elif len(tokens) in (2, 4) and tokens[1].value and 3.9 < tokens[0].value / tokens[1].value < 4.5:
            for i, t in enumerate(tokens):
                t.unit = "kj" if i % 2 == 0 else "kcal"
        else:
            for t in tokens:
                t.unit = "kcal"
    out: dict[str, dict[str, Token]] = {}
    for unit, name in (("kj", "energy_kj"), ("kcal", "energy_kcal")):
        subset = [t for t in tokens if t.unit == unit]
        if subset:
            out[name] = _assign(subset, columns)
    return out


def _seal_for(text: str) -> str | None:
    key = label_key(text)
    if "caloria" in key:
        return "EXCESO CALORÍAS"
    if "azucar" in key:
        return "EXCESO AZÚCARES"
    if "saturad" in key:
        return "EXCESO GRASAS SATURADAS"
    if "trans" in key:
        return "EXCESO GRASAS TRANS"
    if "sodio" in key:
        return "EXCESO SODIO"
    return None


def _printed_seals(boxes: list[OcrBox]) -> list[str]:
    """Seals are octagons with "EXCESO" above the nutrient; read the words under each EXCESO."""
    found: list[str] = []
    for box in boxes:
        key = label_key(box.text)
        if "exceso" not in key:
            continue
        seal = _seal_for(key.replace("exceso", ""))
        if seal is None:
            width = box.x1 - box.x0
            below = [
                b for b in boxes
                if b is not box and b.y0 >= box.cy and b.y0 <= box.y1 + 3.5 * box.height
                and abs(b.cx - box.cx) < max(width, b.x1 - b.x0) and not re.search(r"\d", b.text)
            ]
            below.sort(key=lambda b: b.y0)
            words = " ".join(b.text for b in below[:2])
            seal = _seal_for(words)
        if seal and seal not in found:
            found.append(seal)
    return [s for s in SEALS if s in found]


def _printed_legends(text: str) -> list[str]:
    key = re.sub(r"\s+", " ", label_key(text))
    out = []
    if re.search(r"contiene edulcorante|edulcorantes? no recomendable", key):
        out.append(LEGEND_SWEETENERS)
    if re.search(r"contiene cafeina|cafeina evitar", key):
        out.append(LEGEND_CAFFEINE)
    return out


def _first_amount(text: str, units=("g", "ml")) -> tuple[float | None, str | None]:
    for match in _VALUE_RE.finditer(_fix_digits(text)):
        unit = _norm_unit(match.group("unit"))
        if unit in units:
            return parse_number(match.group("num"), unit), unit
    return None, None


def parse_boxes(boxes: list[OcrBox]) -> ParsedLabel:
    """The label's values from OCR boxes (see the module docstring)."""
    result = ParsedLabel()
    lines = group_lines(boxes)
    result.text = "\n".join(line.text for line in lines)
    columns, unit_100, header_index = _header_columns(lines)
    if unit_100 == "ml":
        result.physical_state = "liquid"

    title_index = None
    for index, line in enumerate(lines):
        key = label_key(line.text)
        if "nutrimental" in key or "nutricional" in key or "datos de nutricion" in key:
            title_index = index
            result.title_found = True
            break

    pending: tuple[str, Line] | None = None
    pending_energy_unit = None
    for index, line in enumerate(lines):
        if index == header_index:
            continue
        folded = fold(line.text)
        # Portion size and servings per container (they are above the table).
        if "porcion" in folded and ("envase" in folded or "porciones" in folded):
            # A lone "1" at the end is often read as "l" or "I".
            line_text = re.sub(r"(?<=[:\s])[lI|](?=\s*$)", "1", line.text)
            amount, _unit = _first_amount(line_text, units=("",))
            if amount is None:
                amount, _unit = _first_amount(line_text, units=("", "g", "ml"))
            if amount is not None and 0 < amount < 1000:
                result.servings_per_container = amount
            continue
        if re.search(r"tamano\s*de\s*(la\s*)?porcion|^\s*porcion\s*:", folded):
            amount, unit = _first_amount(line.text)
            if amount:
                result.serving_size, result.serving_unit = amount, unit
                if unit == "ml":
                    result.physical_state = "liquid"
            continue
        label_boxes = [b for b in line.boxes if _is_label_box(b) and not re.match(r"^\s*[\d<]", _fix_digits(b.text))]
        label_text = " ".join(b.text for b in label_boxes)
        value_boxes = [b for b in line.boxes if b not in label_boxes]
        tokens: list[Token] = []
        for box in line.boxes:
            for token in tokens_in(box):
                # Numbers inside a row label ("Por 100 g") are not values.
                if box in label_boxes and not token.unit:
                    continue
                tokens.append(token)
        if label_boxes and value_boxes is not None:
            # Drop tokens that belong to the label text itself (e.g. "Vitamina B12").
            first_value_x = min((b.x0 for b in value_boxes), default=None)
            if first_value_x is not None:
                tokens = [t for t in tokens if t.x >= first_value_x - 2] or tokens
        name = row_field(label_text) if label_text else None
        if name is None and pending and tokens:
            name, label_text = pending[0], pending[1].text + " " + label_text
        if name in (None, "skip"):
            pending = None
            continue
        if not tokens:
            pending = (name, line)
            if name == "energy":
                pending_energy_unit = "kj" if "kj" in fold(label_text) else ("kcal" if "kcal" in fold(label_text) else None)
            continue
        pending = None
        if name == "energy":
            for energy_field, assigned in _energy(tokens, label_text, columns, pending_energy_unit).items():
                for column, token in assigned.items():
                    target = result.per_100 if column == "per_100" else result.per_portion
                    target.setdefault(energy_field, token.value)
                    result.confidence.setdefault(f"{column}.{energy_field}", round(token.score, 3))
            continue
        for column, token in _assign(tokens, columns).items():
            target = result.per_100 if column == "per_100" else result.per_portion
            if name in target:
                continue
            target[name] = round(_to_unit(name, token), 4)
            result.confidence[f"{column}.{name}"] = round(token.score, 3)
            if token.less_than:
                result.approximate.add(f"{column}.{name}")

    read = set(result.per_100) | set(result.per_portion)
    result.found = bool(read) and (result.title_found or len(read) >= 3)
    result.printed_seals = _printed_seals(boxes)
    result.printed_legends = _printed_legends(result.text)
    result.ingredients = _ingredients(lines)
    result.product_name = _product_name(lines, title_index)
    return result


def _ingredients(lines: list[Line]) -> str:
    for index, line in enumerate(lines):
        folded = fold(line.text)
        if "ingrediente" in folded:
            parts = [line.text.split(":", 1)[1] if ":" in line.text else re.sub(r"(?i)ingredientes?", "", line.text)]
            for follow in lines[index + 1:index + 8]:
                key = fold(follow.text)
                if any(w in key for w in ("contiene", "hecho en", "informacion", "consumase", "lote", "exceso")):
                    break
                parts.append(follow.text)
            return " ".join(p.strip() for p in parts).strip()
    return ""


def _product_name(lines: list[Line], title_index: int | None) -> str:
    """The tallest text above the table that is not a seal, legend or heading."""
    candidates = []
    for line in lines[: title_index if title_index is not None else 3]:
        for box in line.boxes:
            key = label_key(box.text)
            if re.search(r"exceso|secretaria|salud|contiene|porcion|recomendable|nutrimental", key):
                continue
            if _seal_for(key) or len(re.sub(r"[^a-z]", "", key)) < 3:
                continue
            candidates.append(box)
    if not candidates:
        return ""
    best = max(candidates, key=lambda b: b.height)
    same = [b for b in candidates if abs(b.cy - best.cy) < best.height / 2]
    return " ".join(b.text for b in sorted(same, key=lambda b: b.x0))[:200]


def ingredient_flags(ingredients: str) -> dict:
    """What the ingredient list says was added (None when there is no list to judge)."""
    if not ingredients.strip():
        return {"adds_sugar": None, "adds_fat": None, "adds_sodium": None, "has_sweeteners": None, "has_caffeine": None}
    text = f" {fold(ingredients)} "
    return {
        "adds_sugar": any(w in text for w in ADDED_SUGAR_WORDS),
        "adds_fat": any(w in text for w in ADDED_FAT_WORDS),
        "adds_sodium": any(w in text for w in ADDED_SODIUM_WORDS),
        "has_sweeteners": any(w in text for w in SWEETENERS),
        "has_caffeine": "cafeina" in text,
    }
