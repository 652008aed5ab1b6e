#!/usr/bin/env python3
"""The counter and plan-review screens in a real headless Chromium.

Starts `ruralpost serve` on its own embedded PostgreSQL (a temporary data directory),
a webhook receiver that checks every delivery's signature with its own HMAC (the
pickup codes reach the test only through it, as they reach a villager through the SMS
gateway), loads master data and orders through the API, and drives the screens with
Selenium: sign-in, check-in of three parcels (one of another carrier), a full point
shown before sending, hand-over with the right code, wrong codes with tries left,
lock-out explained, unlock, rate limit explained, produce collection registered and
cancelled, a plan queued, refreshed until done, committed and its routes shown.
Screenshots of each screen at 360 px and 1280 px go to --screenshots.

Everything started here is stopped at the end (browser, server, its PostgreSQL).
Exit 0 when every step passed; the last line is `browser: N passed, M failed`.
"""

import argparse
import datetime
import glob
import hashlib
import hmac
import http.client
import http.server
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WAIT = 30  # seconds for any one thing to appear


def log(*parts):
    print("[browser]", *parts, flush=True)


def free_port(low, high):
    """A free loopback port in [low, high], starting at a random place."""
    ports = list(range(low, high + 1))
    start = random.randrange(len(ports))
    for port in ports[start:] + ports[:start]:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError(f"no free port in {low}-{high}")


# ---------------------------------------------------------------- webhook receiver

