from xieshang.proposals import services
from xieshang.proposals.models import ProposalState

from . import walk


def test_a_proposal_goes_from_draft_to_closed(world):
    p = walk.evaluated(world.city)
    assert p.state == ProposalState.EVALUATED
    p = services.close_proposal(world.city.staff, p)
    assert p.state == ProposalState.CLOSED
    assert p.number_label == "第0001号"
