"""Research topics (课题) and forums, and study (plans, materials, quizzes, papers): one module each."""

from .study import *  # noqa: F403
from .topics import *  # noqa: F403
