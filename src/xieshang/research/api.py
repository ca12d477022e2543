"""The research API: study under /research/study, topics and forums under /research/topics."""

from ninja import Router

from . import study_api, topics_api

router = Router(tags=["research"])
router.add_router("/study", study_api.router)
router.add_router("/topics", topics_api.router)
