"""The public portal's read-only API: proposals and replies that staff published; no sign-in."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Router
from ninja.pagination import paginate

from xieshang.api.pagination import Pages
from xieshang.proposals import selectors
from xieshang.proposals.models import Proposal, Reply

from .errors import ErrorOut
from .schemas import Id, PublicProposalDetailOut, PublicProposalOut

router = Router(tags=["public"], auth=None)


@router.get("/proposals", response=list[PublicProposalOut])
@paginate(Pages, page_size=20, max_page_size=100)
def published(request: HttpRequest, conference_id: Id | None = None) -> QuerySet[Proposal]:
    """Published proposals, most recently accepted first."""
    qs = selectors.published_proposals()
    return qs.filter(conference_id=conference_id) if conference_id else qs


@router.get("/proposals/{proposal_id}", response={200: PublicProposalDetailOut, 404: ErrorOut})
def published_detail(request: HttpRequest, proposal_id: Id) -> dict[str, Any]:
    """One published proposal with its reply letters."""
    proposal = selectors.published_proposals().filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404
    letters = proposal.replies.filter(kind=Reply.Kind.LETTER).select_related("assignment__unit")
    return {
        **PublicProposalOut.model_validate(proposal).model_dump(),
        "analysis": proposal.analysis,
        "recommendations": proposal.recommendations,
        "replies": [
            {
                "unit": str(r.assignment.unit),
                "body": r.body,
                "outcome": r.outcome,
                "outcome_label": str(r.get_outcome_display()),
                "submitted_at": r.submitted_at,
            }
            for r in letters
        ],
    }
