"""Find, load and validate hardware profiles: the packaged ones by name (`loihi`), or a user's
file by path (`./my_chip.yaml`). Validation problems become `SpecError` lines, each with the
path of the bad field (`energy.synaptic_event.kind: ...`) and the file it is in.

Profiles ship inside the package (`neurokit/hw_profiles/*.yaml`, package data, read through
`importlib.resources`), so they are found from an editable install and from a wheel alike;
the repository's top-level `hw_profiles/` is a symlink to that folder.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from neurokit.energy.profile import HardwareProfile
from neurokit.errors import SpecError

PROFILE_SUFFIXES = (".yaml", ".yml", ".json")


def profile_dir():
    return resources.files("neurokit") / "hw_profiles"


def list_profiles() -> list[str]:
    """Names of the packaged profiles, sorted."""
    return sorted(p.name.rsplit(".", 1)[0] for p in profile_dir().iterdir() if p.name.endswith(".yaml"))


def load_profile(name_or_path: str | Path) -> HardwareProfile:
    """A packaged profile by name, or a profile file by path (anything with a suffix or a '/')."""
    text_name = str(name_or_path)
    if text_name.endswith(PROFILE_SUFFIXES) or "/" in text_name or Path(text_name).is_file():
        return _load_file(Path(text_name))
    if text_name not in list_profiles():
        raise SpecError([f"unknown hardware profile {text_name!r}; packaged profiles: "
                         f"{', '.join(list_profiles())} (or give the path of a profile file)"])
    resource = profile_dir() / f"{text_name}.yaml"
    return profile_from_text(resource.read_text(), f"hw_profiles/{text_name}.yaml")


def _load_file(path: Path) -> HardwareProfile:
    from neurokit.ir.io import read_document

    data, _ = read_document(path, "a hardware profile")
    return profile_from_dict(data, str(path))


def profile_from_text(text: str, source: str) -> HardwareProfile:
    """A packaged profile (trusted YAML text)."""
    return profile_from_dict(yaml.safe_load(text), source)


def profile_from_dict(data, source: str | None = None) -> HardwareProfile:
    if not isinstance(data, dict):
        raise SpecError([f"a hardware profile must be a mapping, got {type(data).__name__}"], source)
    try:
        return HardwareProfile.model_validate(data)
    except ValidationError as err:
        raise SpecError(_problems(err), source) from None


def _problems(err: ValidationError) -> list[str]:
    lines = []
    for e in err.errors():
        path = ""
        for part in e["loc"]:
            path += f"[{part}]" if isinstance(part, int) else ("." if path else "") + str(part)
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            msg = "unknown field (check its spelling)"
        elif e["type"] == "missing":
            msg = "required field is missing"
        if not path:
            lines.extend(msg.splitlines())  # whole-profile checks carry their own paths
        else:
            lines.append(f"{path}: {msg}")
    return lines


def with_assumptions(profile: HardwareProfile, names: list[str]) -> tuple[HardwareProfile, list[str]]:
    """Apply the named assumptions the profile offers: copy the borrowed profile's energies
    (and mesh) for every component this profile lists as unknown. Returns the new profile and
    the statements applied, to be printed with the report."""
    statements = []
    offered = {a.name: a for a in profile.assumptions}
    for name in names:
        if name not in offered:
            continue
        a = offered[name]
        donor = load_profile(a.energy_from)
        energy = dict(donor.energy)
        energy.update(profile.energy)  # the profile's own figures win
        update = {"energy": energy, "unknown": {}, "mesh": profile.mesh or donor.mesh}
        profile = profile.model_copy(update=update)
        statements.append(a.statement)
    return profile, statements


def check_assumptions(names: list[str], profiles: list[HardwareProfile]) -> None:
    offered = {a.name for p in profiles for a in p.assumptions}
    bad = [n for n in names if n not in offered]
    if bad:
        allowed = ", ".join(sorted(offered)) or "none (no selected profile offers one)"
        raise SpecError([f"--assume {bad[0]!r}: no selected profile offers this assumption; offered: {allowed}"])
