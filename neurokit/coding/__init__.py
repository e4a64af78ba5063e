"""Turning spikes back into real values (issue 13): the decoders of neurokit.coding.decoders.
The encoders (real values into spikes) live in the IR (neurokit.ir.encoders) and
neurokit.data.encode."""
from neurokit.coding.decoders import (
    LinearReadout,
    fit_linear,
    fit_linear_cv,
    first_spike_times,
    membrane_at_end,
    population_vote,
    predict,
    rate_features,
    response_time,
    sigmoid,
)

__all__ = ["LinearReadout", "fit_linear", "fit_linear_cv", "first_spike_times", "membrane_at_end", "population_vote", "predict",
           "rate_features", "response_time", "sigmoid"]
