"""Typed config of the semantic layer: which search serves the assistant, its lag, warehouse and size."""

import itertools
import re
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field

from models.enums import WarehousePurpose
from models.schedules import Schedule
from models.strict_model import StrictModel
from models.validation import one_of

# Snowflake Service Consumption Table, "Cortex Search": serving bills 6.3 credits per GB-month of indexed
# data, whether or not anyone queries the service.
SERVING_CREDITS_PER_GB_MONTH = 6.3
_LAG = re.compile(r"^([1-9][0-9]*) (seconds|minutes|hours|days)$")
_LAG_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
# CREATE CORTEX SEARCH SERVICE: TARGET_LAG is at least 1 minute, as for dynamic tables.
_MIN_LAG_SECONDS = 60


def _target_lag(value: str) -> str:
    match = _LAG.fullmatch(value)
    if not match or int(match.group(1)) * _LAG_SECONDS[match.group(2)] < _MIN_LAG_SECONDS:
        raise ValueError(
            f"targetLag {value!r} is not allowed; allowed: '<n> seconds|minutes|hours|days', at least 1 minute"
        )
    return value


class SearchKind(StrEnum):
    """What answers the assistant's semantic search: a Cortex Search service, or the brute-force vector view."""

    CORTEX = "cortex"
    VECTOR = "vector"


class SemanticConfig(StrictModel):
    """The search the stack serves, and the service's lag, refresh warehouse and expected indexed size."""

    search: Annotated[SearchKind, one_of("semantic.search", SearchKind)] = SearchKind.VECTOR
    # None: the longest gap between two embedding runs, so the index is never staler than the vectors.
    target_lag: Annotated[str, AfterValidator(_target_lag)] | None = None
    # What the plan prices the service's serving at: the indexed text and attributes, in GB.
    indexed_gb: float = Field(default=1.0, gt=0, le=100_000)
    warehouse: Annotated[WarehousePurpose, one_of("semantic.warehouse", WarehousePurpose)] = (
        WarehousePurpose.ML
    )

    @property
    def monthly_serving_credits(self) -> float:
        """The service's serving credits a month; zero when the stack keeps the vector view."""
        if self.search is SearchKind.VECTOR:
            return 0.0
        return round(self.indexed_gb * SERVING_CREDITS_PER_GB_MONTH, 2)

    def lag_for(self, embedding_schedule: str) -> str:
        """The service's TARGET_LAG: the configured one, or the embedding schedule's longest gap."""
        if self.target_lag is not None:
            return self.target_lag
        return f"{longest_gap_minutes(embedding_schedule)} minutes"


def longest_gap_minutes(schedule_text: str) -> int:
    """The longest wait between two runs of a task schedule, in whole minutes (at least 1).

    Two weeks of fire times, so the gap across a week's end (Friday to Monday) is seen too.
    """
    schedule = Schedule.parse(schedule_text)
    if schedule.interval_seconds is not None:
        return max(1, schedule.interval_seconds // 60)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    times = schedule.fire_times(start, 24 * 14)
    gaps = [(later - earlier).total_seconds() for earlier, later in itertools.pairwise(times)]
    return max(1, int(max(gaps, default=7 * 86400) // 60))
