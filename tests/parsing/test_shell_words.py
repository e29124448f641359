"""The shell-like word splitter: words, quoting, run-time values, positions, errors."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aemlint.parsing.shell_words import ShellSource, ShellWord, iter_commands, split_commands

CI = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def commands(text: str) -> list[list[str]]:
    return [[w.text for w in c] for c in split_commands(ShellSource(text)).commands]


def words(text: str) -> tuple[ShellWord, ...]:
    parsed = split_commands(ShellSource(text))
    assert len(parsed.commands) == 1, parsed.commands
    return parsed.commands[0]


def test_quotes_are_removed_and_recorded() -> None:
    ws = words("""a 'b c' "d e" f"g"'h' "" '' $'x\\ny' $"z" """)
    assert [w.text for w in ws] == ["a", "b c", "d e", "fgh", "", "", "x\ny", "z"]
    assert [w.quoting for w in ws] == [
        "none",
        "single",
        "double",
        "mixed",
        "double",
        "single",
        "single",
        "double",
    ]
    assert not any(w.runtime for w in ws)


def test_backslash_escapes() -> None:
    ws = words(r"""a\ b "q\"r\$s\\t\x" 'no\escape' \$X""")
    assert [w.text for w in ws] == ["a b", 'q"r$s\\t\\x', "no\\escape", "$X"]
    assert not ws[3].runtime  # an escaped $ is a literal


def test_continuations_join_lines_and_keep_positions() -> None:
    text = 'echo one \\\n  two\\\nthree "a\\\nb"\n'
    (ws,) = split_commands(ShellSource(text)).commands
    assert [w.text for w in ws] == ["echo", "one", "twothree", "ab"]
    assert text[ws[2].start : ws[2].end] == "two\\\nthree"
    assert ws[2].offsets[3] == text.index("three")


def test_separators() -> None:
    text = "a 1; b 2 && c 3 || d | e & f\n(g) {h;} x|&y"
    assert commands(text) == [
        ["a", "1"],
        ["b", "2"],
        ["c", "3"],
        ["d"],
        ["e"],
        ["f"],
        ["g"],
        ["{h"],
        ["}", "x"],
        ["y"],
    ]


def test_comments_only_at_word_start() -> None:
    assert commands("a b#c # comment 'x\n# whole line\nd") == [["a", "b#c"], ["d"]]


def test_expansions_stay_in_one_word_and_are_runtime() -> None:
    ws = words(
        """x "$A" ${B:-"a b"} $(echo "x)" 'y)') `date` pre$C "$(cmd "q")" $((1 + 2)) $1 $@ '$D'"""
    )
    assert [w.text for w in ws] == [
        "x",
        "$A",
        '${B:-"a b"}',
        """$(echo "x)" 'y)')""",
        "`date`",
        "pre$C",
        '$(cmd "q")',
        "$((1 + 2))",
        "$1",
        "$@",
        "$D",
    ]
    assert [w.runtime for w in ws] == [False] + [True] * 9 + [False]
    assert ws[1].quoting == "double" and not ws[1].may_split
    assert ws[2].may_split  # unquoted: the shell may split it


def test_lonely_dollar_is_literal() -> None:
    ws = words("a $ b$ $. '$'")
    assert [w.text for w in ws] == ["a", "$", "b$", "$.", "$"]
    assert not any(w.runtime for w in ws)


def test_templates_are_taken_whole_even_in_single_quotes() -> None:
    text = "run '${{ secrets['X'] }}' ${{ format('{0} x', y) }} \"${{ a }}\""
    templates = {}
    for marker in ("${{ secrets['X'] }}", "${{ format('{0} x', y) }}", "${{ a }}"):
        start = text.index(marker)
        templates[start] = start + len(marker)
    (ws,) = split_commands(ShellSource(text, templates=templates)).commands
    assert [w.text for w in ws] == [
        "run",
        "${{ secrets['X'] }}",
        "${{ format('{0} x', y) }}",
        "${{ a }}",
    ]
    assert [w.runtime for w in ws] == [False, True, True, True]
    assert [w.quoting for w in ws] == ["none", "single", "none", "double"]


def test_redirections_are_dropped() -> None:
    assert commands("a >out 2>&1 b < in c >> log &>all d 3>x") == [["a", "b", "c"], ["d"]]


def test_documentation_placeholder_is_a_word() -> None:
    assert commands("aio x --programId=<PROGRAM_ID> <ENVIRONMENT_ID> y") == [
        ["aio", "x", "--programId=<PROGRAM_ID>", "<ENVIRONMENT_ID>", "y"]
    ]


def test_heredoc_bodies_are_skipped() -> None:
    text = "cat <<EOF >f\naio inside 'x\nEOF\nafter 1\ncat <<-'END'\n\tbody\n\tEND\nlast"
    assert commands(text) == [["cat"], ["after", "1"], ["cat"], ["last"]]
    assert split_commands(ShellSource(text)).errors == ()


def test_crlf_reads_as_blank() -> None:
    assert commands("a b\r\nc \\\r\nd\r\n") == [["a", "b"], ["c", "d"]]


def test_unterminated_quotes_are_errors_not_exceptions() -> None:
    for text, message, at in (
        ("a 'b", "unterminated single quote", 2),
        ('a "b', "unterminated double quote", 2),
        ("a $(b", "unterminated $(", 2),
        ("a ${b", "unterminated ${", 2),
        ("a `b", "unterminated backquote", 2),
        ("a $'b", "unterminated $' quote", 2),
    ):
        parsed = split_commands(ShellSource(text))
        (error,) = parsed.errors
        assert (error.message, error.start, error.end) == (message, at, at + 1)
        assert [w.text for w in error.command] == ["a"]
        assert [[w.text for w in c] for c in parsed.commands] == [["a"]]


def test_head_and_tail_keep_positions() -> None:
    text = 'x --flag="a b"'
    w = words(text)[1]
    assert w.text == "--flag=a b"
    head, tail = w.head(6), w.tail(7)
    assert head.text == "--flag" and text[head.start : head.end] == "--flag"
    assert tail.text == "a b" and text[tail.start : tail.end] == '"a b"'
    assert tail.quoting == "double"
    combo = words("x -js")[1].tail(2, prefix="-")
    assert combo.text == "-s"


def test_substitutions_are_split_too() -> None:
    text = 'OUT="$(aio cloudmanager:x --secret A b)"; echo'
    found, errors = iter_commands(ShellSource(text), needle="cloudmanager:")
    assert [[w.text for w in c] for c in found] == [
        ["OUT=$(aio cloudmanager:x --secret A b)"],
        ["aio", "cloudmanager:x", "--secret", "A", "b"],
        ["echo"],
    ]
    assert errors == []


def test_mapped_source_gives_original_offsets() -> None:
    # "ab" decoded from "a\\\nb"-like text: character 1 sits at offset 5 of the original.
    source = ShellSource("ab", starts=[0, 5], ends=[1, 6], base=0)
    assert source.original(0, 2) == (0, 6)
    assert source.original(1, 1) == (1, 1)
    assert ShellSource("", starts=[], ends=[], base=7).original(0, 0) == (7, 7)


ALPHABET = st.sampled_from([*"ab $'\"\\`(){}|;&<>#=\n\t-x1", "$(", "${", "<<", "<<-E", "\nE\n"])


@CI
@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_any_text_splits_with_positions_inside(text: str) -> None:
    found, errors = iter_commands(ShellSource(text))
    for command in found:
        for w in command:
            assert 0 <= w.start <= w.end <= len(text)
            assert len(w.offsets) == len(w.text) == len(w.flags)
            assert all(w.start <= o < w.end for o in w.offsets)
    for error in errors:
        assert 0 <= error.start < error.end <= len(text)
