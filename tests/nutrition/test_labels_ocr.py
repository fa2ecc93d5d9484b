"""Rendered Mexican labels read back with the offline OCR: every field, portion, seals, legends;
and the parser on noisy OCR text (O for 0, decimal commas, mg vs g, split lines)."""

from pathlib import Path

import pytest

from nutrition.labels import ocr
from nutrition.labels.ocr import OcrBox
from nutrition.labels.parse import parse_boxes, parse_number
from nutrition.labels.render import LabelSpec, label_jpeg, label_png, printed_values

COOKIES = {"energy_kcal": 366.7, "protein_g": 6.7, "fat_g": 10, "saturated_fat_g": 4.3, "trans_fat_g": 0.0,
           "carbs_g": 60, "sugars_g": 26.7, "added_sugars_g": 20, "fiber_g": 3.3, "sodium_mg": 500}
SODA = {"energy_kcal": 42, "protein_g": 0, "fat_g": 0, "saturated_fat_g": 0, "trans_fat_g": 0, "carbs_g": 10.6,
        "sugars_g": 10.6, "added_sugars_g": 10.6, "fiber_g": 0, "sodium_mg": 10}


def check_all(spec, parsed):
    truth = printed_values(spec)
    for column in ("per_100", "per_portion"):
        got = getattr(parsed, column)
        for name, value in truth[column].items():
            assert got.get(name) == pytest.approx(value, abs=1e-6), (column, name, got.get(name), value)


def test_cookie_label_every_field_and_printed_seals(settings, tmp_path, monkeypatch):
    spec = LabelSpec(per_100=COOKIES, product_name="Galletas Marías",
                     seals=("EXCESO CALORÍAS", "EXCESO AZÚCARES", "EXCESO SODIO"),
                     legends=("CONTIENE EDULCORANTES - NO RECOMENDABLE EN NIÑOS",),
                     ingredients="Ingredientes: harina de trigo, azúcar, aceite vegetal, sal, sucralosa.")
    parsed = parse_boxes(ocr.read_boxes(label_png(spec)))
    assert parsed.found and parsed.title_found
    check_all(spec, parsed)
    assert parsed.serving_size == 30 and parsed.serving_unit == "g"
    assert parsed.servings_per_container == 12
    assert parsed.physical_state == "solid"
    assert parsed.printed_seals == ["EXCESO CALORÍAS", "EXCESO AZÚCARES", "EXCESO SODIO"]
    assert parsed.printed_legends == ["CONTIENE EDULCORANTES - NO RECOMENDABLE EN NIÑOS"]
    assert "sucralosa" in parsed.ingredients
    assert parsed.product_name.lower().startswith("galletas mar")


def test_liquid_label_portion_first_energy_two_rows_serif_jpeg():
    spec = LabelSpec(per_100=SODA, portion=355, unit="ml", servings=1, family="serif", portion_first=True,
                     energy_two_rows=True, decimal_comma=False, title="Declaración nutrimental")
    parsed = parse_boxes(ocr.read_boxes(label_jpeg(spec)))
    check_all(spec, parsed)
    assert parsed.physical_state == "liquid"
    assert parsed.serving_size == 355 and parsed.serving_unit == "ml"
    assert parsed.printed_seals == []


def test_ocr_cache_goes_to_setting_not_cwd(settings):
    ocr.engine()
    cache = Path(settings.OCR_CACHE_DIR) / "onnxruntime"
    assert any(cache.glob("*.optimized.onnx"))
    assert not (Path.cwd() / "cache" / "onnxruntime").exists() or Path.cwd() / "cache" == Path(settings.OCR_CACHE_DIR)


def test_blank_picture_has_no_label():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), "white").save(buffer, format="PNG")
    assert not parse_boxes(ocr.read_boxes(buffer.getvalue())).found


@pytest.mark.parametrize(("raw", "unit", "value"), [
    ("6,7", "g", 6.7), ("1,531", "kj", 1531), ("1.531", "kj", 1531), ("1.531,5", "kj", 1531.5),
    ("1 531", "kj", 1531), ("0,5", "g", 0.5), ("12.", "g", 12), ("1,200", "mg", 1200), ("1,2", "mg", 1.2),
])
def test_numbers(raw, unit, value):
    assert parse_number(raw, unit) == pytest.approx(value)


def box(text, x0, y0, x1, y1=None, score=0.95):
    return OcrBox(text, score, x0, y0, x1, (y1 if y1 is not None else y0 + 30))


def test_parser_on_noisy_ocr():
    boxes = [
        box("Informaci6n nutrimental", 10, 0, 400),
        box("Tamaño de la porción: 4O g", 10, 40, 400),
        box("Porciones por envase aprox. 8", 10, 80, 400),
        box("Por 100 g", 500, 120, 620), box("Por porción", 700, 120, 860),
        box("Contenido energético", 10, 160, 300), box("1 674 kJ (400 kcal)", 500, 160, 690),
        box("670 kJ (160 kcal)", 700, 160, 880),
        box("Protelnas", 10, 200, 150), box("8,O g", 500, 200, 560), box("3,2 g", 700, 200, 760),
        box("Grasas saturadas", 10, 240, 250), box("1,5g", 500, 242, 560), box("O,6 g", 700, 238, 760),
        box("Grasas trans", 10, 280, 200), box("<0,5 g", 500, 280, 580), box("Omg", 700, 280, 760),
        box("Hidratos de carbono", 10, 320, 300),
        box("disponibles", 10, 352, 200), box("70,0 g", 500, 352, 580), box("28,0 g", 700, 352, 780),
        box("Sodio", 10, 400, 100), box("0,45 g", 500, 400, 580), box("180 mg", 700, 400, 780),
    ]
    parsed = parse_boxes(boxes)
    assert parsed.found
    assert parsed.serving_size == 40 and parsed.servings_per_container == 8
    assert parsed.per_100["energy_kj"] == 1674 and parsed.per_100["energy_kcal"] == 400
    assert parsed.per_portion["energy_kcal"] == 160
    assert parsed.per_100["protein_g"] == 8.0 and parsed.per_portion["protein_g"] == 3.2
    assert parsed.per_portion["saturated_fat_g"] == 0.6
    assert parsed.per_100["trans_fat_g"] == 0.5 and "per_100.trans_fat_g" in parsed.approximate
    assert parsed.per_portion["trans_fat_g"] == 0
    assert parsed.per_100["carbs_g"] == 70 and parsed.per_portion["carbs_g"] == 28
    assert parsed.per_100["sodium_mg"] == 450 and parsed.per_portion["sodium_mg"] == 180


def test_parser_merged_header_and_split_seal_words():
    boxes = [
        box("EXCESO", 20, 0, 100, 20), box("GRASAS", 20, 22, 100, 42), box("SATURADAS", 10, 44, 110, 64),
        box("EXCESO SODIO", 200, 0, 320, 20),
        box("Información nutrimental", 10, 100, 400),
        box("Por 100 ml Por porción", 500, 140, 860),
        box("Azúcares añadidos", 10, 180, 250), box("5,0 g", 500, 180, 560), box("12,5 g", 700, 180, 780),
        box("Sodio", 10, 220, 100), box("30 mg", 500, 220, 560), box("75 mg", 700, 220, 780),
    ]
    parsed = parse_boxes(boxes)
    assert parsed.physical_state == "liquid"
    assert parsed.per_100["added_sugars_g"] == 5 and parsed.per_portion["added_sugars_g"] == 12.5
    assert parsed.printed_seals == ["EXCESO GRASAS SATURADAS", "EXCESO SODIO"]
