"""``aio cloudmanager:environment:set-variables`` commands in scripts and CI files (SPEC §3.3)."""

from __future__ import annotations

import time
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aemlint.parsing import scripts as scripts_module
from aemlint.parsing.scripts import (
    SCRIPT_KINDS,
    AioCommand,
    Assignment,
    ScriptKind,
    Word,
    find_aio_commands,
    script_kind,
)
from aemlint.parsing.values import Problem
from aemlint.types import Secret, SecretLeak, Span

SNIPPETS = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "corpus"
    / ("AdobeDocs__experience-manager-learn.en/_snippets")
)
TUTORIAL = (
    "aio cloudmanager:set-environment-variables --programId=<PROGRAM_ID> <ENVIRONMENT_ID> "
    '--secret EMAIL_USERNAME "myApiKey" --secret EMAIL_PASSWORD "password123"'
)
CI = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def one(text: str, kind: ScriptKind = "shell") -> AioCommand:
    commands, problems = find_aio_commands(text, kind)
    assert problems == ()
    assert len(commands) == 1, commands
    return commands[0]


def plain(word: Word | None) -> str | None:
    """The text of a non-secret word (a Secret here fails the test)."""
    if word is None:
        return None
    assert isinstance(word.text, str)
    return word.text


def revealed(word: Word | None) -> str:
    assert word is not None and isinstance(word.text, Secret)
    return word.text.reveal()


def pairs(command: AioCommand) -> list[tuple[str, str, str | None, str, str | None]]:
    """(flag, kind, service, name, value) with secret values revealed — for assertions only."""
    out: list[tuple[str, str, str | None, str, str | None]] = []
    for a in command.assignments:
        value = a.value
        shown = (
            None
            if value is None
            else (value.text.reveal() if isinstance(value.text, Secret) else value.text)
        )
        out.append((a.flag, a.kind, a.service, plain(a.name) or "", shown))
    return out


def source_of(text: str, word: Word | None) -> str:
    assert word is not None
    return text[word.span.start : word.span.end]


def position(text: str, needle: str) -> tuple[int, int]:
    """1-based (line, column) of the first occurrence of ``needle``."""
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def line_column(word: Word) -> tuple[int, int]:
    return word.span.line, word.span.column


# -- the tokenizer as the commands see it ------------------------------------------------------


def test_quotes() -> None:
    text = (
        "aio cloudmanager:environment:set-variables 'e 1' --variable A 'single $X' "
        '--variable B "dou\\"ble" --variable C mi\'x\'"ed" --variable D \'\''
    )
    c = one(text)
    assert plain(c.environment_id) == "e 1"
    assert pairs(c) == [
        ("--variable", "variable", None, "A", "single $X"),
        ("--variable", "variable", None, "B", 'dou"ble'),
        ("--variable", "variable", None, "C", "mixed"),
        ("--variable", "variable", None, "D", ""),
    ]
    values = [a.value for a in c.assignments]
    assert [v.quoting for v in values if v] == ["single", "double", "mixed", "single"]
    assert not any(v.runtime for v in values if v)
    assert source_of(text, c.assignments[1].value) == '"dou\\"ble"'


def test_backslash_newline_continuations() -> None:
    text = (
        "#!/bin/bash\n"
        "aio cloudmanager:environment:set-variables \\\n"
        "    12345 \\\n"
        "    --programId 678 \\\n"
        "    --variable MY_VAR \\\n"
        "    value\n"
    )
    c = one(text)
    assert plain(c.environment_id) == "12345" and plain(c.program_id) == "678"
    (a,) = c.assignments
    assert (a.name.span.line, a.name.span.column) == (5, 16)
    assert a.value is not None and line_column(a.value) == (6, 5)
    assert (c.span.line, c.span.end_line) == (2, 6)


def test_separators_semicolon_and_pipe() -> None:
    text = (
        "cd x; aio cloudmanager:environment:set-variables 1 -v A a | tee log && "
        "aio cloudmanager:environment:set-variables 2 -v B b || echo failed; echo -v C c"
    )
    commands, problems = find_aio_commands(text, "shell")
    assert problems == ()
    assert [(plain(c.environment_id), pairs(c)) for c in commands] == [
        ("1", [("-v", "variable", None, "A", "a")]),
        ("2", [("-v", "variable", None, "B", "b")]),
    ]


