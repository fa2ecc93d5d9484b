"""A meal plan as a PDF, server-side with fpdf2 and the core Helvetica font.

Core fonts are latin-1: Spanish letters (ñ, á, é, ü, ¿, ¡) work; anything outside latin-1
("≥", "×", "½", emoji) is replaced by an ASCII equivalent so the document renders on any
machine without embedding fonts.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clinical.selectors import plans as selectors

_REPLACEMENTS = {
    "×": "x", "≥": ">=", "≤": "<=", "½": "1/2", "¼": "1/4", "¾": "3/4", "–": "-", "—": "-", "“": '"', "”": '"',
    "‘": "'", "’": "'", "…": "...", "•": "-", "→": "->", "·": "-", "\u00a0": " ",
}


def pdf_text(value) -> str:
    """Text safe for a latin-1 core font."""
    text = str(value or "")
    for bad, good in _REPLACEMENTS.items():
        text = text.replace(bad, good)
    return text.encode("latin-1", "replace").decode("latin-1")


def _date(value) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


def plan_pdf_bytes(plan, *, shopping: dict | None = None) -> bytes:
    """The whole plan: title, patient, nutritionist and cédula, dates, targets, each day with
    its five meal slots (items with quantities and equivalents), day totals, instructions and
    the date it was generated; with ``shopping`` (``clinical.generator.shopping``) also the
    tips of a generated plan and its shopping list by aisle with estimated costs."""
    from fpdf import FPDF

    days = selectors.plan_days(plan)
    pdf = FPDF(format="Letter")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(pdf_text(plan.title))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def line(text, size=10, style="", height=5.5):
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(width, height, pdf_text(text), new_x="LMARGIN", new_y="NEXT")

    line(plan.title, 16, "B", 8)
    author = plan.author
    profile = getattr(author, "nutritionist_profile", None)
    if plan.patient_id:
        line(_("Paciente: %(name)s") % {"name": plan.patient.get_full_name() or plan.patient.get_username()})
    nutritionist = author.get_full_name() or author.get_username()
    if profile is not None:
        nutritionist += " - " + _("Cédula profesional %(n)s") % {"n": profile.license_number}
    if plan.author_id != plan.patient_id:  # a plan a person generated for themselves has no nutritionist
        line(_("Nutrióloga(o): %(name)s") % {"name": nutritionist})
    if plan.start_date:
        dates = _date(plan.start_date) + (f" - {_date(plan.end_date)}" if plan.end_date else "")
        line(_("Vigencia: %(dates)s") % {"dates": dates})
    targets = [f"{label} {getattr(plan, f)} {unit}" for f, (label, unit) in selectors.MACRO_LABELS.items()
               if getattr(plan, f)]
    if targets:
        line(_("Metas diarias: %(t)s") % {"t": ", ".join(str(t) for t in targets)})
    if plan.description:
        pdf.ln(2)
        line(_("Indicaciones"), 12, "B", 7)
        line(plan.description)

    for day in days:
        pdf.ln(3)
        line(_("Día %(n)s") % {"n": day.number} + (f" - {day.day.label}" if day.day.label else ""), 13, "B", 7)
        for slot in day.slots:
            if not slot.items:
                continue
            line(f"{slot.label} ({slot.values['energy_kcal']:.0f} kcal)", 11, "B", 6)
            for item in slot.items:
                detail = f"{item.display_amount} - {item.energy_kcal:.0f} kcal"
                if item.display_equivalents:
                    detail += f" - {item.display_equivalents}"
                if item.note:
                    detail += f" - {item.note}"
                line(f"  - {item.display_name}: {detail}", 9.5)
        values = day.totals["values"]
        line(
            _("Total del día: %(kcal)s kcal, proteína %(p)s g, grasa %(f)s g, carbohidratos %(c)s g") % {
                "kcal": f"{values['energy_kcal']:.0f}", "p": f"{values['protein_g']:.0f}",
                "f": f"{values['fat_g']:.0f}", "c": f"{values['carbs_g']:.0f}",
            }, 9.5, "B",
        )
        line(_("Equivalentes: %(eq)s") % {"eq": day.totals["equivalents_text"]}, 9.5)

    if shopping is not None:
        from clinical.generator.shopping import shopping_text_rows

        tips = (plan.generated_meta or {}).get("tips") or []
        if tips:
            pdf.ln(3)
            line(_("Consejos"), 13, "B", 7)
            for tip in tips:
                line(f"  - {tip}", 9.5)
        pdf.add_page()
        line(_("Lista de compras"), 14, "B", 8)
        line(_("Para %(n)s días. Precios estimados al %(date)s; pueden variar según la tienda y la temporada.") % {
            "n": shopping["days"], "date": _date(shopping["price_date"])}, 9, "I", 5)
        for heading, rows in shopping_text_rows(shopping):
            pdf.ln(2)
            line(heading, 11, "B", 6)
            for row in rows:
                line(f"  - {row}", 9.5)
        pdf.ln(2)
        line(_("Total estimado de la compra: %(total)s MXN") % {"total": f"${shopping['total_mxn']:,.2f}"}, 11, "B", 6)
        if shopping["per_day_mxn"] is not None:
            line(_("Lo que se come cuesta unos %(day)s MXN al día; el resto queda en la despensa.") % {
                "day": f"${shopping['per_day_mxn']:,.2f}"}, 9.5)

    pdf.ln(4)
    line(_("Generado el %(date)s en NutriMX") % {"date": _date(timezone.localdate())}, 8, "I", 4)
    return bytes(pdf.output())
