"""Energy per inference: counts of a run × a hardware profile's per-operation figures.

    counts = count_events(result, params, input_raster=..., mapping=m, profile=p)
    report = estimate(counts, p, net, mapping=m)
    report.joules_per_inference, report.breakdown, report.ann_equivalent_joules
"""
from neurokit.energy.ann import ann_macs
from neurokit.energy.counts import EventCounts, count_events
from neurokit.energy.estimate import EnergyReport, estimate
from neurokit.energy.profile import COMPONENTS, Figure, HardwareProfile
from neurokit.energy.profiles import list_profiles, load_profile, profile_from_dict, with_assumptions

__all__ = ["ann_macs", "EventCounts", "count_events", "EnergyReport", "estimate", "COMPONENTS", "Figure",
           "HardwareProfile", "list_profiles", "load_profile", "profile_from_dict", "with_assumptions"]