def test_flag_equals_value_and_flag_space_value() -> None:
    c = one(
        "aio cloudmanager:environment:set-variables --programId=1 --jsonFile=vars.json "
        "--variable=A a --secret B b -p=2 E"
    )
    assert plain(c.program_id) == "2"  # the last one wins, as in oclif
    assert plain(c.json_file) == "vars.json"
    assert plain(c.environment_id) == "E"
    assert pairs(c) == [
        ("--variable", "variable", None, "A", "a"),
        ("--secret", "secret", None, "B", "b"),
    ]


def test_flag_equals_value_keeps_the_value_position_with_its_quotes() -> None:
    text = 'aio cloudmanager:environment:set-variables E --programId="12 3" --secret="A" b'
    c = one(text)
    assert source_of(text, c.program_id) == '"12 3"'
    assert source_of(text, c.assignments[0].name) == '"A"'
    assert c.assignments[0].flag == "--secret"


def test_multi_pair_flag() -> None:
    c = one("aio cloudmanager:environment:set-variables E --variable A 1 B 2")
    assert pairs(c) == [
        ("--variable", "variable", None, "A", "1"),
        ("--variable", "variable", None, "B", "2"),
    ]


SETTER_FLAGS = [
    ("--variable", "variable", None),
    ("-v", "variable", None),
    ("--secret", "secret", None),
    ("-s", "secret", None),
    ("--authorVariable", "variable", "author"),
    ("--authorSecret", "secret", "author"),
    ("--publishVariable", "variable", "publish"),
    ("--publishSecret", "secret", "publish"),
    ("--previewVariable", "variable", "preview"),
    ("--previewSecret", "secret", "preview"),
]
DELETE_FLAGS = [
    ("--delete", None),
    ("-d", None),
    ("--authorDelete", "author"),
    ("--publishDelete", "publish"),
    ("--previewDelete", "preview"),
]


@pytest.mark.parametrize(("flag", "kind", "service"), SETTER_FLAGS)
def test_every_setter_flag_form(flag: str, kind: str, service: str | None) -> None:
    c = one(f"aio cloudmanager:environment:set-variables E {flag} NAME value {flag} N2 v2")
    assert pairs(c) == [(flag, kind, service, "NAME", "value"), (flag, kind, service, "N2", "v2")]
    if kind == "secret":
        assert all(a.value is not None and isinstance(a.value.text, Secret) for a in c.assignments)


@pytest.mark.parametrize(("flag", "service"), DELETE_FLAGS)
def test_every_delete_flag_form(flag: str, service: str | None) -> None:
    c = one(f"aio cloudmanager:environment:set-variables E {flag} A B")
    assert pairs(c) == [(flag, "delete", service, "A", None), (flag, "delete", service, "B", None)]


def test_short_flags_attached_and_combined() -> None:
    c = one("aio cloudmanager:environment:set-variables E -p7 -sA a -jy -vB b -js=C c")
    assert plain(c.program_id) == "7"
    assert pairs(c) == [
        ("-s", "secret", None, "A", "a"),
        ("-v", "variable", None, "B", "b"),
        ("-s", "secret", None, "C", "c"),
    ]


def test_boolean_and_other_flags_take_no_pair() -> None:
    c = one(
        "aio cloudmanager:environment:set-variables --strict --json --yaml --jsonStdin "
        "--yamlStdin --imsContextName ctx E -v A a"
    )
    assert plain(c.environment_id) == "E"
    assert pairs(c) == [("-v", "variable", None, "A", "a")]


def test_both_command_names_and_nothing_else() -> None:
    text = (
        "aio cloudmanager:environment:set-variables 1 -v A a\n"
        "aio cloudmanager:set-environment-variables 2 -v B b\n"
        "aio cloudmanager:environment:list-variables 3 -j\n"
        "aio cloudmanager:list-environment-variables 3\n"
        "aio cloudmanager:pipeline:set-variables 4 --variable C c\n"
        "aio cloudmanager:set-pipeline-variables 4 --variable C c\n"
        "echo aio cloudmanager:environment:set-variables 5 -v D d\n"
        "aio $CMD 6 -v E e\n"
    )
    commands, _ = find_aio_commands(text, "shell")
    assert [plain(c.name) for c in commands] == [
        "cloudmanager:environment:set-variables",
        "cloudmanager:set-environment-variables",
    ]
    assert [plain(c.environment_id) for c in commands] == ["1", "2"]


