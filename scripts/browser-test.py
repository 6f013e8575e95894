#!/usr/bin/env python3
"""Real-browser test of `ogilint serve`: Chromium (Debian's chromium + chromium-driver) driven by Selenium.

Starts `ogilint serve` on a free loopback port, uploads a clean sample and a broken one through the file
dialog's input, checks the counts the page shows against `ogilint check --format json`, clicks a finding and
checks that its cell is marked (and back: a marked cell selects its finding), opens a rule's explanation,
builds a suppression entry, downloads the JSON and compares it with `ogilint check --format json`, checks the
Host guard, and saves screenshots.

Usage: scripts/browser-test.py [--ogilint PATH] [--out DIR] [--readme-shot PATH]
Exit 0 when every check passed, 1 on a failed check, 2 when the tools are missing.
"""
import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLEAN = "samples/clean-2021-government.txt"
BROKEN = "samples/broken/app-balance.txt"
CELL_TO_FIX = "samples/broken/app-cell-to-fix.txt"


def fail(message):
    print(f"browser-test: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)
    print(f"browser-test: ok: {message}")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli_json(ogilint, *files):
    out = subprocess.run([ogilint, "check", "--no-config", "--format", "json", *files], cwd=ROOT,
                         capture_output=True, text=True)
    if out.returncode not in (0, 1):
        fail(f"ogilint check failed: {out.stderr}")
    return json.loads(out.stdout)


def without_paths(doc):
    doc = json.loads(json.dumps(doc))
    for r in doc["reports"]:
        r["path"] = os.path.basename(r["path"])
    return doc


def find_tool(*names):
    for n in names:
        p = shutil.which(n)
        if p:
            return p
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ogilint", default=os.path.join(ROOT, ".build", "debug", "ogilint"))
    ap.add_argument("--out", default=os.path.join(ROOT, ".build", "browser-test"))
    ap.add_argument("--readme-shot", help="also save the report view here (e.g. docs/img/serve.png)")
    args = ap.parse_args()

    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        from selenium.webdriver.support.ui import WebDriverWait
        from selenium.common.exceptions import StaleElementReferenceException
    except ImportError:
        print("browser-test: selenium is missing (pip install selenium)", file=sys.stderr)
        sys.exit(2)
    chromium = find_tool("chromium", "chromium-browser")
    driver_path = find_tool("chromedriver")
    if not chromium or not driver_path or not os.path.exists(args.ogilint):
        print(f"browser-test: missing chromium ({chromium}), chromedriver ({driver_path}) or ogilint ({args.ogilint})", file=sys.stderr)
        sys.exit(2)

    os.makedirs(args.out, exist_ok=True)
    downloads = tempfile.mkdtemp(prefix="ogilint-downloads-")
    port = free_port()
    server = subprocess.Popen([args.ogilint, "serve", "--port", str(port)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    driver = None
    try:
        line = server.stdout.readline()
        check(f"http://127.0.0.1:{port}/" in line, f"serve prints the address to open ({line.strip()})")
        base = f"http://127.0.0.1:{port}"

        # DNS rebinding: a request naming another host is refused; the loopback name is accepted.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/healthz", headers={"Host": f"rebind.example:{port}"})
        r = conn.getresponse()
        body = json.loads(r.read())
        check(r.status == 421 and "does not answer" in body["error"]["message"], "a foreign Host header is refused with 421 and a JSON message")
        conn.request("GET", "/healthz", headers={"Host": f"localhost:{port}"})
        r = conn.getresponse()
        check(r.status == 200 and json.loads(r.read())["status"] == "ok", "Host: localhost is accepted")
        conn.close()

        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800",
                  "--lang=zh-CN", "--disable-gpu", "--force-device-scale-factor=1"]:
            options.add_argument(a)
        options.add_experimental_option("prefs", {"download.default_directory": downloads,
                                                  "download.prompt_for_download": False})
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
        driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
        # The page's own viewport at 1280×800, whatever the headless window's frame takes.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False})
        # The page re-renders its panels; an element found just before a re-render goes stale, so a wait
        # looks it up again instead of failing.
        wait = WebDriverWait(driver, 30, ignored_exceptions=[StaleElementReferenceException])
        driver.get(base + "/")
        check("ogilint" in driver.title, "the page loads")
        driver.save_screenshot(os.path.join(args.out, "1-empty.png"))

        # Upload both samples through the file dialog's input.
        file_input = driver.find_element(By.ID, "file-input")
        driver.execute_script("arguments[0].hidden = false;", file_input)
        file_input.send_keys(os.path.join(ROOT, CLEAN) + "\n" + os.path.join(ROOT, BROKEN))
        driver.execute_script("arguments[0].hidden = true;", file_input)
        wait.until(lambda d: "已检查 2 个文件" in d.find_element(By.ID, "status").text)

        expected = cli_json(args.ogilint, CLEAN, BROKEN)["summary"]
        shown = {k: int(driver.find_element(By.ID, f"sum-{k}").text) for k in ("errors", "warnings", "infos")}
        check(shown == {k: expected[k] for k in ("errors", "warnings", "infos")},
              f"the counts shown {shown} equal check's summary")
        rows = driver.find_elements(By.CSS_SELECTOR, "#files tbody tr")
        check(len(rows) == 2, "the index lists both files")
        names = [r.find_element(By.CSS_SELECTOR, "td.name button").text for r in rows]
        check(names[0] == "app-balance.txt", f"the worst file is listed first ({names})")
        broken = cli_json(args.ogilint, BROKEN)["reports"][0]["findings"]
        check(rows[0].get_attribute("data-errors") == str(sum(f["severity"] == "error" for f in broken)),
              "the broken file's error count in the index equals check's")
        check(rows[1].get_attribute("data-errors") == "0" and rows[1].get_attribute("data-warnings") == "0",
              "the clean file shows no errors or warnings")

        # Sorting by name puts the clean file first.
        driver.find_element(By.CSS_SELECTOR, '#files th button[data-sort="name"]').click()
        names = [b.text for b in driver.find_elements(By.CSS_SELECTOR, "#files tbody td.name button")]
        check(names == sorted(names), f"sorting by name ({names})")
        driver.find_element(By.CSS_SELECTOR, '#files th button[data-sort="name"]').click()
        names = [b.text for b in driver.find_elements(By.CSS_SELECTOR, "#files tbody td.name button")]
        check(names == sorted(names, reverse=True), f"sorting by name again reverses it ({names})")
        driver.find_element(By.CSS_SELECTOR, '#files th button[data-sort="errors"]').click()
        names = [b.text for b in driver.find_elements(By.CSS_SELECTOR, "#files tbody td.name button")]
        check(names[0] == "app-balance.txt", "sorting by errors puts the broken file first")

        driver.save_screenshot(os.path.join(args.out, "2-report-top.png"))
        # The broken report is selected; click its first finding's locate button.
        check(driver.find_element(By.ID, "report-title").text == "app-balance.txt", "the worst report is shown")
        first = broken[0]
        finding = driver.find_element(By.ID, "finding-0")
        check(first["message"] in finding.text, "the finding's message is shown")
        finding.find_element(By.CSS_SELECTOR, "button.goto").click()
        cell = driver.find_element(By.CSS_SELECTOR, f'td[data-cell="{first["location"]["cell"]}"]')
        classes = cell.get_attribute("class").split()
        check("marked" in classes and "sev-error" in classes, f"clicking the finding marks its cell {first['location']['cell']} ({classes})")
        check(driver.switch_to.active_element == cell, "focus moves to the cell")
        check(cell.text.strip() != "" and cell.text.strip() != "—", f"the cell shows its value ({cell.text})")
        driver.save_screenshot(os.path.join(args.out, "3-finding-cell.png"))
        if args.readme_shot:
            driver.save_screenshot(args.readme_shot)

        # Back: another marked cell, chosen with the keyboard, selects its finding.
        second = broken[1]["location"]["cell"]
        other = driver.find_element(By.CSS_SELECTOR, f'td[data-cell="{second}"]')
        other.send_keys(Keys.ENTER)
        current = driver.find_elements(By.CSS_SELECTOR, ".finding.current")
        check(len(current) == 1 and current[0].get_attribute("id") == "finding-1", "Enter on a marked cell selects its finding")

        # Filters: hiding errors hides both findings and unmarks the cells.
        driver.find_element(By.CSS_SELECTOR, 'input[data-sev="error"]').click()
        check(len(driver.find_elements(By.CSS_SELECTOR, "#findings .finding")) == 0, "the severity filter hides errors")
        check(len(driver.find_elements(By.CSS_SELECTOR, "td.sev-error")) == 0, "and unmarks their cells")
        driver.find_element(By.CSS_SELECTOR, 'input[data-sev="error"]').click()

        # Rule explanation on demand.
        driver.find_element(By.CSS_SELECTOR, "#finding-0 button.explain").click()
        wait.until(lambda d: first["rule"] + " — " in d.find_element(By.ID, "rule-title").text)
        check(driver.find_element(By.ID, "rule-dialog").get_attribute("open") is not None, "the rule explanation opens")
        driver.save_screenshot(os.path.join(args.out, "4-rule.png"))
        driver.find_element(By.ID, "rule-dialog").send_keys(Keys.ESCAPE)
        wait.until(lambda d: d.find_element(By.ID, "rule-dialog").get_attribute("open") is None)

        # A suppression entry with its reason.
        driver.find_element(By.CSS_SELECTOR, "#finding-0 button.suppress").click()
        reason = driver.find_element(By.ID, "suppress-reason")
        reason.send_keys("测试理由")
        driver.find_element(By.ID, "suppress-copy").click()
        yaml = driver.find_element(By.ID, "suppress-yaml").get_attribute("value")
        check(f"rule: {first['rule']}" in yaml and f"cell: {first['location']['cell']}" in yaml and '"测试理由"' in yaml,
              "the suppression entry names the rule, the cell and the reason")
        driver.find_element(By.ID, "suppress-dialog").send_keys(Keys.ESCAPE)

        # Download this report's JSON and compare it with `check --format json`.
        driver.find_element(By.CSS_SELECTOR, 'button[data-download="json"][data-scope="one"]').click()
        target = os.path.join(downloads, "ogilint-app-balance.json")
        for _ in range(100):
            if os.path.exists(target) and not os.path.exists(target + ".crdownload"):
                break
            time.sleep(0.1)
        check(os.path.exists(target), "the JSON download arrives")
        with open(target, encoding="utf-8") as f:
            downloaded = json.load(f)
        check(downloaded == without_paths(cli_json(args.ogilint, BROKEN)), "the downloaded JSON equals `ogilint check --format json`")

        # The clean report, from the index, by keyboard.
        button = [b for b in driver.find_elements(By.CSS_SELECTOR, "#files tbody td.name button") if b.text == "clean-2021-government.txt"][0]
        button.send_keys(Keys.ENTER)
        wait.until(lambda d: d.find_element(By.ID, "report-title").text == "clean-2021-government.txt")
        check("没有发现问题" in driver.find_element(By.ID, "report").text, "the clean report says there is nothing to fix")
        check(len(driver.find_elements(By.CSS_SELECTOR, "table.grid")) >= 5, "its tables are drawn")
        driver.save_screenshot(os.path.join(args.out, "5-clean.png"))

        # A laptop screen at 125% zoom: 1280×800 device pixels are 1024×640 CSS pixels.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 1024, "height": 640, "deviceScaleFactor": 1.25, "mobile": False})
        [b for b in driver.find_elements(By.CSS_SELECTOR, "#files tbody td.name button") if b.text == "app-balance.txt"][0].click()
        overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        check(overflow <= 0, f"at 125% zoom the page needs no sideways scrolling (overflow {overflow}px)")
        driver.save_screenshot(os.path.join(args.out, "6-zoom-125.png"))

        # The suspected cell: a report whose table names one cell to fix marks that cell apart, with its value.
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        file_input = driver.find_element(By.ID, "file-input")
        driver.execute_script("arguments[0].hidden = false;", file_input)
        file_input.send_keys(os.path.join(ROOT, CELL_TO_FIX))
        driver.execute_script("arguments[0].hidden = true;", file_input)
        wait.until(lambda d: d.find_element(By.ID, "report-title").text == os.path.basename(CELL_TO_FIX))
        fixes = [f for f in cli_json(args.ogilint, CELL_TO_FIX)["reports"][0]["findings"] if f.get("suggestion")]
        check(fixes, "the cell-to-fix sample names a cell to change")
        suggestion = fixes[0]["suggestion"]
        suspects = driver.find_elements(By.CSS_SELECTOR, "td.suspect")
        check([c.get_attribute("data-cell") for c in suspects] == [suggestion["cell"]],
              f"only the suspected cell {suggestion['cell']} is marked apart ({[c.get_attribute('data-cell') for c in suspects]})")
        check(suspects[0].get_attribute("data-suggested") == suggestion["suggested_value"], "the mark carries the suggested value")
        check(len(driver.find_elements(By.CSS_SELECTOR, "td.sev-error:not(.suspect)")) >= 1, "cells that only take part are not marked as suspected")
        check(driver.find_elements(By.CSS_SELECTOR, ".legend .ls"), "the legend explains the mark")
        li = [e for e in driver.find_elements(By.CSS_SELECTOR, ".finding") if e.find_elements(By.CSS_SELECTOR, ".suspect")][0]
        check("建议改为 " + suggestion["suggested_value"] in li.text, f"the finding says the suggested value ({li.text})")
        suspects[0].send_keys(Keys.ENTER)
        check(any(c.find_elements(By.CSS_SELECTOR, ".suspect") for c in driver.find_elements(By.CSS_SELECTOR, ".finding.current")),
              "Enter on the suspected cell selects its finding")
        driver.save_screenshot(os.path.join(args.out, "7-suspected-cell.png"))

        logs = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
        check(not logs, f"no errors in the browser console {logs}")
        print(f"browser-test: all checks passed; screenshots in {args.out}")
    finally:
        if driver:
            driver.quit()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(downloads, ignore_errors=True)
    check(server.returncode == 0, f"serve stops cleanly on SIGTERM (exit {server.returncode})")


if __name__ == "__main__":
    main()
