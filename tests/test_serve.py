"""argmap serve's JSON endpoints, through Starlette's test client; and the command itself.

Every endpoint is asked a good question (its answer compared with what the
command line or the API says for the same input) and bad ones: unknown
components, hostile YAML, bodies that are too large, not JSON or not an object.
The command is started for real once, on a free port, asked several questions
at the same time, and stopped with SIGINT.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import warnings
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="argmap serve needs starlette (pip install 'argmap[serve]')")
pytest.importorskip("httpx", reason="Starlette's test client needs httpx")
with warnings.catch_warnings():  # Starlette 1.x prefers httpx2; httpx still works
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from argmap import Argmap, InputError
from argmap.analysis import argument_map
from argmap.io.config import Config
from argmap.serve import app as serve_app
from argmap.serve.app import CSP, LOCAL_HOSTS, attachment, create_app, error
from argmap.serve.server import allowed_hosts, bind
from argmap.serve.service import Service
from cli_runner import run
from helpers import PROPOSALS, ROOT, start_serve

FEDERALIST = ROOT / "examples" / "federalist10"
EXAMPLE = "european_reassurance_force.yaml"


@pytest.fixture(scope="module")
def service() -> Service:
    app = Argmap()
    return Service(app, app.config.proposals)


@pytest.fixture(scope="module")
def client(service: Service) -> Iterator[TestClient]:
    with TestClient(create_app(service, rate=None), base_url="http://127.0.0.1") as c:
        yield c


@pytest.fixture(scope="module")
def federalist() -> Iterator[TestClient]:
    app = Argmap([str(FEDERALIST / "rules" / "main.lp")], config=Config())
    service = Service(app, [str(FEDERALIST / "proposals")])
    with TestClient(create_app(service, rate=None), base_url="http://127.0.0.1") as c:
        yield c


def mapping(client: TestClient, name: str = EXAMPLE) -> dict[str, Any]:
    answer = client.get(f"/api/proposals/{name}")
    assert answer.status_code == 200, answer.text
    return answer.json()["proposal"]  # type: ignore[no-any-return]


def post(client: TestClient, path: str, body: Any, **headers: str) -> Any:
    return client.post(path, content=json.dumps(body), headers={"content-type": "application/json", **headers})


def assert_error(answer: Any, status: int, *words: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    body = answer.json()
    assert body["status"] == status and body["error"]
    for word in words:
        assert word in body["error"], body["error"]
    return body  # type: ignore[no-any-return]


# ---------------------------------------------------------------- what the knowledge base declares
def test_vocabulary_is_the_knowledge_bases(client: TestClient, service: Service) -> None:
    voc = client.get("/api/vocabulary").json()
    assert [c["key"] for c in voc["components"]] == list(service.app.vocabulary.components)
    assert [v["name"] for v in voc["verdicts"]] == list(service.app.registry.names)
    us_role = next(c for c in voc["components"] if c["key"] == "us_role")
    assert us_role["arity"] == "many" and "backstop" in [v["value"] for v in us_role["values"]]
    credible = next(v for v in voc["verdicts"] if v["name"] == "credible")
    assert credible["kind"] == "bool" and credible["words"]["true"] == "yes"
    assert set(credible["headings"]) == {"pro", "con"}
    assert "stances" in voc["parts"] and voc["dates"]


def test_claims_are_argmap_claims_json(client: TestClient) -> None:
    cli = run("claims", "--format", "json")
    assert cli.exit_code == 0, cli.stderr
    assert client.get("/api/claims").json() == json.loads(cli.stdout)


def test_federalist_page_names_its_own_knowledge_base_only(federalist: TestClient) -> None:
    voc = federalist.get("/api/vocabulary").json()
    words = json.dumps(voc) + json.dumps(federalist.get("/api/claims").json())
    assert "faction" in words
    for foreign in ("Ukraine", "Russia", "NATO", "us_role"):
        assert foreign not in words
    page = federalist.get("/").text + federalist.get("/static/app.js").text
    for foreign in ("Ukraine", "Russia", "NATO", "Solodkyy", "credible"):
        assert foreign not in page
    names = [p["name"] for p in federalist.get("/api/proposals").json()]
    assert "extended_federal_republic.yaml" in names
    body = {"proposal": mapping(federalist, "extended_federal_republic.yaml")}
    verdict = post(federalist, "/api/check", body).json()["verdict"]
    assert set(verdict["verdicts"]) == {v["name"] for v in voc["verdicts"]}


# ---------------------------------------------------------------- proposal files
def test_proposals_lists_the_folder(client: TestClient) -> None:
    listed = client.get("/api/proposals").json()
    assert [p["name"] for p in listed] == sorted(p.name for p in PROPOSALS.glob("*.yaml"))
    assert all(p["title"] and "error" not in p for p in listed)


def test_a_proposal_file_loads_as_its_mapping(client: TestClient) -> None:
    got = client.get(f"/api/proposals/{EXAMPLE}").json()
    assert got["yaml"] == (PROPOSALS / EXAMPLE).read_text(encoding="utf-8")
    assert got["proposal"]["title"] == Argmap().load(str(PROPOSALS / EXAMPLE)).title


@pytest.mark.parametrize("name", ["european_reasurance_force.yaml", "..%2Fpyproject.toml", "nope"], ids=str)
def test_only_listed_files_load(client: TestClient, name: str) -> None:
    answer = client.get(f"/api/proposals/{name}")
    assert answer.status_code in (404, 422), answer.text
    if name.startswith("european"):
        assert_error(answer, 422, "did you mean 'european_reassurance_force.yaml'")


# ---------------------------------------------------------------- check
def test_check_gives_the_verdicts_of_argmap_check(client: TestClient) -> None:
    path = f"proposals/{EXAMPLE}"
    cli = run("check", "--format", "json", "--exit-zero", path)
    expected = json.loads(cli.stdout)[0]
    text = (PROPOSALS / EXAMPLE).read_text(encoding="utf-8")
    for body in ({"yaml": text, "name": path}, {"proposal": mapping(client), "name": path}):
        got = post(client, "/api/check", body).json()
        verdict = got["verdict"]
        assert verdict.pop("text")
        assert verdict == expected


def test_editing_a_component_flips_a_verdict_with_its_reason(client: TestClient, service: Service) -> None:
    before = mapping(client)
    after = {**before, "us_role": ["backstop"]}
    old = post(client, "/api/check", {"proposal": before}).json()["verdict"]
    new = post(client, "/api/check", {"proposal": after}).json()["verdict"]
    expected = service.app.whatif(str(PROPOSALS / EXAMPLE), service.app.changes(sets=("us_role=backstop",)))
    assert expected.flips, "the example should flip something"
    for flip in expected.flips:
        assert old["text"][flip.verdict] != new["text"][flip.verdict]
    reasons = {(r["verdict"], r["claim"]) for r in new["reasons"]}
    for r in expected.after.reasons:
        assert (r.verdict, r.basis) in reasons
    claims = service.app.claims
    assert all(r["quote"] == claims[r["claim"]].quote for r in new["reasons"] if r["claim"] in claims)


def test_the_yaml_of_an_edited_proposal_is_accepted_by_argmap_check(client: TestClient, tmp_path: Path) -> None:
    edited = {**mapping(client), "us_role": ["backstop", "intelligence"], "air_defence": False, "date": "2025-02-28"}
    got = post(client, "/api/check", {"proposal": edited}).json()
    written = tmp_path / "edited.yaml"
    written.write_text(got["yaml"], encoding="utf-8")
    cli = run("check", "--format", "json", "--exit-zero", str(written))
    assert cli.exit_code == 0, cli.stderr
    expected = json.loads(cli.stdout)[0]
    assert expected["verdicts"] == got["verdict"]["verdicts"]
    assert expected["date"] == got["verdict"]["date"]  # the one renderer's words for the date
    assert got["proposal"]["date"] == "2025-02-28" and got["proposal"]["us_role"] == ["backstop", "intelligence"]


def test_open_aspects_say_which_completions_give_which_verdict_as_check_does(
    client: TestClient, service: Service, tmp_path: Path
) -> None:
    body = {"proposal": {**mapping(client), "open": ["us_role"]}}
    del body["proposal"]["us_role"]
    got = post(client, "/api/check", body).json()
    assert got["completions"], "an open aspect that changes verdicts has completion groups"
    written = tmp_path / "open.yaml"
    written.write_text(got["yaml"], encoding="utf-8")
    cli = run("check", "--format", "json", "--exit-zero", str(written))
    assert cli.exit_code == 0, cli.stderr
    expected = json.loads(cli.stdout)[0]["completions"]
    assert [{k: v for k, v in c.items() if k not in ("label", "text")} for c in got["completions"]] == expected
    assert got["verdict"]["completions"] == expected
    registry = service.app.registry
    for item in got["completions"]:
        spec = registry[item["verdict"]]
        assert item["label"] == spec.label
        assert item["text"].startswith(f"{spec.word(item['value'])} when us_role ")


def test_a_closed_proposal_has_no_completions(client: TestClient) -> None:
    got = post(client, "/api/check", {"proposal": mapping(client)}).json()
    assert got["completions"] == [] and "completions" not in got["verdict"]
    assert got["completions_beyond"] == 0


def test_past_the_limit_of_completions_the_answer_says_so_and_is_the_same_each_time(
    client: TestClient, service: Service
) -> None:
    """Every list component left open: more completions than are described.  Asked between other
    questions, the answer is the same bytes each time (it was a different part of them each time)."""
    listed = sorted(k for k, c in service.app.vocabulary.components.items() if c.arity == "many")
    proposal = {k: v for k, v in mapping(client).items() if k not in listed}
    body = {"proposal": {**proposal, "open": listed}}
    first = post(client, "/api/check", body).content
    got = json.loads(first)
    assert got["completions"] == [] and got["completions_beyond"] == 4096
    assert got["verdict"]["completions_beyond"] == 4096
    for _ in range(2):
        post(client, "/api/check", {"proposal": {**mapping(client), "open": ["us_role"]}})
        assert post(client, "/api/check", body).content == first


@pytest.mark.parametrize(
    ("yaml_text", "words"),
    [
        ("title: t\nsource: s\nus_rol: backstop\n", ["us_rol: unknown key", "did you mean 'us_role'"]),
        ("title: t\nsource: s\nlead: europe\n", ["lead: 'europe' is not a value of lead", "did you mean 'european'"]),
        ("title: t\n", ["source: missing required key"]),
        ("a: &x [1]\nb: *x\n", ["anchors and aliases are not supported"]),
        ("[" * 200, ["nested deeper than 32 levels"]),
        ("title: t\ntitle: u\nsource: s\n", ["title"]),
        ("title: !!python/object:os.system x\nsource: s\n", ["error"]),
        ("title: t\nsource: s\x00\n", ["U+0000"]),
        ("- a\n- b\n", ["a proposal must be a mapping"]),
        ("", ["the file is empty"]),
    ],
    ids=["typo", "value", "missing", "alias", "deep", "duplicate", "python-tag", "nul", "list", "empty"],
)
def test_bad_yaml_gets_the_command_lines_message(
    client: TestClient, tmp_path: Path, yaml_text: str, words: list[str]
) -> None:
    written = tmp_path / "bad.yaml"
    written.write_text(yaml_text, encoding="utf-8")
    cli = run("check", str(written))
    assert cli.exit_code == 2
    body = assert_error(post(client, "/api/check", {"yaml": yaml_text, "name": str(written)}), 422, *words)
    assert body["error"] == cli.stderr.strip()


def test_a_mapping_is_checked_like_yaml(client: TestClient) -> None:
    body = assert_error(post(client, "/api/check", {"proposal": {"title": "t", "source": "s", "us_rol": "x"}}), 422)
    assert body["key"] == "us_rol" and body["suggestion"] == "us_role" and body["line"] == 3
    deep: dict[str, Any] = {}
    inner = deep
    for _ in range(40):
        inner["a"] = {}
        inner = inner["a"]
    assert_error(post(client, "/api/check", {"proposal": deep}), 422, "nested deeper than 32 levels")
    assert_error(post(client, "/api/check", {"proposal": [1]}), 422, "proposal: must be a mapping")
    assert_error(post(client, "/api/check", {"yaml": "title: t", "proposal": {}}), 422, "give the proposal once")
    assert_error(post(client, "/api/check", {"yaml": 3}), 422, "yaml: must be text")
    assert_error(post(client, "/api/check", {"yaml": "title: t", "name": "../../etc/passwd"}), 422, "name")


# ---------------------------------------------------------------- the body itself
def test_a_huge_body_is_refused(client: TestClient) -> None:
    huge = json.dumps({"yaml": "title: " + "x" * (serve_app.MAX_BODY + 10)})
    assert_error(post_raw(client, huge), 413, "limit")

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while reading
        yield b'{"yaml": "'
        for _ in range(100):
            yield b"x" * 10_000
        yield b'"}'

    answer = client.post("/api/check", content=chunks(), headers={"content-type": "application/json"})
    assert_error(answer, 413, "limit")


def post_raw(client: TestClient, text: str, kind: str = "application/json") -> Any:
    return client.post("/api/check", content=text.encode("utf-8"), headers={"content-type": kind})


def test_bodies_that_are_not_a_json_object(client: TestClient) -> None:
    assert_error(post_raw(client, "{not json"), 400, "not JSON")
    assert_error(post_raw(client, "[" * 100_000 + "]" * 100_000), 400, "not JSON")
    assert_error(post_raw(client, "[1, 2]"), 400, "JSON object")
    assert_error(
        client.post("/api/check", content=b'{"yaml": "\xff"}', headers={"content-type": "application/json"}),
        400,
        "UTF-8",
    )
    assert_error(post_raw(client, "title=t", kind="application/x-www-form-urlencoded"), 415, "JSON")
    assert_error(client.get("/api/check"), 405)
    assert_error(client.get("/api/nothing"), 404)


def test_a_foreign_host_header_is_refused(client: TestClient) -> None:
    body = assert_error(client.get("/api/vocabulary", headers={"host": "evil.example"}), 400, "'evil.example'")
    assert body["key"] == "Host" and "[::1]" in body["expected"]
    for host in ("127.0.0.1:8765", "localhost", "LOCALHOST:1", "[::1]:8765", "[::1]"):
        assert client.get("/api/vocabulary", headers={"host": host}).status_code == 200, host
    for host in ("127.0.0.1.evil.example", "[::2]:8765", "", "localhost.:80"):
        assert_error(client.get("/api/vocabulary", headers={"host": host}), 400, "not a host")


@pytest.mark.parametrize(
    ("host", "answered"),
    [("::1", "[::1]"), ("127.0.0.2", "127.0.0.2"), ("192.0.2.7", "192.0.2.7"), ("Example.Test", "example.test")],
    ids=["ipv6-loopback", "other-loopback", "other-interface", "name"],
)
def test_the_host_given_and_the_loopback_names_are_answered_and_nothing_else(
    service: Service, host: str, answered: str
) -> None:
    hosts = allowed_hosts(host, LOCAL_HOSTS)
    assert set(LOCAL_HOSTS) <= set(hosts) and answered in hosts
    with TestClient(create_app(service, rate=None, allowed_hosts=hosts), base_url="http://127.0.0.1") as c:
        assert c.get("/api/vocabulary", headers={"host": f"{answered}:8765"}).status_code == 200
        assert c.get("/api/vocabulary", headers={"host": "localhost:8765"}).status_code == 200
        assert_error(c.get("/api/vocabulary", headers={"host": "evil.example"}), 400, "not a host")


def test_a_wildcard_host_answers_this_machines_name_not_any_host() -> None:
    hosts = allowed_hosts("0.0.0.0", LOCAL_HOSTS)
    assert socket.gethostname().lower() in hosts and "evil.example" not in hosts


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/check", {"yaml": "title: \ud800\nsource: s\n"}, "yaml"),
        ("/api/check", {"proposal": {"title": "\ud800", "source": "s"}}, "proposal.title"),
        ("/api/check", {"proposal": {"title": "t", "source": "s", "\ud800": 1}}, "proposal: a key"),
        ("/api/check", {"\udfff": 1, "yaml": "title: t\n"}, "a key"),
        ("/api/whatif", {"yaml": "title: t\n", "changes": {"set": ["lead=us", "\ud800=1"]}}, "changes.set[2]"),
        ("/api/map", {"yaml": "title: t\n", "focus": "\ud800"}, "focus"),
        ("/api/repair", {"yaml": "title: t\n", "goals": ["x\udc00y"]}, "goals[1]"),
    ],
    ids=["yaml", "title", "key", "top-key", "whatif-set", "map-focus", "repair-goal"],
)
def test_a_lone_surrogate_anywhere_in_a_body_is_a_400_naming_the_field(
    client: TestClient, path: str, body: dict[str, Any], field: str
) -> None:
    text = json.dumps(body)  # ASCII: the surrogate travels as its \\u escape, as a browser's JSON would
    assert "\\ud" in text or "\\udc" in text or "\\udf" in text
    got = assert_error(post_raw(client, text), 400, "not valid Unicode text: a lone surrogate")
    assert got["key"] == field
    assert got["error"] == f"argmap: error: {field}: not valid Unicode text: a lone surrogate"


def test_a_surrogate_pair_is_text_and_accepted(client: TestClient) -> None:
    body = {"proposal": {**mapping(client), "title": "Flags \U0001f1fa\U0001f1e6"}}
    answer = post_raw(client, json.dumps(body))  # the pairs as \\ud83c\\uddfa escapes
    assert answer.status_code == 200, answer.text
    assert answer.json()["proposal"]["title"] == "Flags \U0001f1fa\U0001f1e6"


def test_nan_is_not_json(client: TestClient) -> None:
    assert_error(post_raw(client, '{"proposal": {"title": NaN, "source": "s"}}'), 400, "NaN is not a JSON number")


def test_an_error_that_echoes_a_lone_surrogate_is_still_sent(service: Service) -> None:
    sent = error(422, "argmap: bad \ud800", InputError("bad \ud800", key="k\udfff", suggestion="\udbff"))
    body = json.loads(sent.body)
    assert body["error"] == "argmap: bad \\ud800" and body["key"] == "k\\udfff" and body["suggestion"] == "\\udbff"

    class Echo(Service):
        def claims(self) -> list[dict[str, Any]]:
            raise InputError("'\ud800' is not a claim", key="reject")

        def vocabulary(self) -> dict[str, Any]:
            return {"odd": "a\ud800b"}

    with TestClient(create_app(Echo(service.app), rate=None), base_url="http://127.0.0.1") as c:
        body = assert_error(c.get("/api/claims"), 422, "'\\ud800' is not a claim")
        answer = c.get("/api/vocabulary")
        assert answer.status_code == 200 and answer.json() == {"odd": "a\ud800b"}


def test_requests_beyond_the_rate_are_refused(service: Service) -> None:
    with TestClient(create_app(service, rate=1.0), base_url="http://127.0.0.1") as slow:
        codes = [slow.get("/api/vocabulary").status_code for _ in range(6)]
    assert codes[0] == 200 and 429 in codes
    assert codes.index(429) >= 2  # a burst of two is allowed
    with TestClient(create_app(service, rate=1.0), base_url="http://127.0.0.1") as slow:
        answers = [slow.get("/api/vocabulary") for _ in range(6)]
    refused = [a for a in answers if a.status_code == 429]
    assert refused and all(a.headers["retry-after"].isdigit() and int(a.headers["retry-after"]) >= 1 for a in refused)
    assert all("retry-after" not in a.headers for a in answers if a.status_code == 200)


def test_errors_from_inside_are_json_with_a_message(service: Service) -> None:
    class Broken(Service):
        def claims(self) -> list[dict[str, Any]]:
            raise RuntimeError("boom")

        def vocabulary(self) -> dict[str, Any]:
            raise InputError("solving did not finish within 0.1 s", key="--timeout")

    broken = Broken(service.app)
    with TestClient(create_app(broken, rate=None), base_url="http://127.0.0.1") as c:
        assert_error(c.get("/api/claims"), 500, "internal error: RuntimeError: boom")
        assert_error(c.get("/api/vocabulary"), 503, "--timeout: solving did not finish")


# ---------------------------------------------------------------- what-if, repair, map, report
def test_whatif_is_argmap_whatif(client: TestClient) -> None:
    path = f"proposals/{EXAMPLE}"
    cli = run("whatif", path, "--set", "us_role=backstop", "--reject-claim", "eu_needs_us", "--format", "json")
    expected = json.loads(cli.stdout)
    text = (PROPOSALS / EXAMPLE).read_text(encoding="utf-8")
    changes = {"set": ["us_role=backstop"], "reject": ["eu_needs_us"], "as_of": ""}
    got = post(client, "/api/whatif", {"yaml": text, "name": path, "changes": changes}).json()
    assert got["described"] == ["set us_role=backstop", "reject claim eu_needs_us"]
    for key in ("changes", "flips", "unchanged", "conflicts_gone", "conflicts_new"):
        assert got[key] == expected[key]


@pytest.mark.parametrize(
    ("changes", "option", "words"),
    [
        ({"set": ["us_rle=backstop"]}, ["--set", "us_rle=backstop"], "did you mean 'us_role'"),
        ({"reject": ["eu_need_us"]}, ["--reject-claim", "eu_need_us"], "did you mean 'eu_needs_us'"),
        ({"as_of": "2025-13-01"}, ["--as-of", "2025-13-01"], "not a date on the calendar"),
        ({"set": ["lead"]}, ["--set", "lead"], "is not KEY=VALUE"),
    ],
    ids=["component", "claim", "date", "pair"],
)
def test_bad_changes_get_the_command_lines_message(
    client: TestClient, changes: dict[str, Any], option: list[str], words: str
) -> None:
    path = f"proposals/{EXAMPLE}"
    cli = run("whatif", path, *option)
    assert cli.exit_code == 2
    body = assert_error(post(client, "/api/whatif", {"proposal": mapping(client), "changes": changes}), 422, words)
    assert body["error"] == cli.stderr.strip()


@pytest.mark.parametrize(
    ("body", "key", "expected"),
    [
        ({"changes": {"set": "lead=nato"}}, "changes.set", '"component=value" texts'),
        ({"changes": {"unset": "lead"}}, "changes.unset", '"component" or "component=value" texts'),
        ({"changes": {"reject": "a_claim"}}, "changes.reject", "a JSON list of claim ids"),
        ({"changes": {"as_of_actor": "someone=2024-02-01"}}, "changes.as_of_actor", '"actor=date" texts'),
        ({"changes": {"stance": "a.b=c"}}, "changes.stance", '"actor.issue=position" texts'),
        ({"changes": {"as_of": 20240201}}, "changes.as_of", "YYYY-MM-DD, YYYY-MM or YYYYMMDD"),
        ({"goals": "credible"}, "goals", 'a JSON list of verdict names or "verdict=value" texts'),
        ({"keep": "lead"}, "keep", "a JSON list of component names"),
    ],
    ids=["set", "unset", "reject", "as_of_actor", "stance", "as_of", "goals", "keep"],
)
def test_each_list_says_what_it_holds(client: TestClient, body: dict[str, Any], key: str, expected: str) -> None:
    path = "/api/repair" if key in ("goals", "keep") else "/api/whatif"
    got = assert_error(post(client, path, {"proposal": mapping(client), **body}), 422, expected)
    assert got["key"] == key
    if key != "goals":
        assert "verdict" not in got["expected"]


def test_whatif_as_of_accepts_a_month_as_its_message_says(client: TestClient) -> None:
    body = {"proposal": mapping(client), "changes": {"as_of": "2025-02"}}
    answer = post(client, "/api/whatif", body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["described"][0].startswith("stances as of 2025-02")


def test_whatif_refuses_unknown_kinds_of_change(client: TestClient) -> None:
    body = {"proposal": mapping(client), "changes": {"sett": ["lead=nato"]}}
    assert_error(post(client, "/api/whatif", body), 422, "did you mean 'set'")
    body = {"proposal": mapping(client), "changes": {"set": "lead=nato"}}
    assert_error(post(client, "/api/whatif", body), 422, "must be a list of text")


def test_repair_reaches_its_goals_and_the_repaired_proposal_checks(client: TestClient, service: Service) -> None:
    goals = ["credible"]
    got = post(client, "/api/repair", {"proposal": mapping(client), "goals": goals, "keep": ["lead"]}).json()
    expected = service.app.repair(str(PROPOSALS / EXAMPLE), goals=goals, keep=["lead"])
    assert got["found"] == expected.found
    assert [r["described"] for r in got["repairs"]] == [r.described() for r in expected.repairs]
    for item in got["repairs"]:
        assert item["proposal"]["lead"] == mapping(client)["lead"]
        verdict = post(client, "/api/check", {"proposal": item["proposal"]}).json()["verdict"]
        assert verdict["verdicts"]["credible"] is True
        assert verdict["verdicts"] == item["after"]["verdicts"]


def test_a_goal_or_pin_given_twice_is_asked_once(client: TestClient) -> None:
    m = mapping(client)
    once = post(client, "/api/repair", {"proposal": m, "goals": ["credible"], "keep": ["lead"]}).json()
    twice = post(
        client, "/api/repair", {"proposal": m, "goals": ["credible", "credible"], "keep": ["lead", "lead"]}
    ).json()
    assert once["repairs"] and twice == once


def test_repair_errors(client: TestClient) -> None:
    m = mapping(client)
    assert_error(post(client, "/api/repair", {"proposal": m, "goals": ["credibel"]}), 422, "did you mean 'credible'")
    assert_error(post(client, "/api/repair", {"proposal": m, "keep": ["lea"]}), 422, "lea")
    assert_error(post(client, "/api/repair", {"proposal": m, "max_changes": 99}), 422, "--max-changes")
    assert_error(post(client, "/api/repair", {"proposal": m, "max_changes": "2"}), 422, "whole number")


def test_map_is_focused_on_one_verdict_as_map_focus_is(client: TestClient, service: Service) -> None:
    m = mapping(client)
    whole = post(client, "/api/map", {"proposal": m}).json()
    focused = post(client, "/api/map", {"proposal": m, "focus": "credible"}).json()
    ids = {n["id"] for n in focused["nodes"]}
    assert 0 < len(ids) < len(whole["nodes"])
    assert "verdict_credible" in ids and "verdict_risk" not in ids  # risk rests on credibility, not the reverse
    assert all(e["source"] in ids and e["target"] in ids for e in focused["edges"])
    # the nodes `argmap map --focus credible` draws, the reasons for credibility among them (pro and con)
    cli = service.app.map(service.app.load(str(PROPOSALS / EXAMPLE)), focus=("credible",))
    assert [n["id"] for n in focused["nodes"]] == [n.id for n in cli.nodes]
    assert [(e["source"], e["target"]) for e in focused["edges"]] == [(e.source, e.target) for e in cli.edges]
    reasons = [n for n in cli.nodes if n.kind == "reason" and n.group == "credible"]
    assert reasons and {n.id for n in reasons} <= ids
    claims = [n for n in focused["nodes"] if n["kind"] == "claim"]
    assert claims and all(n["quote"] for n in claims)
    assert_error(post(client, "/api/map", {"proposal": m, "focus": "credibel"}), 422, "did you mean 'credible'")


def test_the_maps_static_part_is_built_once_and_each_map_marked_for_its_proposal(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(argument_map, "_BUILT", weakref.WeakKeyDictionary())  # nothing built yet
    builds: list[int] = []
    build = argument_map._Builder.build
    monkeypatch.setattr(argument_map._Builder, "build", lambda self: builds.append(1) or build(self))
    first = post(client, "/api/map", {"proposal": mapping(client)}).json()
    other = post(client, "/api/map", {"proposal": mapping(client, "guaranteed_guarantees.yaml")}).json()
    again = post(client, "/api/map", {"proposal": mapping(client)}).json()
    assert len(builds) == 1
    assert again == first
    assert [n["id"] for n in other["nodes"]] == [n["id"] for n in first["nodes"]]  # one static map
    assert [n["holds"] for n in other["nodes"]] != [n["holds"] for n in first["nodes"]]  # marked for each


def test_report_is_the_html_report(client: TestClient) -> None:
    answer = post(client, "/api/report", {"proposal": mapping(client), "name": f"proposals/{EXAMPLE}"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    stem = EXAMPLE.removesuffix(".yaml")
    assert answer.headers["content-disposition"] == (
        f"attachment; filename=\"{stem}-report.html\"; filename*=UTF-8''{stem}-report.html"
    )
    assert "<html" in answer.text and "European-only reassurance force" in answer.text
    named = post(client, "/api/report", {"proposal": {**mapping(client), "id": "plan_b"}})
    assert 'filename="plan_b-report.html"' in named.headers["content-disposition"]


def test_a_download_name_is_safe_ascii_with_the_unicode_name_beside_it() -> None:
    assert attachment('café "x";\r\n-report.html') == (
        "attachment; filename=\"caf___x____-report.html\"; filename*=UTF-8''caf%C3%A9%20%22x%22%3B%0D%0A-report.html"
    )
    assert attachment("a\ud800.html").isascii()


@pytest.mark.parametrize(
    ("char", "allowed"),
    [("\x00", False), ("\x1b", False), ("\x85", True), ("\x9b", False), ("\u202e", True), ("\n", True)],
    ids=["nul", "esc", "nel", "csi", "rlo", "newline"],
)
def test_a_title_from_json_gets_the_checks_a_title_in_a_file_gets(
    client: TestClient, tmp_path: Path, char: str, allowed: bool
) -> None:
    title = f"a{char}b"
    mapped = post(client, "/api/check", {"proposal": {**mapping(client), "title": title}})
    written = tmp_path / "p.yaml"
    raw = title.replace(char, char + "  ")  # the character raw, in a file (indented after a line break)
    written.write_text(f"title: |-\n  {raw}\nsource: s\n", encoding="utf-8")
    cli = run("check", "--exit-zero", str(written))
    assert (cli.exit_code == 0) == allowed, cli.stderr
    if allowed:
        assert mapped.status_code == 200, mapped.text
        assert mapped.json()["proposal"]["title"] == title
    else:
        got = assert_error(mapped, 422, f"the character U+{ord(char):04X} is not allowed in YAML")
        assert got["key"] == "proposal.title"
        assert f"the character U+{ord(char):04X} is not allowed in YAML" in cli.stderr
    key = post(client, "/api/check", {"proposal": {**mapping(client), f"k{char}": 1}})
    assert key.status_code == 422
    assert ("is not allowed in YAML" in key.json()["error"]) != allowed


def test_a_collection_with_a_python_tag_is_refused_for_its_tag(client: TestClient) -> None:
    text = "title: !!python/object/apply:os.system [echo]\nsource: s\n"
    got = assert_error(post(client, "/api/check", {"yaml": text}), 422, "could not determine a constructor for the tag")
    assert got["key"] == "title" and "python/object/apply:os.system" in got["error"]
    assert "must be text" not in got["error"]


def test_a_link_out_of_the_proposals_folder_is_listed_with_an_error_and_never_read(
    service: Service, tmp_path: Path
) -> None:
    folder = tmp_path / "proposals"
    folder.mkdir()
    (folder / EXAMPLE).write_text((PROPOSALS / EXAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "inner.yaml").symlink_to(folder / EXAMPLE)  # a link inside the folder is fine
    secret = tmp_path / "secret.yaml"
    secret.write_text("title: secret title\nsource: s\n", encoding="utf-8")
    (folder / "secret.yaml").symlink_to(secret)
    (folder / "passwd.yaml").symlink_to("/etc/passwd")
    with TestClient(create_app(Service(service.app, [str(folder)]), rate=None), base_url="http://127.0.0.1") as c:
        listed = {p["name"]: p for p in c.get("/api/proposals").json()}
        assert set(listed) == {EXAMPLE, "inner.yaml", "secret.yaml", "passwd.yaml"}
        assert "error" not in listed[EXAMPLE] and "error" not in listed["inner.yaml"]
        for name in ("secret.yaml", "passwd.yaml"):
            assert "outside the proposals folder" in listed[name]["error"] and "title" not in listed[name]
            got = assert_error(c.get(f"/api/proposals/{name}"), 422, "outside the proposals folder")
            assert "secret title" not in json.dumps(got) and "root:" not in json.dumps(got)
        assert c.get("/api/proposals/inner.yaml").status_code == 200


# ---------------------------------------------------------------- the page
def test_the_page_and_its_files_carry_a_strict_policy(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for answer in (page, client.get("/static/app.js"), client.get("/api/vocabulary")):
        assert answer.headers["content-security-policy"] == CSP
        assert answer.headers["x-content-type-options"] == "nosniff"
    assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP and "default-src 'none'" in CSP
    links = re.findall(r'(?:src|href)="([^"]*)"', page.text)
    assert links and all(link.startswith(("/static/", "#")) for link in links), links
    assert "<script>" not in page.text and " style=" not in page.text
    assert not re.search(r"\son[a-z]+=", page.text)  # no inline event handlers
    assert client.get("/static/app.css").headers["content-type"].startswith("text/css")
    assert_error(client.get("/static/secret.py"), 404)


# ---------------------------------------------------------------- the command
def test_serve_without_starlette_is_a_clear_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    import argmap.serve

    monkeypatch.setattr(argmap.serve, "available", lambda: "uvicorn")
    result = run("serve")
    assert result.exit_code == 2
    assert "argmap serve needs starlette and uvicorn, and uvicorn is not installed" in result.stderr
    assert "pip install 'argmap[serve]'" in result.stderr


def test_other_commands_do_not_import_starlette() -> None:
    code = (
        "import sys\nfrom argmap.cli.root import main\n"
        "try:\n    main(['kb-path'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('starlette', 'uvicorn', 'argmap.serve')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_a_taken_port_and_another_host_are_reported() -> None:
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--host", "0.0.0.0", "--port", str(port))
    assert result.exit_code == 2
    assert f"--port: cannot listen on 0.0.0.0:{port}" in result.stderr
    assert "warning" not in result.stderr  # nothing is served, so nothing is warned about


@pytest.mark.parametrize(
    ("host", "words"),
    [
        ("nosuchhost.invalid", "--host: cannot resolve host 'nosuchhost.invalid'"),
        ("192.0.2.1", "--host: cannot listen on 192.0.2.1: 192.0.2.1 is not an address of this machine"),
    ],
    ids=["unknown-name", "not-this-machine"],
)
def test_a_host_that_cannot_be_served_is_the_only_message(host: str, words: str) -> None:
    result = run("serve", "--host", host, "--port", "0")
    assert result.exit_code == 2
    assert words in result.stderr
    assert "warning" not in result.stderr and "--port" not in result.stderr
    with pytest.raises(InputError) as caught:
        bind(host, 0)
    assert caught.value.key == "--host"


def test_connections_to_the_bound_socket_send_without_delay() -> None:
    """asyncio (under uvicorn) sets TCP_NODELAY on connections of a socket that says it is TCP; without it,
    an answer written in two parts waits for the client's delayed acknowledgement."""
    import asyncio

    from argmap.serve.server import bind

    sock = bind("127.0.0.1", 0)
    assert sock.proto == socket.IPPROTO_TCP
    seen: list[int] = []

    class Note(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            conn = transport.get_extra_info("socket")
            seen.append(conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    async def connect() -> None:
        server = await asyncio.get_running_loop().create_server(Note, sock=sock)
        async with server:
            _, writer = await asyncio.open_connection(*sock.getsockname()[:2])
            for _ in range(600):
                if seen:
                    break
                await asyncio.sleep(0.1)
            writer.close()

    asyncio.run(connect())
    assert seen and seen[0] != 0


def test_answers_say_how_long_the_question_took_on_the_server(client: TestClient) -> None:
    answer = post(client, "/api/check", {"proposal": mapping(client)})
    timing = dict(part.strip().split(";dur=") for part in answer.headers["server-timing"].split(","))
    assert set(timing) == {"queue", "solve"} and all(float(v) >= 0 for v in timing.values())


def test_serve_answers_at_once_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    """The real command on a free port: questions from several threads at once all answered alike; SIGINT
    stops it with exit 0."""
    import httpx

    proc, url, _ = start_serve()
    try:
        assert proc.stderr is not None
        m = httpx.get(url + f"api/proposals/{EXAMPLE}", timeout=60).json()["proposal"]
        bodies = [{"proposal": {**m, "us_role": [role]}} for role in ("none", "backstop", "intelligence", "none")] * 3
        results: list[Any] = [None] * len(bodies)

        def ask(i: int) -> None:
            results[i] = httpx.post(url + "api/check", json=bodies[i], timeout=120).json()["verdict"]["verdicts"]

        threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(bodies))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(180)
        for i, result in enumerate(results):
            alone = httpx.post(url + "api/check", json=bodies[i], timeout=60).json()["verdict"]["verdicts"]
            assert result == alone
        assert results[0] != results[1]
        proc.send_signal(signal.SIGINT)
        assert proc.wait(60) == 0
        assert "argmap: stopped" in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _ipv6_loopback(), reason="this machine has no IPv6 loopback address")
