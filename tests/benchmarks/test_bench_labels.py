"""Label scanner benchmark: 36 generated Mexican labels (four font families, sizes 20–34 px,
decimal comma or point, either column first, energy on one or two rows, solids and
liquids, PNG and JPEG), read with the offline OCR, parsed and evaluated.

Figures: exact-field accuracy (every printed number, portion size, servings, state and
printed seals), and time per label for OCR + parse + seals after the model load (median
and p95), with the model load reported on its own. Targets: ≥ 95 % exact, median < 3 s.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import date

import pytest

from nutrition.labels import nom051, ocr
from nutrition.labels.parse import parse_boxes
from nutrition.labels.render import LabelSpec, label_jpeg, label_png, printed_values

pytestmark = [pytest.mark.bench]


def specs(n=36):
    rnd = random.Random(7)
    families = ["sans", "condensed", "serif", "mono"]
    seal_names = list(nom051.SEALS)
    out = []
    for i in range(n):
        liquid = i % 4 == 3
        fat = round(rnd.uniform(0, 30), 1)
        values = {
            "energy_kcal": round(rnd.uniform(20, 60) if liquid else rnd.uniform(80, 550), 1),
            "protein_g": round(rnd.uniform(0, 25), 1), "fat_g": fat,
            "saturated_fat_g": round(fat * rnd.uniform(0, 0.6), 1), "trans_fat_g": rnd.choice([0, 0, 0.1, 0.3]),
            "carbs_g": round(rnd.uniform(5, 70), 1), "fiber_g": round(rnd.uniform(0, 9), 1),
            "sodium_mg": round(rnd.uniform(5, 900)),
        }
        values["sugars_g"] = round(values["carbs_g"] * rnd.uniform(0.1, 0.8), 1)
        values["added_sugars_g"] = round(values["sugars_g"] * rnd.uniform(0, 1), 1)
        out.append(LabelSpec(
            per_100=values, portion=rnd.choice([250, 355, 200]) if liquid else rnd.choice([25, 30, 40, 50, 90]),
            unit="ml" if liquid else "g", servings=rnd.choice([None, 1, 4, 6, 12]), family=families[i % 4],
            size=rnd.choice([20, 22, 24, 26, 30, 34]), decimal_comma=rnd.random() < 0.7,
            portion_first=rnd.random() < 0.3, energy_two_rows=rnd.random() < 0.25,
            seals=tuple(rnd.sample(seal_names, rnd.choice([0, 0, 1, 2, 3]))),
            title=rnd.choice(["Información nutrimental", "Declaración nutrimental"]),
        ))
    return out


def test_bench_label_scanner(bench_results):
    started = time.perf_counter()
    ocr.engine()
    load_s = time.perf_counter() - started
    checked = exact = 0
    times = []
    misses = []
    for i, spec in enumerate(specs()):
        data = label_jpeg(spec) if i % 3 == 2 else label_png(spec)
        t0 = time.perf_counter()
        parsed = parse_boxes(ocr.read_boxes(data))
        nom051.evaluate(parsed.per_100, physical_state=parsed.physical_state, on_date=date(2026, 6, 1))
        times.append(time.perf_counter() - t0)
        truth = printed_values(spec)
        pairs = [((c, k), v, getattr(parsed, c).get(k)) for c in ("per_100", "per_portion") for k, v in truth[c].items()]
        pairs += [
            (("serving_size",), spec.portion, parsed.serving_size),
            (("physical_state",), "liquid" if spec.unit == "ml" else "solid", parsed.physical_state),
            (("printed_seals",), sorted(spec.seals), sorted(parsed.printed_seals)),
        ]
        if spec.servings:
            pairs.append((("servings",), spec.servings, parsed.servings_per_container))
        for key, want, got in pairs:
            checked += 1
            ok = want == got if not isinstance(want, float | int) or got is None else abs(want - got) < 1e-6
            exact += ok
            if not ok:
                misses.append((i, key, want, got))
    times.sort()
    accuracy = exact / checked
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    load = os.getloadavg()[0]
    print(f"\nlabels: {len(times)}; fields checked {checked}; exact {exact} ({accuracy:.1%}); model load {load_s:.2f} s; "
          f"per label median {statistics.median(times):.2f} s, p95 {p95:.2f} s; load average {load:.1f}")
    for miss in misses[:15]:
        print("  miss", miss)
    bench_results["label_scanner"] = {
        "labels": len(times), "fields_checked": checked, "fields_exact": exact, "accuracy": round(accuracy, 4),
        "model_load_s": round(load_s, 2), "median_s": round(statistics.median(times), 2), "p95_s": round(p95, 2),
        "load_average_1m": round(load, 1),
    }
    assert accuracy >= 0.95
