"""Research topics (课题), their partners, drafts and reports, and multi-city forums."""

__all__: list[str] = []