@pytest.mark.parametrize(
    ("prefix", "program"),
    [
        ("", "aio"),
        ("sudo ", "aio"),
        ("sudo -E -u deploy ", "aio"),
        ("env ", "aio"),
        ("env -i HOME=/x ", "aio"),
        ("A=1 B='2 3' C=$(x) ", "aio"),
        ("npx ", "aio"),
        ("npx -y ", "@adobe/aio-cli"),
        ("", "/usr/local/bin/aio"),
        ("", "./node_modules/.bin/aio"),
        ("if ", "aio"),
        ("$ ", "aio"),
        ("time ", "aio"),
    ],
)
def test_command_prefixes(prefix: str, program: str) -> None:
    text = f"{prefix}{program} cloudmanager:environment:set-variables E -v A a"
    commands, _ = find_aio_commands(text, "shell")
    assert [plain(c.environment_id) for c in commands] == ["E"]
    assert commands[0].span.start == len(prefix)  # from the aio word to the last word
    assert commands[0].span.end == len(text)


def test_inside_command_substitution() -> None:
    text = 'OUT=$(aio cloudmanager:environment:set-variables E --secret A "pw")\n'
    c = one(text)
    assert revealed(c.assignments[0].value) == "pw"
    assert source_of(text, c.assignments[0].value) == '"pw"'


def test_heredoc_body_is_not_scanned() -> None:
    text = "cat <<'EOF' > doc.md\naio cloudmanager:environment:set-variables E -s A 'x\nEOF\n"
    assert find_aio_commands(text, "shell") == ((), ())


# -- the oclif parser's reading ------------------------------------------------------------------


def test_multiple_flag_swallows_a_later_environment_id() -> None:
    text = "aio cloudmanager:environment:set-variables --secret A 1 ENV"
    c = find_aio_commands(text, "shell")[0][0]
    assert c.environment_id is None
    assert pairs(c) == [("--secret", "secret", None, "A", "1")]
    (problem,) = c.problems
    assert problem.code == "CFG001" and "MALFORMED_NAME_VALUE_PAIR" in problem.message
    assert source_of_span(text, problem.span) == "--secret"


def source_of_span(text: str, span: Span | None) -> str:
    assert span is not None
    return text[span.start : span.end]


def test_flag_left_without_its_pair() -> None:
    text = "aio cloudmanager:environment:set-variables E --variable A 1 -p 3 --variable B"
    c = find_aio_commands(text, "shell")[0][0]
    assert pairs(c) == [("--variable", "variable", None, "A", "1")]
    (problem,) = c.problems
    assert problem.span is not None and problem.span.column == text.rindex("--variable") + 1


def test_pairs_are_formed_over_all_occurrences_of_one_flag() -> None:
    # oclif collects every word of --secret into one array, then pairs it.
    c = one("aio cloudmanager:environment:set-variables E --secret A --variable B b --secret a")
    assert sorted(pairs(c)) == [
        ("--secret", "secret", None, "A", "a"),
        ("--variable", "variable", None, "B", "b"),
    ]


def test_a_boolean_flag_does_not_end_a_multiple_flag() -> None:
    c = find_aio_commands(
        "aio cloudmanager:environment:set-variables --secret A a --json E", "shell"
    )[0][0]
    assert c.environment_id is None and len(c.problems) == 1


def test_value_flag_at_the_end_and_double_dash() -> None:
    c = find_aio_commands("aio cloudmanager:environment:set-variables E -v A a -p", "shell")[0][0]
    assert [p.message for p in c.problems] == ["`-p` expects a value: aio refuses the command"]
    c = one("aio cloudmanager:environment:set-variables -v A a -- E")
    assert plain(c.environment_id) == "E"


def test_extra_argument_is_refused() -> None:
    c = find_aio_commands("aio cloudmanager:environment:set-variables E F -p 1", "shell")[0][0]
    assert [p.code for p in c.problems] == ["CFG001"]
    assert "unexpected argument" in c.problems[0].message


def test_a_word_that_may_split_suppresses_the_pair_count() -> None:
    c = one("aio cloudmanager:environment:set-variables E --variable $PAIRS")
    assert c.problems == ()


