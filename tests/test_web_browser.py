"""The workbench in a real Chromium (Debian's chromium + chromedriver, driven by selenium),
written as its users' stories. DOSSIER_SCREENSHOTS=folder keeps a screenshot of each page."""
from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as until
from selenium.webdriver.support.ui import WebDriverWait

from dossier import operations as ops
from tests.webcity import PASSWORD, SCRIPT_TITLE, LiveServer, make_city

CHROMIUM, CHROMEDRIVER = shutil.which("chromium") or "/usr/bin/chromium", shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1366,768", "--lang=zh-CN"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    ws = make_city(tmp_path_factory.mktemp("浏览器"), docs=60)
    ops.build(ws, formats={"docx"})
    with LiveServer(ws) as server:
        yield ws, server.url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS + [f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(2)
    yield driver
    driver.quit()


def _screenshot(driver, name: str, tmp_path: Path) -> None:
    keep = os.environ.get("DOSSIER_SCREENSHOTS")
    target = Path(keep) if keep else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(target / f"{name}.png"))
    assert (target / f"{name}.png").read_bytes()[:4] == b"\x89PNG"


def _log_in(driver, url: str, name: str) -> None:
    driver.delete_all_cookies()
    driver.get(url + "/login")
    driver.find_element(By.NAME, "name").send_keys(name)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD + Keys.ENTER)
    WebDriverWait(driver, 10).until(until.presence_of_element_located((By.CSS_SELECTOR, "form.me")))


def _loads(driver, act) -> None:
    """Do `act` (a click or an Enter that loads a page), then wait until the new page has replaced
    the old one: reading at once could find the old page's elements (and their old numbers)."""
    old = driver.find_element(By.TAG_NAME, "html")
    act()
    WebDriverWait(driver, 20).until(until.staleness_of(old))


def _fetch(driver, url: str, with_token: bool) -> int:
    """A write from the page's own script, with or without the CSRF token; its HTTP status."""
    return driver.execute_async_script("""
        const [url, withToken, done] = arguments;
        const token = document.querySelector('script[data-csrf]').getAttribute('data-csrf');
        fetch(url, {method: 'POST', headers: Object.assign({'Content-Type': 'application/json'},
                    withToken ? {'X-CSRF-Token': token} : {}), body: JSON.stringify({kind: 'activity'})})
          .then(r => done(r.status));""", url, with_token)


