"""Coverage-guided fuzzing of every input reader with atheris (optional; not part of CI).

    python3 -m venv .fuzz && .fuzz/bin/pip install -q -e . atheris
    .fuzz/bin/python fuzz/fuzz_parsers.py -max_total_time=300 fuzz/corpus

The contract checked (SPEC §7 "never crashes"): every reader returns a value (or None for
"not this kind of file") for any text and never raises; the fix writers of
:mod:`aemlint.parsing.literals` are the inverse of the readers (what is written reads back
exactly). A failure is saved by libFuzzer as ``crash-*``; turn it into a regression test under
``tests/`` with the bytes inline. The tests' hypothesis suites (tests/parsing, tests/test_fuzz_*)
run the same contracts on every CI run; this harness explores further with coverage feedback.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from aemlint.parsing.cfg_json import parse_cfg_json
    from aemlint.parsing.cloud_manager import parse_networking, parse_variables
    from aemlint.parsing.felix_config import parse_felix_config
    from aemlint.parsing.literals import felix_text, json_text, properties_text
    from aemlint.parsing.properties import parse_properties
    from aemlint.parsing.scripts import find_aio_commands
    from aemlint.parsing.sling_xml import parse_sling_xml
    from aemlint.types import reveal


def _secret(name: str) -> bool:
    return "password" in name.lower()


READERS = [
    lambda t: parse_cfg_json(t, _secret),
    lambda t: parse_felix_config(t, _secret),
    lambda t: parse_properties(t, _secret),
    lambda t: parse_sling_xml(t, _secret),
    lambda t: parse_networking(t, ".json"),
    lambda t: parse_networking(t, ".yaml"),
    lambda t: parse_variables(t, ".yaml", _secret, explicit=True),
    lambda t: parse_variables(t, ".json", _secret, explicit=True),
    lambda t: find_aio_commands(t, "shell", is_secret_name=_secret),
]


def _round_trip(text: str) -> None:
    for source, parse in (
        ('{"k": "' + json_text(text) + '", "after": 1}', parse_cfg_json),
        ('k="' + felix_text(text) + '"\nafter="x"\n', parse_felix_config),
        ("k=" + properties_text(text, True) + "\nafter=x\n", parse_properties),
    ):
        parsed = parse(source, _secret)
        got = reveal(parsed.properties[0].values[0].value)
        if got != text:
            raise AssertionError(f"{parse.__name__}: writer and reader disagree")


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    choice = provider.ConsumeIntInRange(0, len(READERS))
    text = provider.ConsumeUnicodeNoSurrogates(len(data))
    if choice == len(READERS):
        _round_trip(text)
    else:
        READERS[choice](text)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
