"""es-MX date formats: month names in lowercase, as Spanish writes them ("23 de noviembre de
2026"); Django's own es_MX formats use the capitalised standalone names (``F``)."""

DATE_FORMAT = r"j \d\e E \d\e Y"
DATETIME_FORMAT = r"j \d\e E \d\e Y \a \l\a\s H:i"
MONTH_DAY_FORMAT = r"j \d\e E"
YEAR_MONTH_FORMAT = r"E \d\e Y"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
