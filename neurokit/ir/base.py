"""Shared base for IR models: strict (unknown keys are errors) and validated on assignment."""
from typing import Iterable

from pydantic import BaseModel, ConfigDict, model_validator

SCHEMA_VERSION = 1


class IRModel(BaseModel):
    # allow_inf_nan=False: a NaN or infinite number (theta_init: [.nan], high: .inf) is an error
    # in the spec, not a value that fixed point would wrap to INT32_MIN.
    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False, allow_inf_nan=False)


class SelfChecked(BaseModel):
    """A model that checks itself as a whole after its fields: `problems()` yields one
    'path: what is wrong' line per problem, and all of them are raised together."""

    def problems(self) -> Iterable[str]:
        return ()

    @model_validator(mode="after")
    def _check_problems(self):
        problems = list(self.problems())
        if problems:
            raise ValueError("\n".join(problems))
        return self
