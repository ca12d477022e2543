"""Study plans, materials, quizzes with a question bank, and study papers."""

__all__: list[str] = []
