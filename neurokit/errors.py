"""The errors neurokit raises on purpose. The CLI turns each into one line per problem and exit 2."""


class NeurokitError(Exception):
    """Base of every error that is the user's to fix (bad spec, bad data, missing backend)."""

    def lines(self) -> list[str]:
        return [str(self)]


class SpecError(NeurokitError):
    """A network spec (or other input file) is invalid; one entry per problem, each with its path."""

    def __init__(self, problems: list[str], source: str | None = None):
        self.problems = list(problems)
        self.source = source
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        prefix = f"{self.source}: " if self.source else ""
        return [prefix + p for p in self.problems]


class QuantizationError(NeurokitError):
    """A value cannot be represented in the fixed-point format the hardware uses."""


class BackendUnavailable(NeurokitError):
    """The requested backend cannot run on this machine (a package or the hardware is missing)."""


class DataError(NeurokitError):
    """A data set spec or the files behind it are wrong."""


class RunError(NeurokitError):
    """A simulation failed or hung; the message carries the child's error when there was one,
    `details` the tail of its error output (tracebacks)."""

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.details = details