def test_serve_on_the_ipv6_loopback_answers_its_own_page() -> None:
    """--host ::1: the page's own requests (Host: [::1]:PORT) are answered, a foreign Host is refused as JSON."""
    import httpx

    proc, url, lines = start_serve("--host", "::1")
    try:
        assert url.startswith("http://[::1]:"), url
        assert not any("warning" in line for line in lines)  # the loopback address: nothing to warn about
        answer = httpx.get(url + "api/vocabulary", timeout=60)
        assert answer.status_code == 200, answer.text
        assert answer.json()["components"]
        foreign = httpx.get(url + "api/vocabulary", headers={"host": "evil.example"}, timeout=60)
        assert foreign.status_code == 400 and foreign.json()["key"] == "Host"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_a_file_name_that_is_not_utf8_is_not_listed(service: Service, tmp_path: Path) -> None:
    """It cannot be loaded (check names it as a bad file), and JSON cannot carry its name."""
    folder = tmp_path / "props"
    folder.mkdir()
    (folder / "good.yaml").write_bytes((PROPOSALS / EXAMPLE).read_bytes())
    Path(os.fsdecode(os.fsencode(folder) + b"/bad\xff.yaml")).write_bytes((PROPOSALS / EXAMPLE).read_bytes())
    listed = Service(service.app, [str(folder)])
    with TestClient(create_app(listed, rate=None), base_url="http://127.0.0.1") as c:
        answer = c.get("/api/proposals")
    assert answer.status_code == 200
    assert [item["name"] for item in json.loads(answer.content.decode("utf-8"))] == ["good.yaml"]
