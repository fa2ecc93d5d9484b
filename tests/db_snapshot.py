"""The post-migration database snapshot that serialized_rollback tests restore (see tests/conftest.py)."""

DB_SNAPSHOT: dict[str, str] = {}
