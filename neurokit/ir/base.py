"""Shared base for IR models: strict (unknown keys are errors) and validated on assignment."""
from pydantic import BaseModel, ConfigDict

SCHEMA_VERSION = 1


class IRModel(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)
