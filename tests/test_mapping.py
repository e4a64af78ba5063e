"""Mapping onto cores: each limit bounds the split, one core too many is an error that names the
limit, the count and the population, and hops follow the mesh."""
import numpy as np
import pytest

from conftest import EXAMPLES, REPO, run_cli
from neurokit.energy import load_profile, profile_from_dict
from neurokit.energy.routing import route_counts
from neurokit.ir import load_network, network_from_dict
from neurokit.mapping import MappingError, map_network, synapses_of
from neurokit.quant import compile_params


def fig(value, unit="1"):
    return {"value": value, "unit": unit, "source": "t", "where": "test", "kind": "derived"}


def chip(**limits):
    """A made-up test chip: 4 cores of 8 neurons unless told otherwise."""
    lim = {"cores_per_chip": fig(4), "neurons_per_core": fig(8)}
    lim.update({k: fig(v, "KB" if k == "synaptic_memory_per_core" else "1") for k, v in limits.items()})
    return profile_from_dict({"name": "test-chip", "title": "test", "kind": "neuromorphic",
                              "sources": {"t": "a test"}, "limits": lim})


def net_of(sizes, connections=(), n_in=4):
    pops = [{"name": "inp", "size": n_in, "encoder": {"kind": "bernoulli", "max_rate_hz": 100, "presentation_ms": 5}}]
    pops += [{"name": n, "size": s, "neuron": {"kind": "lif", "tau_m_ms": 10, "v_th": 1}} for n, s in sizes.items()]
    return network_from_dict({"schema_version": 1, "name": "m", "populations": pops, "connections": list(connections)})


def test_neurons_per_core_sets_the_split_and_cores_are_numbered_in_order():
    m = map_network(net_of({"a": 17, "b": 8}), chip())
    assert (m.placements["a"].cores, m.placements["b"].cores) == (3, 1)
    assert m.placements["b"].first_core == 3 and m.total_cores == 4
    assert np.bincount(m.placements["a"].block_of).tolist() == [6, 6, 5]


def test_one_core_more_than_the_chip_has_is_an_error_naming_the_count():
    map_network(net_of({"a": 32}), chip())  # exactly 4 cores: fits
    with pytest.raises(MappingError, match=r"needs 5 cores, test-chip has 4 per chip .*population 'a' with 5 cores"):
        map_network(net_of({"a": 33}), chip())
    assert map_network(net_of({"a": 33}), chip(), chips=2).chips_used == 2


def test_loihi_needs_129_cores_for_one_neuron_more_than_128_full_cores():
    loihi = load_profile("loihi")
    assert map_network(net_of({"big": 128 * 1024}), loihi).total_cores == 128
    with pytest.raises(MappingError, match=r"needs 129 cores, loihi has 128 per chip"):
        map_network(net_of({"big": 128 * 1024 + 1}), loihi)


def dense(src, tgt, n_tgt, n_src, value=1.0, **kw):
    return {"source": src, "target": tgt, "kind": "dense", "weights": [[value] * n_src for _ in range(n_tgt)], **kw}


def test_fan_in_limit_splits_then_refuses_a_single_neuron():
    # 12 inputs -> 8 neurons: each neuron needs 12 input axons.
    net = net_of({"a": 8}, [dense("inp", "a", 8, 12)], n_in=12)
    assert map_network(net, chip(input_axons_per_core=12)).placements["a"].cores == 1
    with pytest.raises(MappingError, match=r"population 'a': one neuron needs input axons = 12, more than "
                                           r"test-chip's limit of 11 \(limits.input_axons_per_core\)"):
        map_network(net, chip(input_axons_per_core=11))


