"""Every command, input and output of the action: what action.yml, the CLI's flags and the
README's tables are checked against.

Inputs come from ``INPUT_<NAME>`` (upper-cased, hyphens kept, exactly as the runner sets them) and
from ``--<name>`` flags; a flag wins. The runner sets every input that ``action.yml`` declares, with
its default, so an empty value means "the default". Each input belongs to the commands it names:
the CLI refuses another command's flag, and another command's input set to a value other than its
default (inputs/declared.py and inputs/declared_inputs.py hold the lists themselves).
"""

from __future__ import annotations

from collections.abc import Mapping

from applygate.errors import UsageError
from applygate.inputs.declared import ALL, COMMANDS, OUTPUTS, CommandSpec, InputSpec, OutputSpec
from applygate.inputs.declared_inputs import INPUTS
from applygate.inputs.fields import is_utf8

__all__ = ["ALL", "COMMANDS", "INPUTS", "OUTPUTS", "CommandSpec", "InputSpec", "OutputSpec"]

INPUT_NAMES = frozenset(spec.name for spec in INPUTS)
COMMAND_NAMES = tuple(spec.name for spec in COMMANDS)


def command_spec(name: str) -> CommandSpec:
    return next(spec for spec in COMMANDS if spec.name == name)


def inputs_of(command: str) -> tuple[InputSpec, ...]:
    """The inputs ``command`` reads, in the registry's order."""
    return tuple(spec for spec in INPUTS if command in spec.commands)


def env_name(spec: InputSpec) -> str:
    return f"INPUT_{spec.name.upper()}"


def read_raw(flags: Mapping[str, str | None], environ: Mapping[str, str]) -> dict[str, str]:
    """Each input's raw text: the flag if given, else ``INPUT_<NAME>``, else empty."""
    raw: dict[str, str] = {}
    for spec in INPUTS:
        flag = flags.get(spec.name)
        text = flag if flag is not None else environ.get(env_name(spec), "")
        if not is_utf8(text):  # the value is not shown: it may be the token
            raise UsageError(f"invalid input {spec.name}: not UTF-8 text")
        raw[spec.name] = text
    return raw


def foreign_input(command: str, environ: Mapping[str, str]) -> InputSpec | None:
    """An input of another command that the environment sets to a value other than its default
    (the runner sets every input that has a default, to that default: those pass). A secret is
    not compared: its default is an expression the runner replaces."""
    for spec in INPUTS:
        if command in spec.commands or not spec.flag:
            continue
        given = environ.get(env_name(spec), "").strip()
        if given and given != spec.default:
            return spec
    return None
