"""Filters of the proposals' API list: a community (its id) and a state."""

import django_filters

from alliance.proposals.models import Proposal
from grids.querying import GridNodeFilter


class ProposalFilter(django_filters.FilterSet):
    community = GridNodeFilter(field_name="community")
    status = django_filters.ChoiceFilter(choices=Proposal.Status.choices)

    class Meta:
        model = Proposal
        fields = ["community", "status"]