# -- run-time values and secrets -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "runtime"),
    [
        ('"$X"', True),
        ('"${X}"', True),
        ("${X}", True),
        ("$X", True),
        ('"$(cat secret.txt)"', True),
        ("`cat f`", True),
        ("'$X'", False),
        ("'${X}'", False),
        ('"literal"', False),
        ("bare", False),
        ("\\$X", False),
    ],
)
def test_runtime_values_in_shell(value: str, runtime: bool) -> None:
    (a,) = one(f"aio cloudmanager:environment:set-variables E --secret NAME {value}").assignments
    assert a.value is not None and a.value.runtime is runtime
    assert isinstance(a.value.text, Secret) is (not runtime)


def test_github_expression_is_runtime_even_in_single_quotes() -> None:
    text = (
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: aio cloudmanager:environment:set-variables E -s A '${{ secrets.A }}'"
        " -s B ${{ secrets.B }} -s C lit\n"
    )
    c = one(text, "github-actions")
    values = [a.value for a in c.assignments]
    assert [v.runtime for v in values if v] == [True, True, False]
    assert [plain(v) for v in values[:2]] == ["${{ secrets.A }}", "${{ secrets.B }}"]
    assert revealed(values[2]) == "lit"


def test_azure_macro_is_runtime() -> None:
    text = (
        "steps:\n"
        "- script: aio cloudmanager:environment:set-variables $(ENV_ID) -s A '$(A)' -s B lit\n"
    )
    c = one(text, "azure-pipelines")
    assert c.environment_id is not None and c.environment_id.runtime
    assert [a.value.runtime for a in c.assignments if a.value] == [True, False]


def test_jenkins_interpolation_is_runtime() -> None:
    text = (
        "node {\n"
        "  sh \"aio cloudmanager:environment:set-variables ${env.ENV_ID} -s A '${env.A}' -s B lit\"\n"
        "}\n"
    )
    c = one(text, "jenkinsfile")
    assert c.environment_id is not None and c.environment_id.runtime
    assert plain(c.environment_id) == "${env.ENV_ID}"
    assert [a.value.runtime for a in c.assignments if a.value] == [True, False]


def test_literal_secret_values_are_secrets_and_never_format() -> None:
    c = one("aio cloudmanager:environment:set-variables E --secret PW 'hunter2' --variable U bob")
    secret = c.assignments[0].value
    assert secret is not None and isinstance(secret.text, Secret)
    assert secret.text.reveal() == "hunter2"
    with pytest.raises(SecretLeak):
        str(secret.text)
    with pytest.raises(SecretLeak):
        repr(c)  # the command, formatted, would carry the value: it cannot
    assert c.assignments[1].value is not None and c.assignments[1].value.text == "bob"
    assert isinstance(c.assignments[0].name.text, str)


def test_secret_named_variable_values_are_secrets_when_asked() -> None:
    text = 'aio cloudmanager:environment:set-variables E -v DB_PASSWORD pw -v USER me -v TOKEN "$T"'
    commands, _ = find_aio_commands(text, "shell", is_secret_name=lambda n: "PASSWORD" in n)
    values = [a.value for a in commands[0].assignments]
    assert revealed(values[0]) == "pw"
    assert [plain(v) for v in values[1:]] == ["me", "$T"]
    assert plain(one(text).assignments[0].value) == "pw"  # without the function: as written


def test_problem_messages_never_carry_words() -> None:
    text = "aio cloudmanager:environment:set-variables --secret TOPSECRETNAME Sup3rS3cret EXTRA"
    c = find_aio_commands(text, "shell")[0][0]
    for problem in c.problems:
        assert "Sup3rS3cret" not in problem.message and "EXTRA" not in problem.message


def test_json_and_yaml_files_are_captured() -> None:
    text = (
        "aio cloudmanager:environment:set-variables E --jsonFile ./vars/dev.json\n"
        "aio cloudmanager:environment:set-variables E --yamlFile=vars.yaml\n"
    )
    commands, _ = find_aio_commands(text, "shell")
    assert [plain(c.json_file) for c in commands] == ["./vars/dev.json", None]
    assert [plain(c.yaml_file) for c in commands] == [None, "vars.yaml"]
    assert source_of(text, commands[0].json_file) == "./vars/dev.json"