class WebhookReceiver:
    """Receives `arrived` notifications; verifies `sha256=HMAC(secret, ts + "." + body)`."""

    def __init__(self, secret, port):
        self.secret = secret.encode()
        self.deliveries = []
        self.rejected = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                ts = self.headers.get("X-RuralPost-Timestamp", "")
                sig = self.headers.get("X-RuralPost-Signature", "")
                want = "sha256=" + hmac.new(receiver.secret, ts.encode() + b"." + body, hashlib.sha256).hexdigest()
                fresh = ts.isdigit() and abs(time.time() - int(ts)) < 300
                if not (fresh and hmac.compare_digest(want, sig)):
                    with receiver.lock:
                        receiver.rejected += 1
                    self.send_response(401)
                    self.end_headers()
                    return
                with receiver.lock:
                    receiver.deliveries.append((self.headers.get("X-RuralPost-Event"), json.loads(body)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def code_for(self, tracking, timeout=WAIT):
        """The pickup code sent for the parcel `tracking`."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                for event, body in self.deliveries:
                    if event == "arrived" and tracking in [p["trackingNo"] for p in body.get("parcels", [])]:
                        return body["code"], body
            time.sleep(0.1)
        raise AssertionError(f"no arrived notification for {tracking} within {timeout}s (rejected {self.rejected})")

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


# ---------------------------------------------------------------- server and API

class Server:
    """`ruralpost serve` on an embedded PostgreSQL in `data_dir`."""

    def __init__(self, binary, data_dir, port, log_path):
        self.binary, self.data_dir, self.port = binary, data_dir, port
        self.base = f"http://127.0.0.1:{port}"
        self.log = open(log_path, "w")
        env = dict(os.environ, LOG_LEVEL="info")
        env.pop("DATABASE_URL", None)
        self.process = subprocess.Popen(
            [binary, "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", data_dir],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        deadline = time.time() + 180
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"ruralpost serve exited with {self.process.returncode}; see {log_path}")
            try:
                if self.get("/readyz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("ruralpost serve did not become ready within 180 s")

    def cli(self, *args):
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        out = subprocess.run([self.binary, *args, "--data-dir", self.data_dir], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise RuntimeError(f"ruralpost {' '.join(args)}: {out.stderr}")
        return out.stdout.strip()

    def request(self, method, path, key=None, body=None, headers=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if key:
            req.add_header("Authorization", f"Bearer {key}")
        if body is not None:
            req.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            req.add_header(name, value)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                raw = resp.read()
                return resp.status, (json.loads(raw) if raw and resp.headers.get_content_type() == "application/json" else raw)
        except urllib.error.HTTPError as err:
            raw = err.read()
            try:
                return err.code, json.loads(raw)
            except ValueError:
                return err.code, raw

    def get(self, path, key=None):
        return self.request("GET", path, key)

    def must(self, method, path, key, body=None, status=(200, 201, 202), headers=None):
        code, data = self.request(method, path, key, body, headers)
        if code not in status:
            raise AssertionError(f"{method} {path}: {code} {data}")
        return data

    def raw_get(self, path):
        """A GET sent byte for byte (no client-side path normalisation)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
        return resp.status, dict(resp.getheaders()), body

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()  # SIGTERM: graceful shutdown stops its PostgreSQL too
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(timeout=10)
        self.log.close()
        stop_leftover_postgres(self.data_dir)


def stop_leftover_postgres(data_dir):
    """Stops a PostgreSQL still running on `data_dir` (after a crash of the server)."""
    pid_file = os.path.join(data_dir, "postmaster.pid")
    if not os.path.exists(pid_file):
        return
    pg_ctl = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")) or [shutil.which("pg_ctl")]
    if not pg_ctl or not pg_ctl[-1]:
        return
    command = [pg_ctl[-1], "-D", data_dir, "-m", "immediate", "-w", "stop"]
    if os.geteuid() == 0:
        command = ["/usr/sbin/runuser", "-u", "postgres", "--"] + command
    subprocess.run(command, capture_output=True, timeout=60)


# ---------------------------------------------------------------- world

WEEK = {day: [["06:00", "21:00"]] for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}


class World:
    """Master data, keys and parcels for the screens."""

    def __init__(self, server, hook):
        s = self.s = server
        self.admin = server.cli("keys", "create", "--role", "admin", "--name", "browser test admin")
        a = self.admin
        self.depot = s.must("POST", "/v1/depots", a, {"code": "DEP-T", "name": "县城配送中心", "lat": 30.0, "lon": 118.0})["id"]
        centre = s.must("POST", "/v1/service-centres", a, {
            "code": "SC-T", "name": "清溪服务中心", "webhookUrl": hook.url, "webhookSecret": hook.secret.decode()})["id"]
        other = s.must("POST", "/v1/service-centres", a, {"code": "SC-O", "name": "Other centre"})["id"]

        def point(code, name, centre_id, capacity, lat, lon):
            return s.must("POST", "/v1/pickup-points", a, {
                "code": code, "name": name, "kind": "village_station", "lat": lat, "lon": lon,
                "serviceCentreId": centre_id, "depotId": self.depot, "openingHours": WEEK,
                "slotCapacity": capacity, "holdDays": 3, "extensionDays": 2})["id"]

        self.p1 = point("PP-1", "清溪村驿站", centre, 4, 30.05, 118.04)
        self.p2 = point("PP-2", "石门村驿站", centre, 20, 30.09, 117.95)
        self.p3 = point("PP-3", "桃源村驿站", centre, 20, 29.94, 118.07)
        self.px = point("PP-X", "Elsewhere station", other, 10, 30.2, 118.2)
        warehouse = s.must("POST", "/v1/warehouses", a, {
            "code": "WH-T", "name": "县城云仓", "kind": "regional", "lat": 30.01, "lon": 118.01,
            "coldChain": False, "dailyCapacity": 5000})["id"]
        merchant = s.must("POST", "/v1/merchants", a, {"code": "M-TEA", "name": "黄山茶农合作社"})["id"]
        s.must("POST", "/v1/skus", a, {"code": "TEA", "merchantId": merchant, "name": "毛峰 250g", "grams": 600,
                                       "cm3": 1500, "category": "general"})
        s.must("POST", f"/v1/warehouses/{warehouse}/inventory/receive", a, {"sku": "TEA", "qty": 500, "reason": "inbound"})
        s.must("POST", "/v1/tariffs", a, {"code": "T1", "name": "Standard", "handlingFen": 100, "parcelMaxGrams": 20000,
                                         "isDefault": True, "zones": [{"maxKm": 5000, "firstKgFen": 600, "additionalKgFen": 200}]})
        for n in (1, 2):
            s.must("POST", "/v1/vehicles", a, {
                "code": f"VAN-{n}", "depotId": self.depot, "kind": "van", "capacityGrams": 600000, "capacityCm3": 3000000,
                "shiftStart": "07:00", "shiftEnd": "19:00", "fixedCostFen": 8000, "perKmFen": 150})
        self.centre_key = s.cli("keys", "create", "--role", "service_centre", "--scope", "service_centre:SC-T", "--name", "counter")
        self.planner_key = s.cli("keys", "create", "--role", "planner", "--scope", "depot:DEP-T", "--name", "planner")
        self.orders = 0

    def order(self, point_code, phone, walk_to):
        """An order picked up at `point_code`, its shipment walked to `walk_to`; returns the shipment."""
        self.orders += 1
        order = self.s.must("POST", "/v1/orders", self.admin, {
            "merchant": "M-TEA", "channel": "online", "recipient": {"name": "村民", "phone": phone},
            "delivery": {"mode": "pickup", "pickupPoint": point_code}, "lines": [{"sku": "TEA", "qty": 2}],
        }, headers={"Idempotency-Key": f"browser-{self.orders}"})
        shipment = order["shipments"][0]
        steps = ["picked", "packed", "dispatched", "at_depot", "out_for_delivery"]
        for status in steps[: steps.index(walk_to) + 1]:
            self.s.must("POST", f"/v1/shipments/{shipment['id']}/status", self.admin, {"status": status})
        return shipment


# ---------------------------------------------------------------- browser

class Browser:
    PHONE = (360, 780)
    DESKTOP = (1280, 900)

    def __init__(self, base, shots):
        options = webdriver.ChromeOptions()
        options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
                    "--disable-extensions", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--metrics-recording-only", "--password-store=basic",
                    f"--window-size={self.DESKTOP[0]},{self.DESKTOP[1]}", "--lang=zh-CN"]:
            options.add_argument(arg)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"), log_output=os.devnull)
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(WAIT)
        self.base = base
        self.shots = shots
        self.console_errors = []
        self.size(*self.DESKTOP)

    def size(self, width, height, mobile=False):
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def open(self, path="/app/"):
        self.driver.get(self.base + path)

    def wait(self, condition, what, timeout=WAIT):
        try:
            return WebDriverWait(self.driver, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(
                lambda d: condition())
        except Exception as err:
            raise AssertionError(f"timed out waiting for {what}") from err

    def css(self, selector):
        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def all(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def visible(self, selector):
        return self.wait(lambda: next((e for e in self.all(selector) if e.is_displayed()), None), selector)

    def text_of(self, selector):
        return self.visible(selector).text

    def wait_text(self, selector, pattern, timeout=WAIT):
        regex = re.compile(pattern)
        return self.wait(lambda: next((e.text for e in self.all(selector) if regex.search(e.text or "")), None),
                         f"{selector} to show /{pattern}/", timeout)

    def field(self, name):
        return self.visible(f'[name="{name}"]')

    def field_error(self, name):
        return self.css(f'.field-error[data-for="{name}"]').text

    def type(self, name, text, enter=False):
        el = self.field(name)
        el.clear()
        el.send_keys(text + (Keys.ENTER if enter else ""))
        return el

    def click(self, selector):
        el = self.visible(selector)
        self.wait(lambda: el.is_enabled(), f"{selector} enabled")
        el.click()

    def click_text(self, selector, pattern):
        regex = re.compile(pattern)
        el = self.wait(lambda: next((e for e in self.all(selector) if e.is_displayed() and regex.search(e.text)), None),
                       f"{selector} /{pattern}/")
        el.click()

    def shot(self, name):
        """Full-page screenshots at phone and desktop width."""
        for label, (width, height), mobile in (("phone", self.PHONE, True), ("desktop", self.DESKTOP, False)):
            self.size(width, height, mobile)
            time.sleep(0.25)
            full = self.driver.execute_script(
                "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)")
            self.size(width, min(max(height, full), 6000), mobile)
            time.sleep(0.25)
            shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False})
            import base64
            with open(os.path.join(self.shots, f"{name}-{label}.png"), "wb") as f:
                f.write(base64.b64decode(shot["data"]))
        self.size(*self.DESKTOP)
        time.sleep(0.1)

    def collect_console(self):
        for entry in self.driver.get_log("browser"):
            message = entry.get("message", "")
            # 4xx answers the screens handle (wrong code, 409 ...) are logged by Chromium
            # as failed loads; script errors are what this collects.
            if entry.get("level") == "SEVERE" and "Failed to load resource" not in message:
                self.console_errors.append(message)

    def quit(self):
        try:
            self.driver.quit()
        except WebDriverException:
            pass


# ---------------------------------------------------------------- the steps

class Run:
    def __init__(self, server, world, hook, browser):
        self.s, self.w, self.hook, self.b = server, world, hook, browser
        self.passed, self.failed = [], []

    def step(self, name, fn):
        log("step:", name)
        started = time.time()
        try:
            fn()
            self.b.collect_console()
            if self.b.console_errors:
                raise AssertionError(f"script errors in the browser console: {self.b.console_errors}")
            self.passed.append(name)
            log(f"  ok ({time.time() - started:.1f}s)")
            return True
        except Exception:
            self.failed.append(name)
            log("  FAILED:\n" + traceback.format_exc())
            try:
                self.b.driver.save_screenshot(os.path.join(self.b.shots, f"FAILED-{name}.png"))
            except WebDriverException:
                pass
            return False

    # -- static files and their headers, against the real server
    def static_files(self):
        status, headers, body = self.s.raw_get("/app/")
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8", (status, headers)
        assert "default-src 'self'" in headers.get("Content-Security-Policy", ""), headers
        for path, kind in (("/app/js/main.js", "text/javascript"), ("/app/app.css", "text/css"), ("/app/icon.svg", "image/svg+xml")):
            status, headers, _ = self.s.raw_get(path)
            assert status == 200 and headers["Content-Type"].startswith(kind), (path, status, headers)
        assert self.s.raw_get("/app")[0] == 301
        for path in ("/app/../sql/0001_domain.sql", "/app/%2e%2e/docs/openapi.yaml", "/app/..%2f..%2fsql/0001_domain.sql",
                     "/app/js/", "/app/js", "/app//etc/passwd", "/app/%2e%2e%2fREADME.md"):
            status, _, body = self.s.raw_get(path)
            assert status == 404, (path, status)
            assert b"CREATE TABLE" not in body and b"openapi:" not in body and b"main.js" not in body, path

    def sign_in_counter(self):
        b = self.b
        b.open()
        b.visible('input[name="key"]')
        b.shot("01-signin")
        b.type("key", "rp_wrongkey_0000000000", enter=True)
        b.wait(lambda: "密钥无效" in b.field_error("key"), "the wrong key refused next to the key field")
        b.type("key", self.w.centre_key, enter=True)
        b.visible("#counter-numbers .num")
        b.wait_text("#num-free dd", r"^4")
        assert b.driver.execute_script("return sessionStorage.getItem('ruralpost.key')") == self.w.centre_key
        assert b.driver.execute_script("return localStorage.getItem('ruralpost.key')") is None
        # Only this centre's points.
        options = [o.text for o in Select(b.css("#point")).options]
        assert len(options) == 3 and all("PP-X" not in o for o in options), options
        Select(b.css("#point")).select_by_value(str(self.w.p1))
        b.wait(lambda: f"/counter/{self.w.p1}/" in b.driver.current_url, "point PP-1 chosen")
        b.wait_text("#num-free dd", r"^4")

    def check_in(self):
        b, w = self.b, self.w
        self.ours = [w.order("PP-1", "13900001111", "out_for_delivery"), w.order("PP-1", "13900002222", "out_for_delivery")]
        self.plan_shipments = [w.order(code, f"137{n:08d}", "at_depot") for n, code in enumerate(["PP-2", "PP-3"] * 3)]
        self.foreign = "SF1234567890"
        b.click("#tab-arrivals")
        for shipment in self.ours:
            b.type("trackingNo", shipment["trackingNo"], enter=True)
        b.type("trackingNo", self.foreign, enter=True)
        # Another carrier's number: carrier and phone are asked for, focus on the carrier.
        b.wait(lambda: b.driver.switch_to.active_element.get_attribute("name") == "parcels[2].carrier", "focus on the carrier")
        Select(b.field("parcels[2].carrier")).select_by_value("sf-express")
        b.wait(lambda: b.driver.switch_to.active_element.get_attribute("name") == "parcels[2].recipientPhone", "focus on the phone")
        b.driver.switch_to.active_element.send_keys("13800138000" + Keys.ENTER)
        b.wait(lambda: b.driver.switch_to.active_element.get_attribute("name") == "trackingNo", "focus back on scanning")
        # A scanned number twice is refused at once.
        b.type("trackingNo", self.ours[0]["trackingNo"], enter=True)
        b.wait(lambda: "已经在本批" in b.field_error("trackingNo"), "duplicate refused")
        b.field("trackingNo").clear()
        b.wait_text("#batch-title", "本批 3 件")
        b.shot("02-arrivals-batch")
        b.click("#checkin")
        b.wait(lambda: len(b.all("#arrivals-result .slotcard")) == 3, "three slots shown")
        slots = {}
        for card in b.all("#arrivals-result .slotcard"):
            slots[card.get_attribute("data-tracking")] = int(re.search(r"\d+", card.find_element(By.CSS_SELECTOR, ".slotno").text).group())
        expected = {s["trackingNo"] for s in self.ours} | {self.foreign}
        assert set(slots) == expected and sorted(slots.values()) == [1, 2, 3], slots
        self.slots = slots
        b.wait_text("#num-waiting dd", r"^3$")
        b.wait_text("#num-free dd", r"^1")
        # The API agrees (independent read).
        counter = self.s.must("GET", f"/v1/pickup-points/{w.p1}/counter", w.centre_key)
        assert counter["waiting"] == 3 and counter["freeSlots"] == 1, counter
        b.shot("03-arrivals-checked-in")

    def full_point(self):
        b = self.b
        b.type("trackingNo", "ZT000000000001", enter=True)
        Select(b.field("parcels[0].carrier")).select_by_value("zto")
        b.type("parcels[0].recipientPhone", "13500001234", enter=True)
        b.type("trackingNo", "ZT000000000002", enter=True)
        b.wait_text("#capacity", "只剩 1 个空格位")
        assert not b.css("#checkin").is_enabled(), "check-in must be disabled when the batch does not fit"
        b.shot("04-arrivals-not-enough-slots")
        for _ in range(2):
            b.click_text("#batch .parcel button.link", "移除")
        b.wait_text("#batch-title", "本批 0 件")
        assert self.s.must("GET", f"/v1/pickup-points/{self.w.p1}/counter", self.w.centre_key)["waiting"] == 3

    def hand_over(self):
        b = self.b
        first = self.ours[0]["trackingNo"]
        code, body = self.hook.code_for(first)
        assert body["recipientPhoneLast4"] == "1111" and re.fullmatch(r"\d{6}", code), body
        self.codes = {first: code}
        b.click("#tab-handover")
        b.type("code", code)
        b.wait(lambda: b.driver.switch_to.active_element.get_attribute("name") == "phoneLast4", "six digits move on to the phone")
        b.driver.switch_to.active_element.send_keys("1111" + Keys.ENTER)
        b.wait(lambda: len(b.all("#handover-result .slotcard")) == 1, "the slot to fetch")
        card = b.css("#handover-result .slotcard")
        assert card.get_attribute("data-tracking") == first
        assert f"{self.slots[first]} 号格" in card.text, card.text
        b.wait_text("#num-waiting dd", r"^2$")
        b.shot("05-handover-success")
        b.click("#next-customer")

    def wrong_codes_and_lockout(self):
        b = self.b
        second = self.ours[1]["trackingNo"]
        code, _ = self.hook.code_for(second)
        self.codes[second] = code
        wrong = f"{(int(code) + 1) % 1000000:06d}"
        for left in (4, 3, 2, 1):
            b.type("code", wrong)
            b.type("phoneLast4", "2222", enter=True)
            b.wait(lambda: f"还可以再试 {left} 次" in b.field_error("code"), f"{left} tries left next to the code")
            if left == 4:
                b.shot("06-handover-wrong-code")
        # The fifth wrong code locks every parcel of this recipient (423).
        b.type("code", wrong)
        b.type("phoneLast4", "2222", enter=True)
        b.wait_text("#handover-result", "包裹已锁定")
        b.wait_text("#num-locked dd", r"^1$")
        # Even the right code is refused now, and the screen says why and what to do.
        b.type("code", code)
        b.type("phoneLast4", "2222", enter=True)
        b.wait_text("#handover-result", "身份证件")
        assert self.s.must("GET", f"/v1/pickup-points/{self.w.p1}/counter", self.w.centre_key)["waiting"] == 2
        b.shot("07-handover-locked")
        status, data = self.s.request("GET", f"/v1/pickup-points/{self.w.p1}/pickups?phoneLast4=2222", self.w.centre_key)
        assert status == 200 and data["items"][0]["locked"] is True, data

    def unlock_and_extend(self):
        b = self.b
        b.click("#go-unlock")
        b.wait(lambda: "/shelf/2222" in b.driver.current_url, "the shelf, searched by 2222")
        b.wait(lambda: len(b.all("#shelf .pickup.is-locked")) == 1, "the locked parcel")
        b.shot("08-shelf-locked")
        b.click("#shelf .pickup.is-locked button.unlock")
        b.click('#shelf form.unlockform button[type="submit"]')
        b.wait(lambda: "请写明解锁原因" in b.field_error("reason"), "a reason is required")
        b.type("reason", "已核对身份证", enter=True)
        b.wait_text("#shelf-message", "已解锁")
        b.wait(lambda: not b.all("#shelf .pickup.is-locked"), "no locked parcel left")
        b.wait_text("#num-locked dd", r"^0$")
        # The whole shelf, most urgent first; extend the foreign parcel once.
        b.click_text("button", "全部在架")
        b.wait(lambda: len(b.all("#shelf .pickup")) == 2, "two parcels on the shelf")
        row = f'#shelf .pickup[data-tracking="{self.foreign}"]'
        before = self.s.must("GET", f"/v1/pickup-points/{self.w.p1}/pickups", self.w.centre_key)["items"]
        b.click(f"{row} button.extend")
        b.wait_text("#shelf-message", "已延期")
        b.wait(lambda: "已延期" in b.css(row).text and not b.all(f"{row} button.extend"), "extended once, no second time")
        after = {p["trackingNo"]: p for p in self.s.must("GET", f"/v1/pickup-points/{self.w.p1}/pickups", self.w.centre_key)["items"]}
        old = next(p for p in before if p["trackingNo"] == self.foreign)
        assert after[self.foreign]["extended"] and after[self.foreign]["holdUntil"] > old["holdUntil"], after
        b.shot("09-shelf")
        # Unlocked: the right code hands the parcel over.
        second = self.ours[1]["trackingNo"]
        b.click("#tab-handover")
        b.type("code", self.codes[second])
        b.type("phoneLast4", "2222", enter=True)
        b.wait(lambda: [c.get_attribute("data-tracking") for c in b.all("#handover-result .slotcard")] == [second], "handed over")

    def produce(self):
        b, w = self.b, self.w
        b.click("#tab-produce")
        b.visible("#register")
        b.type("merchant", "NOPE")
        b.type("destination", "WH-T")
        b.type("grams", "25")
        b.type("cm3", "60")
        b.click("#register")
        b.wait(lambda: "NOPE" in b.field_error("merchant"), "unknown merchant named next to the merchant field")
        b.type("merchant", "M-TEA")
        b.type("grams", "0")
        b.click("#register")
        b.wait(lambda: b.field_error("grams") != "", "weight must be positive")
        b.type("grams", "25.5")
        b.click("#register")
        b.wait_text("#produce-message", "已登记揽收")
        b.wait(lambda: len(b.all("#collections .collection")) == 1, "the open collection listed")
        listed = self.s.must("GET", f"/v1/pickup-points/{w.p1}/collections?status=open", w.centre_key)["items"]
        assert len(listed) == 1 and listed[0]["grams"] == 25500 and listed[0]["cm3"] == 60000, listed
        assert "25.5" in b.css("#collections .collection").text, b.css("#collections .collection").text
        b.shot("10-produce")
        b.click_text("#collections button", "取消揽收")
        b.type("reason", "留作集市销售", enter=True)
        b.wait_text("#collections", "没有待揽收")
        cancelled = self.s.must("GET", f"/v1/pickup-points/{w.p1}/collections?status=cancelled", w.centre_key)["items"]
        assert [c["id"] for c in cancelled] == [listed[0]["id"]], cancelled

    def rate_limit(self):
        b, w = self.b, self.w
        # More than 20 failures within a minute from this key: every attempt is 429.
        for i in range(21):
            status, _ = self.s.request("POST", f"/v1/pickup-points/{w.p2}/collect", w.centre_key,
                                       {"code": f"{100000 + i}", "phoneLast4": "9999"})
            assert status in (422, 429), status
        Select(b.css("#point")).select_by_value(str(w.p2))
        b.wait(lambda: f"/counter/{w.p2}/" in b.driver.current_url, "point PP-2")
        b.click("#tab-handover")
        b.type("code", "123456")
        b.type("phoneLast4", "9999", enter=True)
        b.wait_text("#handover-result", "暂停取件")
        b.wait_text("#rate-countdown", r"请等待 \d+ 秒")
        assert not b.css("#handover").is_enabled()
        b.shot("11-handover-rate-limited")

    def english(self):
        b = self.b
        b.click("#lang")
        b.wait_text("#tab-arrivals", "Arrivals")
        assert b.driver.execute_script("return document.documentElement.lang") == "en"
        b.click("#tab-arrivals")
        b.wait_text("#num-free dt", "Free slots")
        b.shot("12-counter-english")
        b.click("#lang")
        b.wait_text("#tab-arrivals", "到件入库")

    def sign_out(self):
        b = self.b
        b.click("#signout")
        b.visible('input[name="key"]')
        assert b.driver.execute_script("return sessionStorage.getItem('ruralpost.key')") is None

    def plans(self):
        b, w = self.b, self.w
        date = max(s["dueDate"] for s in self.plan_shipments)[:10]
        b.type("key", w.planner_key, enter=True)
        b.visible(".newplan summary")
        # A planner key has plan review only: no way to the counter.
        assert not b.all(".screens a") and not b.all("#counter-numbers")
        Select(b.field("depot")).select_by_value("DEP-T")
        date_input = b.field("date")
        b.driver.execute_script("arguments[0].value = arguments[1]", date_input, date)
        date_input.send_keys(Keys.ENTER)
        b.wait(lambda: f"/plans/DEP-T/{date}" in b.driver.current_url, "the day's list")
        b.wait_text("#plans", "还没有路线计划")
        b.click(".newplan summary")
        b.type("timeLimit", "2")
        b.shot("13-plans-empty")
        b.click("#queue-plan")
        b.wait(lambda: re.search(r"/plans/DEP-T/[\d-]+/\d+$", b.driver.current_url), "the queued plan opened")
        plan_id = int(b.driver.current_url.rsplit("/", 1)[1])
        # Queued or running: the page refreshes by itself until the draft is there.
        b.wait(lambda: b.all('.badge.status[data-status="draft"]'), "the draft", timeout=120)
        b.visible("#routes")
        b.click("#commit")
        b.click("#commit-yes")
        b.wait(lambda: b.all('.badge.status[data-status="committed"]'), "committed")
        b.wait_text("#plan-message", "计划已确认")
        plan = self.s.must("GET", f"/v1/route-plans/{plan_id}", w.planner_key)
        assert plan["status"] == "committed", plan
        routes = plan["plan"]["routes"]
        assert routes, plan
        planned = {sid for r in routes for stop in r["stops"] for sid in stop["shipments"]}
        assert planned == {s["id"] for s in self.plan_shipments}, (planned, self.plan_shipments)
        rows = b.all("#routes tbody tr")
        assert len(rows) == len(routes), (len(rows), len(routes))
        assert [r.find_elements(By.TAG_NAME, "td")[1].text for r in rows] == [r["vehicle"] for r in routes]
        # Trips per van, and one out-and-back time span per trip.
        assert [r.find_elements(By.TAG_NAME, "td")[2].text for r in rows] == [str(len(r["trips"])) for r in routes]
        assert [r.find_elements(By.TAG_NAME, "td")[-1].text.count("–") for r in rows] == [len(r["trips"]) for r in routes]
        # The served map and driver sheets: one table per route, in the frame.
        frame = b.visible("#planmap")
        b.wait(lambda: b.driver.execute_script(
            "const d = arguments[0].contentDocument; return d && d.querySelectorAll('section.route').length", frame) == len(routes),
            "the driver sheets in the map frame")
        b.driver.switch_to.frame(frame)
        sheets = b.driver.find_elements(By.CSS_SELECTOR, "section.route")
        assert len(sheets) == len(routes) and b.driver.find_elements(By.CSS_SELECTOR, "svg.map")
        assert "石门村驿站" in b.driver.find_element(By.TAG_NAME, "body").text
        b.driver.switch_to.default_content()
        b.shot("14-plan-committed")
        b.click(".back")
        b.wait(lambda: b.all(f'.plancard[data-plan="{plan_id}"][data-status="committed"]'), "the list shows it committed")
        b.shot("15-plans-list")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "debug", "ruralpost"))
    parser.add_argument("--screenshots", default=os.path.join(ROOT, "Tests", "browser", "screenshots"))
    parser.add_argument("--ports", default=os.environ.get("BROWSER_TEST_PORTS", "19000-19999"))
    args = parser.parse_args()

    # `timeout` (run.sh) sends SIGTERM: unwind through the finally below, which stops
    # the browser, the server and its PostgreSQL.
    def interrupted(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, interrupted)
    low, high = map(int, args.ports.split("-"))
    os.makedirs(args.screenshots, exist_ok=True)
    for old in glob.glob(os.path.join(args.screenshots, "*.png")):
        os.remove(old)

    work = tempfile.mkdtemp(prefix="ruralpost-browser-")
    hook = server = browser = None
    run = None
    steps = []
    started = time.time()
    try:
        hook = WebhookReceiver(f"whsec-browser-{random.getrandbits(64):x}", free_port(low, high))
        server = Server(args.binary, os.path.join(work, "pgdata"), free_port(low, high), os.path.join(work, "server.log"))
        log("server on", server.base, "data", work)
        world = World(server, hook)
        browser = Browser(server.base, args.screenshots)
        run = Run(server, world, hook, browser)
        steps = [
            ("static files", run.static_files),
            ("sign in (service centre)", run.sign_in_counter),
            ("check in three parcels", run.check_in),
            ("full point shown before sending", run.full_point),
            ("hand over with the right code", run.hand_over),
            ("wrong codes, tries left, lock-out", run.wrong_codes_and_lockout),
            ("unlock and extend", run.unlock_and_extend),
            ("produce collection", run.produce),
            ("rate limit explained", run.rate_limit),
            ("English", run.english),
            ("sign out", run.sign_out),
            ("plan review", run.plans),
        ]
        for name, fn in steps:
            if not run.step(name, fn):
                # Later steps build on earlier ones; count them as not run.
                break
    except Exception:
        log("setup failed:\n" + traceback.format_exc())
    finally:
        if browser:
            browser.quit()
        if server:
            server.stop()
            if run is None or run.failed:
                log("server log (tail):")
                with open(os.path.join(work, "server.log")) as f:
                    sys.stdout.write("".join(f.readlines()[-40:]))
        if hook:
            hook.stop()
        shutil.rmtree(work, ignore_errors=True)
    passed = len(run.passed) if run else 0
    # Steps not reached after a failure count as failed; so does a failed setup.
    failed = len(steps) - passed if run else 1
    log(f"{time.time() - started:.0f}s; screenshots in {args.screenshots}")
    print(f"browser: {passed} passed, {failed} failed", flush=True)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
