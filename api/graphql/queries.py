"""The Query root: lists of items, nodes, history, the audit trail and the views, each
concern a type of its own (``item_queries``, ``log_queries``, ``figure_queries``)."""

from __future__ import annotations

import strawberry

from api.graphql.figure_queries import FigureQueries
from api.graphql.item_queries import ItemQueries
from api.graphql.log_queries import LogQueries
from api.graphql.me import MeQueries
from api.graphql.score_queries import ScoreQueries


@strawberry.type
class Query(ItemQueries, LogQueries, FigureQueries, ScoreQueries, MeQueries):
    """The fields of the bases, in the order of the bases (the schema's order): items, the
    log, the figures."""