def test_unterminated_quote_is_a_problem_with_a_position() -> None:
    text = 'echo ok\naio cloudmanager:environment:set-variables E --secret A "pw\n'
    commands, problems = find_aio_commands(text, "shell")
    (problem,) = problems
    assert problem.code == "CFG001" and "unterminated double quote" in problem.message
    assert problem.span is not None
    assert (problem.span.line, problem.span.column) == (2, text.index('"pw') - 8 + 1)
    (c,) = commands  # what was read before the quote is still there
    assert c.assignments == () and c.problems == ()


def test_unterminated_quote_far_from_any_aio_command_is_not_reported() -> None:
    text = "aio cloudmanager:environment:set-variables E -v A a\necho \"it's fine\necho 'x\n"
    commands, problems = find_aio_commands(text, "shell")
    assert len(commands) == 1 and problems == ()


def test_tutorial_line() -> None:
    c = one(TUTORIAL)
    assert plain(c.name) == "cloudmanager:set-environment-variables"
    assert plain(c.program_id) == "<PROGRAM_ID>"
    assert plain(c.environment_id) == "<ENVIRONMENT_ID>"
    assert [(a.flag, a.kind, a.service, plain(a.name)) for a in c.assignments] == [
        ("--secret", "secret", None, "EMAIL_USERNAME"),
        ("--secret", "secret", None, "EMAIL_PASSWORD"),
    ]
    assert [revealed(a.value) for a in c.assignments] == ["myApiKey", "password123"]
    assert all(a.value is not None and not a.value.runtime for a in c.assignments)
    assert [a.value.quoting for a in c.assignments if a.value] == ["double", "double"]
    assert source_of(TUTORIAL, c.assignments[1].value) == '"password123"'


@pytest.mark.parametrize("name", ["email-service.set-env.sh", "sql-datasourcepool.set-env.sh"])
def test_corpus_snippets_with_their_prompt(name: str) -> None:
    text = (SNIPPETS / name).read_text(encoding="utf-8")
    c = one(text)
    assert [a.kind for a in c.assignments] == ["secret", "secret"]
    assert all(isinstance(a.value.text, Secret) for a in c.assignments if a.value)
    assert pairs(one(text.removeprefix("$ "))) == pairs(c)


# -- CI YAML, Jenkinsfiles, Makefiles: positions mapped back to the file -------------------------


def test_github_actions_run_block() -> None:
    text = (
        "name: deploy\n"
        "on: [push]\n"
        "jobs:\n"
        "  vars:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - name: set\n"
        "        run: |\n"
        "          npm i -g @adobe/aio-cli\n"
        "          aio cloudmanager:environment:set-variables ${{ vars.ENV }} \\\n"
        "            --variable LOG_LEVEL debug \\\n"
        '            --secret API_KEY "${{ secrets.API_KEY }}"\n'
        "        env:\n"
        "          X: 1\n"
    )
    c = one(text, "github-actions")
    log_level, api_key = c.assignments
    assert (log_level.name.span.line, log_level.name.span.column) == (12, 24)
    assert source_of(text, log_level.name) == "LOG_LEVEL"
    assert source_of(text, log_level.value) == "debug"
    assert (api_key.name.span.line, api_key.name.span.column) == (13, 22)
    assert source_of(text, api_key.value) == '"${{ secrets.API_KEY }}"'
    assert api_key.value is not None and api_key.value.runtime
    assert c.environment_id is not None and c.environment_id.runtime
    assert (c.span.line, c.span.column) == (11, 11)


def test_gitlab_script_lists() -> None:
    text = (
        "stages: [deploy]\n"
        ".setup:\n"
        "  before_script:\n"
        "    - npm i -g @adobe/aio-cli\n"
        "deploy:\n"
        "  stage: deploy\n"
        "  before_script:\n"
        "    - !reference [.setup, before_script]\n"
        "  script:\n"
        "    - echo start\n"
        "    - aio cloudmanager:set-environment-variables $ENV_ID --secret SMTP_PASSWORD 's3cr3t'\n"
        "    - 'aio cloudmanager:set-environment-variables $ENV_ID --variable SMTP_USER \"me\"'\n"
        "    - - aio cloudmanager:set-environment-variables 9 -v NESTED n\n"
    )
    commands, problems = find_aio_commands(text, "gitlab-ci")
    assert problems == ()
    first, second, nested = commands
    (a,) = first.assignments
    assert line_column(a.name) == position(text, "SMTP_PASSWORD") == (11, 67)
    assert source_of(text, a.name) == "SMTP_PASSWORD"
    assert revealed(a.value) == "s3cr3t"
    assert source_of(text, a.value) == "'s3cr3t'"
    (b,) = second.assignments
    assert source_of(text, b.name) == "SMTP_USER"
    assert source_of(text, b.value) == '"me"'
    assert first.environment_id is not None and first.environment_id.runtime
    assert plain(nested.environment_id) == "9"


