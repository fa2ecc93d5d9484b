"""Mexican nutrition-label reading: offline OCR (PP-OCRv5), the nutrition-table parser,
NOM-051 front-of-pack seals and legends, and a label renderer for tests and benchmarks.

Nothing here touches the database: ``nutrition.services.labels`` ties it together.
"""