def test_an_auditor_searches_filters_by_year_and_opens_the_hit(site, browser, tmp_path):
    ws, url = site
    _log_in(browser, url, "督查")
    box = browser.find_element(By.NAME, "q")
    _loads(browser, lambda: box.send_keys("垃圾分类" + Keys.ENTER))
    total = int(browser.find_element(By.ID, "total").text)
    assert total == ops.search(ws, "垃圾分类").total > 1
    assert browser.find_element(By.CSS_SELECTOR, ".snippet mark").text == "垃圾分类"
    _screenshot(browser, "search", tmp_path)
    _loads(browser, lambda: browser.find_element(By.NAME, "year").send_keys("2025" + Keys.ENTER))
    in_2025 = int(browser.find_element(By.ID, "total").text)
    assert in_2025 == ops.search(ws, "垃圾分类", ops.DocumentFilter(year=2025)).total
    assert 0 < in_2025 < total
    hit = next(a for a in browser.find_elements(By.CSS_SELECTOR, ".hit a.title") if "工作总结" in a.text)
    _loads(browser, hit.click)
    assert browser.find_element(By.CSS_SELECTOR, "h1 mark").text == "垃圾分类"
    preview = browser.find_element(By.CSS_SELECTOR, "img.page")
    WebDriverWait(browser, 20).until(lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", preview))
    assert browser.execute_script("return arguments[0].naturalWidth", preview) > 300
    _screenshot(browser, "document", tmp_path)
    browser.find_element(By.CSS_SELECTOR, "[data-hit='1']").click()
    assert browser.find_element(By.CSS_SELECTOR, ".text mark.current").text == "垃圾分类"


def test_a_reviewer_opens_a_missing_cell_and_prints_a_department_list(site, browser, tmp_path):
    ws, url = site
    _log_in(browser, url, "督查")
    browser.get(url + "/coverage")
    _screenshot(browser, "coverage", tmp_path)
    cell = browser.find_element(By.CSS_SELECTOR, "td.cell.missing a")
    _loads(browser, cell.click)
    assert "这里还没有文件" in browser.find_element(By.CSS_SELECTOR, "p.problem").text
    browser.get(url + "/departments")
    _screenshot(browser, "departments", tmp_path)
    _loads(browser, browser.find_element(By.LINK_TEXT, "打印催报单").click)
    assert "催报单" in browser.find_element(By.TAG_NAME, "h1").text
    rows = browser.find_elements(By.CSS_SELECTOR, "table.print tr")
    assert len(rows) > 1
    pdf = base64.b64decode(browser.print_page())
    assert pdf[:5] == b"%PDF-"
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert browser.find_element(By.CSS_SELECTOR, "header.bar").value_of_css_property("display") == "none"
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_the_data_group_triages_five_documents_by_keyboard_and_the_matrix_changes(site, browser, tmp_path):
    ws, url = site
    before = ops.coverage(ws).report.as_json()
    _log_in(browser, url, "资料组")
    browser.get(url + "/review")
    _screenshot(browser, "review", tmp_path)
    items = browser.find_elements(By.CSS_SELECTOR, "li.item")
    accepted = []
    body = browser.find_element(By.TAG_NAME, "body")
    for item in items:
        if len(accepted) == 5:
            break
        assert "focus" in item.get_attribute("class")
        if item.get_attribute("data-suggest"):
            accepted.append((int(item.get_attribute("data-doc")), item.get_attribute("data-suggest")))
            body.send_keys("a")
        else:
            body.send_keys("s")
    assert len(accepted) == 5
    WebDriverWait(browser, 10).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "li.item.done")) == 5)
    for doc_id, code in accepted:
        tag = next(t for t in ops.show(ws, str(doc_id))["tags"] if t["code"] == code)
        assert tag["status"] == "accepted"
        assert any(e.get("user") == "资料组" for e in ops.document(ws, str(doc_id))["events"])
    assert ops.coverage(ws).report.as_json() != before
    browser.get(url + "/coverage")
    assert "材料矩阵" in browser.title


def test_a_viewer_cannot_write_and_a_write_without_the_token_is_refused(site, browser):
    ws, url = site
    _log_in(browser, url, "督查")
    assert not browser.find_elements(By.LINK_TEXT, "待审核")
    doc = ops.list_docs(ws)[0]["id"]
    assert _fetch(browser, f"/api/docs/{doc}/decisions", with_token=True) == 403
    _log_in(browser, url, "资料组")
    browser.get(url + "/search")
    assert _fetch(browser, f"/api/docs/{doc}/decisions", with_token=False) == 403
    assert _fetch(browser, f"/api/docs/{doc}/decisions", with_token=True) == 200


def test_a_script_in_a_title_stays_text_and_traversal_is_not_found(site, browser, tmp_path):
    ws, url = site
    _log_in(browser, url, "管理员")
    doc = next(d for d in ops.list_docs(ws) if d["title"] == SCRIPT_TITLE)
    browser.get(f"{url}/docs/{doc['id']}")
    assert browser.find_element(By.TAG_NAME, "h1").text == SCRIPT_TITLE
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text
    browser.get(url + "/volumes/files/..%2F..%2Fcatalog.sqlite")
    assert "404" in browser.find_element(By.TAG_NAME, "h1").text
    browser.get(url + "/volumes")
    assert browser.find_elements(By.CSS_SELECTOR, "table.list a")       # the built volumes, downloadable
    _screenshot(browser, "volumes", tmp_path)