def test_gitlab_script_as_one_string_and_global_keys() -> None:
    text = (
        "before_script:\n  - aio cloudmanager:environment:set-variables 1 -v A a\n"
        "job:\n  script: aio cloudmanager:environment:set-variables 2 -v B b\n"
    )
    commands, _ = find_aio_commands(text, "gitlab-ci")
    assert [plain(c.environment_id) for c in commands] == ["1", "2"]


def test_azure_steps_everywhere() -> None:
    text = (
        "trigger: [main]\n"
        "steps:\n"
        "- script: aio cloudmanager:environment:set-variables 1 -v A a\n"
        "stages:\n"
        "- stage: s\n"
        "  jobs:\n"
        "  - job: j\n"
        "    steps:\n"
        "    - bash: |\n"
        "        aio cloudmanager:environment:set-variables 2 -v B b\n"
        "    - task: Bash@3\n"
        "      inputs:\n"
        "        targetType: inline\n"
        "        script: aio cloudmanager:environment:set-variables 3 -v C c\n"
        "  - deployment: d\n"
        "    strategy:\n"
        "      runOnce:\n"
        "        deploy:\n"
        "          steps:\n"
        "          - script: >\n"
        "              aio cloudmanager:environment:set-variables 4\n"
        "              -v D d\n"
    )
    commands, problems = find_aio_commands(text, "azure-pipelines")
    assert problems == ()
    assert [plain(c.environment_id) for c in commands] == ["1", "2", "3", "4"]
    folded = commands[3].assignments[0]
    assert (folded.name.span.line, folded.name.span.column) == (22, 18)


def test_bitbucket_script_lists_with_anchors() -> None:
    text = (
        "definitions:\n"
        "  steps:\n"
        "    - step: &vars\n"
        "        name: vars\n"
        "        script:\n"
        "          - aio cloudmanager:environment:set-variables 1 -s A 'x'\n"
        "pipelines:\n"
        "  default:\n"
        "    - step: *vars\n"
        "  branches:\n"
        "    main:\n"
        "      - step:\n"
        "          script:\n"
        "            - pipe: atlassian/x\n"
        "            - aio cloudmanager:environment:set-variables 2 -v B b\n"
    )
    commands, _ = find_aio_commands(text, "bitbucket-pipelines")
    assert [plain(c.environment_id) for c in commands] == ["1", "2"]  # the alias once


def test_jenkinsfile_triple_double_quoted_sh() -> None:
    text = (
        "pipeline {\n"
        "  agent any\n"
        "  environment { API = credentials('api') }\n"
        "  stages {\n"
        "    stage('vars') {\n"
        "      steps {\n"
        "        // sh 'aio cloudmanager:environment:set-variables commented -v X x'\n"
        '        sh """\n'
        "          aio cloudmanager:environment:set-variables ${params.ENV} \\\\\n"
        '            --secret API_KEY "${API}" \\\\\n'
        "            --secret LITERAL 'lit\\\\eral' \\\\\n"
        "            --variable HOME_DIR \\$HOME\n"
        '        """\n'
        "        sh(label: 'other', script: 'aio cloudmanager:environment:set-variables 2 -v B b')\n"
        "      }\n"
        "    }\n"
        "  }\n"
        "}\n"
    )
    commands, problems = find_aio_commands(text, "jenkinsfile")
    assert problems == ()
    first, second = commands
    assert plain(first.environment_id) == "${params.ENV}"
    api, literal, home = first.assignments
    assert api.value is not None and api.value.runtime
    assert revealed(literal.value) == "lit\\eral"
    assert source_of(text, literal.value) == "'lit\\\\eral'"
    assert line_column(literal.name) == position(text, "LITERAL") == (11, 22)
    assert home.value is not None and home.value.runtime and plain(home.value) == "$HOME"
    assert plain(second.environment_id) == "2"
    assert line_column(second.name) == position(text, "cloudmanager:environment:set-variables 2")


