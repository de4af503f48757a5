"""Reading frameworks: apx, tgf and ICCMA 2023, and their errors (file:line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from argmap.af import Framework, detect_format, parse_framework, read_framework
from argmap.model.errors import InputError

DATA = Path(__file__).resolve().parent / "data" / "af"
SAMPLE_ATTACKS = {("a", "b"), ("b", "a"), ("b", "c"), ("c", "d"), ("d", "e"), ("e", "c")}
LETTER = {"1": "a", "2": "b", "3": "c", "4": "d", "5": "e"}


def named_attacks(fw: Framework) -> set[tuple[str, str]]:
    return {(fw.names[a], fw.names[b]) for a, b in fw.attacks}


@pytest.mark.parametrize("name", ["sample.apx", "sample.tgf"])
def test_apx_and_tgf_read_the_sample(name: str) -> None:
    fw = read_framework(str(DATA / name))
    assert fw.names == ("a", "b", "c", "d", "e")
    assert named_attacks(fw) == SAMPLE_ATTACKS
    assert fw.fmt == name.rsplit(".", 1)[1]


@pytest.mark.parametrize("name", ["sample.i23", "sample.af"])
def test_iccma23_reads_the_sample(name: str) -> None:
    fw = read_framework(str(DATA / name))
    assert fw.names == ("1", "2", "3", "4", "5")
    assert {(LETTER[a], LETTER[b]) for a, b in named_attacks(fw)} == SAMPLE_ATTACKS
    assert fw.fmt == "i23"


@pytest.mark.parametrize(
    ("path", "given", "expected"),
    [
        ("x.apx", None, "apx"),
        ("x.APX", None, "apx"),
        ("x.tgf", None, "tgf"),
        ("x.af", None, "i23"),
        ("x.i23", None, "i23"),
        ("x.txt", "tgf", "tgf"),
        ("x.apx", "i23", "i23"),
    ],
)
def test_format_from_extension_or_option(path: str, given: str | None, expected: str) -> None:
    assert detect_format(path, given) == expected


def test_unknown_extension_is_an_error() -> None:
    with pytest.raises(InputError) as err:
        detect_format("framework.txt")
    assert "--fo" in str(err.value)
    assert str(err.value).startswith("framework.txt: error:")


def test_a_folder_is_named_as_a_folder_not_by_its_extension(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder, not a framework file"):
        detect_format(str(tmp_path))


def test_apx_allows_comments_blank_lines_and_spaces() -> None:
    fw = parse_framework("% a comment\n\narg( a ).\narg(b).  % trailing\natt( a , b ).\n", "apx")
    assert fw.names == ("a", "b")
    assert named_attacks(fw) == {("a", "b")}


@pytest.mark.parametrize(
    "text",
    [
        "arg(a). arg(b). att(a,b).\n",
        "arg(a).arg(b).att(a,b).",
        "arg(a).\r\narg(b).\r\natt(a,b).\r\n",
        "arg(\n  a\n).\narg(b). att(a,\n b).\n",
        "%* a block\ncomment *%arg(a). %* inline *% arg(b).\natt(a,b). % trailing\n%* at the end *%",
        "\ufeffarg(a). arg(b). att(a,b).\n",
    ],
    ids=["two-a-line", "no-spaces", "crlf", "split-facts", "block-comments", "bom"],
)
def test_apx_as_clingo_reads_it(text: str, tmp_path: Path) -> None:
    """What clingo (ASPARTIX's reader) accepts: several facts a line, facts over lines, block comments."""
    path = tmp_path / "f.apx"
    path.write_bytes(text.encode("utf-8"))
    fw = read_framework(str(path))
    assert fw.names == ("a", "b")
    assert named_attacks(fw) == {("a", "b")}


@pytest.mark.parametrize(
    "text",
    [
        "p af 3\n1 2\n  # indented comment\n2 3 # trailing comment\n",
        "# c\np af 3 # three arguments\n\t# tab-indented\n1 2\n2 3#no space\n",
        "p af 3\r\n1 2\r\n2 3\r\n",
    ],
    ids=["indented-and-trailing", "header-comment", "crlf"],
)
def test_i23_comments_anywhere_on_a_line(text: str) -> None:
    fw = parse_framework(text, "i23")
    assert fw.names == ("1", "2", "3")
    assert fw.attacks == {(0, 1), (1, 2)}


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    """A FIFO would block a reader forever: refused at once."""
    import os

    fifo = tmp_path / "pipe.apx"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        read_framework(str(fifo))
    with pytest.raises(InputError, match="is a directory"):
        read_framework(str(tmp_path), "apx")


def test_i23_allows_comments_and_self_attacks_and_no_attacks() -> None:
    fw = parse_framework("# c\np af 3\n# another\n3 3\n", "i23")
    assert fw.names == ("1", "2", "3")
    assert fw.attacks == {(2, 2)}
    assert parse_framework("p af 0\n", "i23").names == ()


def test_tgf_without_attacks() -> None:
    assert parse_framework("a\nb\n", "tgf").attacks == frozenset()
    assert parse_framework("a\nb\n#\n", "tgf").names == ("a", "b")


def test_duplicates_are_harmless() -> None:
    fw = parse_framework("arg(a).\narg(a).\natt(a,a).\natt(a,a).\n", "apx")
    assert fw.names == ("a",)
    assert fw.attacks == {(0, 0)}


@pytest.mark.parametrize(
    ("fmt", "text", "line", "fragment"),
    [
        ("apx", "arg(a).\natt(a,b).\n", 2, "argument 'b' is not declared"),
        ("apx", "arg(a).\narg(a b).\n", 2, "not a valid argument name"),
        ("apx", 'arg("a").\n', 1, "not a valid argument name"),
        ("apx", "arg(a).\nattack(a,a).\n", 2, "unknown fact"),
        ("apx", "arg(a)\n", 1, "not an apx fact"),
        ("apx", "arg(a). arg(b)\n", 1, "not an apx fact"),
        ("apx", "arg(a).\n\n  arg(b). junk\n", 3, "not an apx fact: 'junk'"),
        ("apx", "arg(a). %* a block\ncomment *% att(a,\nb).\n", 2, "argument 'b' is not declared"),
        ("apx", "arg(a,b).\n", 1, "arg/1 takes one"),
        ("apx", "arg(a).\natt(a).\n", 2, "att/2 takes two"),
        ("apx", "arg(a).\n:- arg(a).\n", 2, "not an apx fact"),
        ("tgf", "a\nb c\n", 2, "2 words on an argument line"),
        ("tgf", "a\n#\na\n", 3, "1 words on an attack line"),
        ("tgf", "a\n#\na b\n", 3, "argument 'b' is not declared"),
        ("tgf", "a\n#\n#\n", 3, "a second '#'"),
        ("tgf", "a,b\n", 1, "not a valid argument name"),
        ("i23", "1 2\np af 2\n", 1, "'1 2' before the header"),
        (
            "i23",
            "arg(a).\natt(a,a).\n",
            1,
            "'arg(a).' is an apx fact, not ICCMA 2023",
        ),
        ("i23", "p af two\n", 1, "bad header"),
        ("i23", "p cnf 2\n", 1, "bad header"),
        ("i23", "p af 2147483648\n", 1, "2147483648 arguments; at most 1000000"),
        ("i23", "p af 1000001\n", 1, "1000001 arguments; at most 1000000"),
        ("i23", "p af 00000000000000000002\n1 3\n", 2, "'3' is not an argument"),
        ("apx", "arg(\u00e9).\n", 1, "expected ASCII letters, digits and underscores"),
        ("i23", "p af 2\n1 3\n", 2, "'3' is not an argument"),
        ("i23", "p af 2\n0 1\n", 2, "'0' is not an argument"),
        ("i23", "p af 2\n1 x\n", 2, "'x' is not an argument"),
        ("i23", "p af 2\n1 2 1\n", 2, "3 words"),
        ("i23", "p af 2\n1 2\np af 2\n", 3, "a second 'p af' header"),
        ("i23", "# only a comment\n", 1, "no 'p af N' header"),
        ("i23", "p af 2\n1 2 3 # three words\n", 2, "3 words"),
        ("i23", "p af 2 # two\n1 # 2\n", 2, "1 words"),
    ],
    ids=lambda v: v.replace("\n", "|") if isinstance(v, str) else str(v),
)
def test_errors_name_file_and_line(tmp_path: Path, fmt: str, text: str, line: int, fragment: str) -> None:
    path = tmp_path / f"bad.{fmt}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_framework(str(path))
    assert err.value.line == line
    assert str(err.value).startswith(f"{path}:{line}: error: ")
    assert fragment in str(err.value)


def test_undeclared_argument_gets_a_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "typo.apx"
    path.write_text("arg(alpha).\narg(beta).\natt(alpha,betta).\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_framework(str(path))
    assert "did you mean 'beta'?" in str(err.value)


def test_missing_file_and_bad_bytes(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_framework(str(tmp_path / "absent.apx"))
    path = tmp_path / "latin1.tgf"
    path.write_bytes(b"a\nb\n\xe9\n")
    with pytest.raises(InputError) as err:
        read_framework(str(path))
    assert err.value.line == 3
    assert "UTF-8" in str(err.value)


def test_names_never_reach_clingo_as_text() -> None:
    """A name that would be ASP code is refused before any clingo call."""
    with pytest.raises(InputError, match="not a valid argument name"):
        parse_framework('arg(a).\narg(a";#show).\n', "apx")
    with pytest.raises(InputError, match=r"not a valid argument name|not an apx fact"):
        parse_framework('arg(a).\narg(x"). in(a). %).\n', "apx")
    with pytest.raises(InputError, match="unknown fact 'in/1'"):
        parse_framework("arg(a). in(a).\n", "apx")
    with pytest.raises(InputError, match="not a valid argument name"):
        parse_framework("a\nb).in(a\n", "tgf")
