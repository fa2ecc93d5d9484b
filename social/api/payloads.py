"""Re-export of the wire shapes for API code (see social.payloads)."""

from social.payloads import post_brief_payload, post_payload, user_brief  # noqa: F401