def test_jenkinsfile_other_strings_are_not_scripts() -> None:
    text = "echo 'aio cloudmanager:environment:set-variables 1 -v A a'\nbash 'x'\n"
    assert find_aio_commands(text, "jenkinsfile") == ((), ())


def test_makefile_recipes() -> None:
    text = (
        "ENV ?= 123\n"
        "CMD = aio cloudmanager:environment:set-variables 0 -v NOT a_recipe\n"
        "vars:\n"
        "\t@aio cloudmanager:environment:set-variables $(ENV) \\\n"
        '\t\t--secret PW "$$PW" \\\n'
        "\t\t--secret LIT 'x$$y' --variable MAKEVAR '$(VALUE)'\n"
    )
    c = one(text, "makefile")
    assert c.environment_id is not None and c.environment_id.runtime
    pw, lit, makevar = c.assignments
    assert pw.value is not None and pw.value.runtime and plain(pw.value) == "$PW"
    assert revealed(lit.value) == "x$y"
    assert source_of(text, lit.value) == "'x$$y'"
    assert makevar.value is not None and makevar.value.runtime
    assert (lit.name.span.line, lit.name.span.column) == (6, 12)


def test_yaml_scalar_styles_map_back() -> None:
    text = (
        "jobs:\n"
        "  j:\n"
        "    steps:\n"
        '      - run: "aio cloudmanager:environment:set-variables 1 -v A \\"q\\" -v T \\t"\n'
        "      - run: 'aio cloudmanager:environment:set-variables 2 -v B ''q'''\n"
        "      - run: aio cloudmanager:environment:set-variables 3\n"
        "          -v C c\n"
        "      - run: >-\n"
        "          aio cloudmanager:environment:set-variables 4\n"
        "          -v D d\n"
        "      - run: |2\n"
        "           aio cloudmanager:environment:set-variables 5 -v E e\n"
        "      # a comment\n"
    )
    commands, problems = find_aio_commands(text, "github-actions")
    assert problems == ()
    names = [c.assignments[0].name for c in commands]
    assert [source_of(text, n) for n in names] == ["A", "B", "C", "D", "E"]
    assert [line_column(n) for n in names] == [
        position(text, 'A \\"q'),
        position(text, "B ''q"),
        (7, 14),
        (10, 14),
        (12, 60),
    ]
    value = commands[0].assignments[0].value
    assert value is not None and source_of(text, value) == '\\"q\\"'


def test_invalid_ci_yaml_is_cfg001() -> None:
    text = "jobs:\n  a: [\n    run: aio cloudmanager:environment:set-variables 1\n"
    commands, problems = find_aio_commands(text, "github-actions")
    assert commands == ()
    (problem,) = problems
    assert problem.code == "CFG001" and problem.span is not None


def test_files_without_the_needle_are_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(text: str) -> object:
        raise AssertionError("parsed")

    monkeypatch.setattr(scripts_module, "parse_yaml", boom)
    assert find_aio_commands("jobs: [ broken\n" * 1000, "github-actions") == ((), ())
    assert find_aio_commands("echo 'unterminated\n", "shell") == ((), ())


def test_fast_enough_for_every_script_of_a_repository() -> None:
    body = "".join(
        f"echo step {i} && make build-{i} | tee log-{i}.txt\n"
        f'aio cloudmanager:environment:set-variables {i} --variable V{i} "value $i" -s S{i} s\n'
        for i in range(2000)
    )
    begin = time.perf_counter()
    commands, _ = find_aio_commands(body, "shell")
    elapsed = time.perf_counter() - begin
    assert len(commands) == 2000
    assert elapsed < 5  # ~200 KB of shell; generous for a slow CI machine


