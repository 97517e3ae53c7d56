"""成果运用转化 in the overview: founded findings turned into measures, as of a day."""

from __future__ import annotations

import strawberry

from api.graphql.enums import FindingKind
from projections.views import measure_figures as mf

SHARE = "Turned into measures / founded, in percent (one decimal); null while none is founded."


@strawberry.type(description="One kind of finding as of the day.")
class FindingFigures:
    kind: FindingKind
    founded: int = strawberry.field(
        description="Founded by the day: complaints (and, as EXPOSURE, media cases) verified "
        "as founded or whose unfounded finding was overturned on appeal; interviews held; "
        "legacy problems registered."
    )
    turned_into_measures: int = strawberry.field(
        description="Of those, the ones a measure proposed by the day cites (each once)."
    )
    share: float | None = strawberry.field(description=SHARE)

    @classmethod
    def of(cls, f: mf.FindingFigures) -> FindingFigures:
        return cls(
            kind=f.kind,
            founded=f.founded,
            turned_into_measures=f.turned_into_measures,
            share=f.share,
        )


@strawberry.type(
    description="成果运用转化 as of the day: the share of founded findings turned into measures "
    "(rule changes, process changes, trainings), and how far the measures went."
)
class MeasureFigures:
    findings: list[FindingFigures] = strawberry.field(
        description="By kind of finding: COMPLAINT, EXPOSURE, INTERVIEW, LEGACY_ISSUE."
    )
    founded: int = strawberry.field(description="Founded findings of every kind, by the day.")
    turned_into_measures: int = strawberry.field(
        description="Founded findings a measure proposed by the day cites (each once)."
    )
    share: float | None = strawberry.field(description=SHARE)
    proposed: int = strawberry.field(description="Measures proposed by the day.")
    implemented: int = strawberry.field(description="Of those, implemented by the day.")
    evaluated: int = strawberry.field(description="Of those, evaluated by the day.")
    evaluated_effective: int = strawberry.field(
        description="Of those, evaluated effective by the day."
    )

    @classmethod
    def of(cls, m: mf.MeasureFigures) -> MeasureFigures:
        return cls(
            findings=[FindingFigures.of(f) for f in m.findings],
            founded=m.founded,
            turned_into_measures=m.turned_into_measures,
            share=m.share,
            proposed=m.proposed,
            implemented=m.implemented,
            evaluated=m.evaluated,
            evaluated_effective=m.evaluated_effective,
        )