def test_synaptic_memory_at_the_quantised_width_splits_the_population():
    # plastic 64 -> 16: every synapse stored at 8 bits = 64 bytes per neuron; 0.25 KB = 256 B -> 4 per core
    learn = {"kind": "stdp", "a_pre": 0.1, "a_post": -0.1, "tau_pre_ms": 5, "tau_post_ms": 5, "w_max": 1}
    net = net_of({"a": 16}, [{"source": "inp", "target": "a", "kind": "dense", "init": {"kind": "constant", "value": 0.5},
                              "learning": learn}], n_in=64)
    m = map_network(net, chip(synaptic_memory_per_core=0.25))
    assert m.placements["a"].cores == 4
    assert m.placements["a"].usage["synaptic_memory_per_core"] == 256
    # a plastic connection is stored at the full 8-bit mantissa width
    assert synapses_of(compile_params(net, "fixed"))[0].weight_bits == 8


def test_pruned_weights_take_no_memory_and_no_axons():
    w = [[1.0, 0.0, 0.0, 2.0]] * 8
    net = net_of({"a": 8}, [{"source": "inp", "target": "a", "kind": "dense", "weights": w}])
    m = map_network(net, chip(input_axons_per_core=2))
    assert m.placements["a"].usage["input_axons_per_core"] == 2
    assert m.placements["a"].usage["synapses_per_core"] == 16


def test_fan_out_per_neuron_limit():
    # one neuron of 'a' reaches all 16 neurons of 'b', which take 2 cores
    net = net_of({"a": 1, "b": 16}, [dense("a", "b", 16, 1)])
    with pytest.raises(MappingError, match=r"population 'a': one neuron needs output cores per neuron = 2, "
                                           r"more than test-chip's limit of 1"):
        map_network(net, chip(output_cores_per_neuron=1))
    assert map_network(net, chip(output_edges_per_core=2)).placements["a"].usage["output_edges_per_core"] == 2


def test_truenorth_cannot_hold_8_bit_weights():
    with pytest.raises(MappingError, match=r"connection 'S1' \(input -> exc\): needs 8-bit weights, truenorth"):
        map_network(load_network(EXAMPLES / "digits_3class.yaml"), load_profile("truenorth"))


def test_hops_follow_the_mesh():
    # 2 x 2 tiles of one core each. a (1 neuron) on core 0 = tile (0,0); b on cores 1, 2, 3 =
    # tiles (1,0), (0,1), (1,1). Per spike of a: 3 messages across tiles, E-W hops 1+0+1 = 2,
    # N-S hops 0+1+1 = 2.
    data = {"name": "mesh", "title": "t", "kind": "neuromorphic", "sources": {"t": "a test"},
            "limits": {"cores_per_chip": fig(4), "neurons_per_core": fig(1)},
            "mesh": {"cores_per_tile": fig(1), "tiles_x": fig(2), "tiles_y": fig(2)}}
    prof = profile_from_dict(data)
    net = net_of({"a": 1, "b": 3}, [dense("a", "b", 3, 1)])
    m = map_network(net, prof)
    syn = synapses_of(compile_params(net, "fixed"))
    r = route_counts(syn, {"a": np.array([[2.0], [4.0]]), "inp": np.zeros((2, 4))}, m, prof.mesh)
    assert r["a"] == {"messages_within_tile": 0.0, "messages_across_tiles": 9.0, "hops_east_west": 6.0,
                      "hops_north_south": 6.0, "messages_across_chips": 0.0}


def test_cli_compile_table_json_and_error():
    net = REPO / "examples" / "diehl_cook_3class.yaml"
    out = run_cli("compile", net, "--profile", "loihi")
    assert out.returncode == 0, out.stderr
    assert "fits in 2 of 128 cores" in out.stdout
    out = run_cli("compile", net, "--profile", "loihi", "--json")
    import json

    data = json.loads(out.stdout)
    assert data["fits"] is True and data["cores"] == 2 and data["chips"] == 1
    assert data["populations"]["exc"]["usage"]["input_axons_per_core"]["max_per_core"] == 784 + 30
    out = run_cli("compile", net, "--profile", "truenorth")
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "limits.weight_bits_max" in out.stderr