# -- which files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "head", "kind"),
    [
        ("scripts/set-env.sh", "", "shell"),
        ("a.bash", "", "shell"),
        ("b.zsh", "", "shell"),
        ("bin/deploy", "#!/bin/bash\n", "shell"),
        ("bin/deploy", "#!/usr/bin/env -S bash -e\n", "shell"),
        ("bin/deploy", "#! /bin/sh", "shell"),
        ("bin/deploy", "#!/usr/bin/env python3\n", None),
        ("bin/deploy", "echo\n#!/bin/bash", None),
        ("Makefile", "", "makefile"),
        ("sub/GNUmakefile", "", "makefile"),
        ("rules.mk", "", "makefile"),
        ("Jenkinsfile", "", "jenkinsfile"),
        ("ci/Jenkinsfile.deploy", "", "jenkinsfile"),
        ("ci/deploy.jenkinsfile", "", "jenkinsfile"),
        ("Jenkinsfile.groovy", "", "jenkinsfile"),
        (".github/workflows/deploy.yml", "", "github-actions"),
        (".github/workflows/deploy.yaml", "", "github-actions"),
        (".github/deploy.yml", "", None),
        (".gitlab-ci.yml", "", "gitlab-ci"),
        ("azure-pipelines.yml", "", "azure-pipelines"),
        ("ci/azure-pipelines-prod.yaml", "", "azure-pipelines"),
        ("bitbucket-pipelines.yml", "", "bitbucket-pipelines"),
        ("README.md", "#!/bin/bash\n", None),
        ("docs/setup.markdown", "", None),
        ("Jenkinsfile.md", "", None),
        ("config.yml", "", None),
    ],
)
def test_script_kind(path: str, head: str, kind: str | None) -> None:
    assert script_kind(PurePosixPath(path), head) == kind


# -- never an exception; every span inside the text ---------------------------------------------


PIECES = st.sampled_from(
    [
        "aio ",
        "cloudmanager:environment:set-variables ",
        "cloudmanager:set-environment-variables ",
        "--secret ",
        "-s",
        "--variable=",
        "-p ",
        "--jsonFile ",
        "-- ",
        "A ",
        "'x' ",
        '"y',
        "'",
        '"',
        "$(",
        ")",
        "${{ secrets.X }}",
        "${",
        "}",
        "\\\n",
        "\n",
        "\t",
        " ",
        "  - ",
        "run: |\n",
        "script:\n",
        "steps:\n",
        "jobs:\n",
        "pipelines:\n",
        "sh '''",
        'sh """',
        "sh '",
        "$$",
        "$(X)",
        "#",
        "//",
        "/*",
        ":",
        "<<E\n",
        "E\n",
        "<ENV_ID>",
        "\\",
        "é",
    ]
)


def check_spans(text: str, commands: tuple[AioCommand, ...], problems: tuple[Problem, ...]) -> None:
    n = len(text)

    def inside(span: Span | None) -> None:
        assert span is not None
        assert 0 <= span.start <= span.end <= n, (span, n)

    for command in commands:
        inside(command.span)
        words: list[Word | None] = [
            command.name,
            command.environment_id,
            command.program_id,
            command.json_file,
            command.yaml_file,
        ]
        for a in command.assignments:
            assert isinstance(a, Assignment)
            words += [a.name, a.value]
        for w in words:
            if w is not None:
                inside(w.span)
        for p in command.problems:
            inside(p.span)
    for problem in problems:
        inside(problem.span)


@pytest.mark.parametrize("kind", SCRIPT_KINDS)
def test_any_text_gives_a_result(kind: ScriptKind) -> None:
    @CI
    @given(st.lists(PIECES, max_size=40).map("".join) | st.text(max_size=200))
    def run(body: str) -> None:
        text = body if "cloudmanager:" in body else "cloudmanager: " + body
        commands, problems = find_aio_commands(text, kind)
        check_spans(text, commands, problems)

    run()


@pytest.mark.parametrize("kind", SCRIPT_KINDS)
def test_any_yaml_script_gives_a_result(kind: ScriptKind) -> None:
    @CI
    @given(st.lists(PIECES, max_size=25).map("".join), st.sampled_from(["|", ">", "'", '"', ""]))
    def run(script: str, style: str) -> None:
        body = script.replace("\n", "\n          ")
        if style in ("'", '"'):
            body = style + body.replace(style, style * 2 if style == "'" else "\\" + style) + style
        elif style:
            body = style + "\n          " + body
        text = (
            "jobs:\n  j:\n    steps:\n      - run: "
            + body
            + "\ndeploy:\n  script:\n    - aio cloudmanager:environment:set-variables 1 -v A a\n"
        )
        commands, problems = find_aio_commands(text, kind)
        check_spans(text, commands, problems)

    run()
