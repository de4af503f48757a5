"""argmap serve's page in headless Chromium (selenium and Debian's chromium-driver).

The real command serves the page on a free loopback port; the browser loads
an example, sets a component and sees a verdict flip with its reason and
quote, runs a repair, rejects a claim, opens the shared URL in a fresh tab,
downloads the YAML and checks it with ``argmap check``, and logs no console
error.  Expected values come from the API, never from this file.  Screenshots
are saved under the test's tmp folder; with ``--update-golden`` one is copied
to docs/serve.png for the README.  Skips with the reason when selenium,
Chromium or chromedriver is missing.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="argmap serve needs starlette (pip install 'argmap[serve]')")
pytest.importorskip("uvicorn", reason="argmap serve needs uvicorn (pip install 'argmap[serve]')")
pytest.importorskip("selenium", reason="the browser tests need selenium (pip install selenium)")

import httpx
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service as DriverService
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select, WebDriverWait

from argmap import Argmap
from cli_runner import run
from helpers import ROOT, start_serve

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="Chromium or chromedriver is not installed (Debian: apt-get install chromium chromium-driver)",
)

EXAMPLE = "european_reassurance_force.yaml"
FEDERALIST = ROOT / "examples" / "federalist10"
#: Generous waits: the machine may be busy (seconds).
WAIT = 120


def start_server(*args: str) -> tuple[subprocess.Popen[str], str]:
    proc, url, _ = start_serve(*args)
    return proc, url


def stop_server(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    proc, url = start_server()
    try:
        yield url
    finally:
        stop_server(proc)


@pytest.fixture()
def downloads(tmp_path: Path) -> Path:
    folder = tmp_path / "downloads"
    folder.mkdir()
    return folder


@pytest.fixture()
def browser(tmp_path: Path, downloads: Path) -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM  # type: ignore[assignment]
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,2200",
    ):
        options.add_argument(arg)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=DriverService(DRIVER), options=options)
    driver.set_page_load_timeout(WAIT)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(driver: WebDriver, what: Callable[[WebDriver], Any], message: str) -> Any:
    try:
        ignored = (StaleElementReferenceException, NoSuchElementException)  # the page re-renders as it judges
        return WebDriverWait(driver, WAIT, poll_frequency=0.2, ignored_exceptions=ignored).until(what)
    except TimeoutException:
        status = driver.find_element(By.ID, "status").text
        error = driver.find_element(By.ID, "error").text
        raise AssertionError(f"{message} (status: {status!r}; error: {error!r})") from None


def judged(driver: WebDriver, title: str) -> None:
    wait_for(
        driver,
        lambda d: (
            d.find_element(By.ID, "status").text.startswith("Judged")
            and title in d.find_element(By.ID, "verdict-body").text
        ),
        f"the page never showed the verdicts of {title!r}",
    )


def value(driver: WebDriver, verdict: str, where: str = "verdict-body") -> str:
    for _ in range(20):
        try:
            return str(driver.find_element(By.CSS_SELECTOR, f"#{where} tr[data-verdict='{verdict}'] td").text)
        except StaleElementReferenceException:  # re-rendered between finding and reading
            time.sleep(0.2)
    raise AssertionError(f"the {verdict} row in #{where} kept changing")


def console_errors(driver: WebDriver) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def api(url: str, path: str, body: Any = None) -> Any:
    if body is None:
        return httpx.get(url + path, timeout=WAIT).json()
    return httpx.post(url + path, json=body, timeout=WAIT).json()


def load_example(d: WebDriver, server: str) -> dict[str, Any]:
    """Open the page, load the example proposal from the list, wait for its verdicts; the proposal."""
    d.get(server)
    Select(
        wait_for(
            d,
            lambda d: (
                d.find_element(By.CSS_SELECTOR, f"#proposal-file option[value='{EXAMPLE}']")
                and d.find_element(By.ID, "proposal-file")
            ),
            "no proposal list",
        )
    ).select_by_value(EXAMPLE)
    d.find_element(By.ID, "load-file").click()
    original = api(server, f"api/proposals/{EXAMPLE}")["proposal"]
    judged(d, original["title"])
    return original  # type: ignore[no-any-return]


def test_edit_flip_repair_share_download(
    server: str, browser: WebDriver, downloads: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    d = browser
    original = load_example(d, server)

    # the oracle: the same edit through the API
    role = "backstop"
    before = api(server, "api/check", {"proposal": original})["verdict"]
    after = api(server, "api/check", {"proposal": {**original, "us_role": [role]}})["verdict"]
    flipped = [name for name in before["text"] if before["text"][name] != after["text"][name]]
    assert flipped, "setting us_role should flip a verdict of the example"
    name = flipped[0]
    assert value(d, name) == before["text"][name]

    # set the component from the keyboard: space toggles a focused checkbox
    for current in original.get("us_role", []):
        d.find_element(By.ID, f"comp-us_role-{current}").send_keys(Keys.SPACE)
    d.find_element(By.ID, f"comp-us_role-{role}").send_keys(Keys.SPACE)
    wait_for(d, lambda d: value(d, name) == after["text"][name], f"{name} never flipped")
    reason = next(r for r in after["reasons"] if r["verdict"] == name and r["quote"])
    shown = d.find_element(By.CSS_SELECTOR, f"#verdict-body li.reason[data-claim='{reason['claim']}']").text
    assert f"[{reason['claim']}]" in shown and reason["quote"] in shown
    d.save_screenshot(str(tmp_path / "serve.png"))
    if request.config.getoption("--update-golden") or not (ROOT / "docs" / "serve.png").exists():
        shutil.copyfile(tmp_path / "serve.png", ROOT / "docs" / "serve.png")

    # a repair, through the form, compared with the API's
    edited = {**original, "us_role": [role]}
    gates = {v["name"] for v in api(server, "api/vocabulary")["verdicts"] if v["gate"]}
    goal = next((n for n in flipped if n in gates), name)  # one the example misses and an edit reaches
    expected = api(server, "api/repair", {"proposal": original, "goals": [goal]})
    d.find_element(By.ID, "comp-us_role-backstop").send_keys(Keys.SPACE)  # back to the original's us_role
    for current in original.get("us_role", []):
        d.find_element(By.ID, f"comp-us_role-{current}").send_keys(Keys.SPACE)
    wait_for(d, lambda d: value(d, name) == before["text"][name], "the edit was not undone")
    d.find_element(By.ID, f"goal-{goal}").send_keys(Keys.SPACE)
    d.find_element(By.ID, "run-repair").click()
    assert expected["found"] and expected["repairs"][0]["described"]
    if expected["found"]:
        first = expected["repairs"][0]["described"][0]
        wait_for(d, lambda d: first in d.find_element(By.ID, "repair-body").text, "the repair was not shown")
        d.find_element(By.ID, "apply-repair-1").click()
        after_repair = expected["repairs"][0]["after"]["text"]
        wait_for(d, lambda d: value(d, goal) == after_repair[goal], "the repair was not applied")
    else:
        wait_for(d, lambda d: "No repair" in d.find_element(By.ID, "repair-body").text, "no 'no repair' message")

    # back to the edit, then reject a claim: the what-if table shows before and after as the API does
    d.find_element(By.ID, "load-file").click()
    judged(d, original["title"])
    d.find_element(By.ID, "comp-us_role-backstop").send_keys(Keys.SPACE)
    for current in original.get("us_role", []):
        d.find_element(By.ID, f"comp-us_role-{current}").send_keys(Keys.SPACE)
    wait_for(d, lambda d: value(d, name) == after["text"][name], "the edit was not made again")
    claim = reason["claim"]
    d.find_element(By.ID, "claim-search").send_keys(claim)
    d.find_element(By.ID, f"reject-{claim}").send_keys(Keys.SPACE)
    whatif = api(server, "api/whatif", {"proposal": edited, "changes": {"reject": [claim]}})
    wait_for(d, lambda d: f"reject claim {claim}" in d.find_element(By.ID, "whatif-body").text, "no what-if shown")
    for v in whatif["flips"]:
        row = d.find_element(By.CSS_SELECTOR, f"#whatif-body tr[data-verdict='{v['verdict']}']")
        assert "flipped" in row.get_attribute("class")
    assert value(d, name, "whatif-body") == whatif["before"]["text"][name]

    # the shared URL, opened in a fresh tab, shows the same view
    link = d.find_element(By.ID, "share-link").get_attribute("value")
    assert link and "#s=" in link
    d.switch_to.new_window("tab")
    d.get(link)
    judged(d, original["title"])
    assert value(d, name) == after["text"][name]
    assert d.find_element(By.ID, f"comp-us_role-{role}").is_selected()
    assert d.find_element(By.ID, f"reject-{claim}").is_selected()
    wait_for(d, lambda d: f"reject claim {claim}" in d.find_element(By.ID, "whatif-body").text, "no what-if shared")

    # the downloaded YAML is a proposal argmap check accepts, with the same verdicts
    d.find_element(By.ID, "download-yaml").click()
    wait_for(d, lambda d: any(p.suffix == ".yaml" for p in downloads.iterdir()), "no YAML downloaded")
    written = next(p for p in downloads.iterdir() if p.suffix == ".yaml")
    time.sleep(0.5)  # let the browser finish writing the file it has created
    result = run("check", "--format", "json", "--exit-zero", str(written))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["verdicts"] == after["verdicts"]
    d.save_screenshot(str(tmp_path / "serve-shared.png"))
    assert console_errors(d) == []


def test_an_open_aspect_shows_which_completions_give_which_verdict(server: str, browser: WebDriver) -> None:
    d = browser
    original = load_example(d, server)
    opened = {k: v for k, v in original.items() if k != "us_role"}
    expected = api(server, "api/check", {"proposal": {**opened, "open": ["us_role"]}})["completions"]
    assert expected, "leaving us_role open should make some verdict depend on it"
    for current in original.get("us_role", []):
        d.find_element(By.ID, f"comp-us_role-{current}").send_keys(Keys.SPACE)
    d.find_element(By.ID, "comp-us_role-open").send_keys(Keys.SPACE)

    def rows(d: WebDriver) -> list[tuple[str, str, str]]:
        found = d.find_elements(By.CSS_SELECTOR, "#verdict-body table.completions tbody tr")
        return [(r.get_attribute("data-verdict"), r.get_attribute("data-value"), r.text) for r in found]

    wait_for(d, lambda d: len(rows(d)) == len(expected), "no completions table")
    for (verdict, value_, text), item in zip(rows(d), expected, strict=True):
        assert (verdict, value_) == (item["verdict"], item["value"])
        assert item["text"] in text and f"{item['count']} of {item['total']}" in text
    assert console_errors(d) == []


def test_past_the_limit_of_completions_the_page_says_so(server: str, browser: WebDriver) -> None:
    """Both list components left open: more completions than are described, and the page says so."""
    d = browser
    original = load_example(d, server)
    for key in ("guarantors", "us_role"):
        for current in original.get(key, []):
            d.find_element(By.ID, f"comp-{key}-{current}").send_keys(Keys.SPACE)
        d.find_element(By.ID, f"comp-{key}-open").send_keys(Keys.SPACE)

    def note(d: WebDriver) -> str:
        found = d.find_elements(By.CSS_SELECTOR, "#verdict-body p.completions-beyond")
        return found[0].text if found else ""

    text = wait_for(d, note, "no note that the completions were not worked out")
    assert "more than 4,096 completions" in text
    assert not d.find_elements(By.CSS_SELECTOR, "#verdict-body table.completions")
    assert console_errors(d) == []


def test_bad_input_is_shown_beside_its_field(server: str, browser: WebDriver) -> None:
    d = browser
    d.get(server)
    wait_for(d, lambda d: d.find_element(By.ID, "status").text.startswith("Judged"), "the page never judged")
    d.find_element(By.CSS_SELECTOR, "#paste summary").click()
    d.find_element(By.ID, "yaml-text").clear()  # it holds the loaded file's text
    d.find_element(By.ID, "yaml-text").send_keys("title: t\nsource: s\nus_rol: backstop\n")
    d.find_element(By.ID, "use-yaml").click()
    shown = wait_for(d, lambda d: d.find_element(By.ID, "yaml-error").text, "no error shown")
    assert "us_rol: unknown key" in shown and "did you mean 'us_role'" in shown
    date = d.find_element(By.ID, "field-date")
    date.send_keys("2025-13-45")
    error = wait_for(
        d, lambda d: d.find_element(By.CSS_SELECTOR, "[data-error-for='date']").text, "no error beside the date"
    )
    assert "date" in error
    # keyboard: the first Tab reaches the skip link, which moves to the verdicts
    d.get(server + "?again")
    wait_for(d, lambda d: d.find_element(By.ID, "status").text.startswith("Judged"), "the page never judged")
    ActionChains(d).send_keys(Keys.TAB).perform()
    assert d.switch_to.active_element.get_attribute("class") == "skip"
    d.switch_to.active_element.send_keys(Keys.ENTER)
    assert d.switch_to.active_element.get_attribute("id") == "verdicts"
    errors = [e for e in console_errors(d) if "/api/" not in e["message"]]  # the 422s are expected
    assert errors == []


def link_to(server: str, state: Any, query: str = "link") -> str:
    """A shared link to `state` as the page writes it (URL-safe base64 of its JSON, no padding); `query` makes
    it another page than the one open (a link that differs only after the # is not loaded again)."""
    import base64

    text = base64.urlsafe_b64encode(json.dumps(state).encode("utf-8")).decode("ascii").rstrip("=")
    return f"{server}?{query}#s={text}"


def test_a_link_with_wrong_types_keeps_what_is_valid_and_says_what_it_left_out(server: str, browser: WebDriver) -> None:
    """A link is text anyone may write: a field of the wrong type is left out (and named), the rest used."""
    d = browser
    original = api(server, f"api/proposals/{EXAMPLE}")["proposal"]
    claim = api(server, "api/claims")[0]["id"]
    changes = {"set": "us_role=backstop", "add": 5, "as_of": [1], "unset": [3], "open": [], "reject": [claim]}
    d.get(link_to(server, {"p": original, "c": {**changes, "stance": ["x"]}, "f": 5, "n": 7}))
    judged(d, original["title"])
    notice = d.find_element(By.ID, "link-notice").text
    for part in ("changes.set", "changes.add", "changes.as_of", "changes.unset", "changes.stance", "focus"):
        assert part in notice, notice
    assert "changes.reject" not in notice and "changes.open" not in notice
    # what was valid is kept: the proposal, and the list of text (which the server then judges)
    wait_for(d, lambda d: f"reject claim {claim}" in d.find_element(By.ID, "change-list").text, "no valid change")
    assert d.find_element(By.ID, f"reject-{claim}").is_selected()
    assert d.find_element(By.ID, "map-focus").get_attribute("value") == ""
    assert console_errors(d) == [] or all("/api/" in e["message"] for e in console_errors(d))

    # a link that is not a view at all starts afresh: the first file, no changes, no error
    for broken in (link_to(server, [1, 2], "list"), link_to(server, {"p": "x", "c": "y"}, "text"), f"{server}?bad#s=%"):
        d.get(broken)
        first = next(f for f in api(server, "api/proposals") if "error" not in f)
        judged(d, first["title"])
        assert d.find_element(By.ID, "link-notice").is_displayed()
        assert d.find_element(By.ID, "change-list").text == ""
    assert [e for e in console_errors(d) if "/api/" not in e["message"]] == []


def test_map_is_focused_with_quotes(server: str, browser: WebDriver) -> None:
    d = browser
    d.get(server)
    wait_for(d, lambda d: d.find_element(By.ID, "status").text.startswith("Judged"), "the page never judged")
    verdicts = api(server, "api/vocabulary")["verdicts"]
    focus = verdicts[1]["name"] if len(verdicts) > 1 else verdicts[0]["name"]
    d.find_element(By.CSS_SELECTOR, "#map-details summary").click()
    Select(d.find_element(By.ID, "map-focus")).select_by_value(focus)
    wait_for(d, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#map-body ul.map > li")) == 1, "no focused map")
    label = next(v["label"] for v in verdicts if v["name"] == focus)
    root = d.find_element(By.CSS_SELECTOR, "#map-body ul.map > li > .node.verdict").text
    assert label.split()[0].lower() in root.lower(), root
    claims = d.find_elements(By.CSS_SELECTOR, "#map-body .node.claim")
    assert claims and all(c.get_attribute("title") for c in claims)  # the quote on hover
    assert console_errors(d) == []


def test_another_knowledge_base(browser: WebDriver) -> None:
    proc, url = start_server("--kb", str(FEDERALIST / "rules" / "main.lp"))
    try:
        d = browser
        d.get(url)
        wait_for(d, lambda d: d.find_element(By.ID, "status").text.startswith("Judged"), "the page never judged")
        text = d.find_element(By.TAG_NAME, "body").text
        for foreign in ("Ukraine", "Russia", "NATO", "us_role"):
            assert foreign not in text
        voc = Argmap([str(FEDERALIST / "rules" / "main.lp")]).vocabulary
        assert all(d.find_elements(By.CSS_SELECTOR, f"[data-key='{key}']") for key in voc.components)
        assert console_errors(d) == []
    finally:
        stop_server(proc)
