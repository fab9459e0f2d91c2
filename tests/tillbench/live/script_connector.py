"""A minimal user connector, run as a script through the contract (tests only).

Standard library HTTP server plus httpx: verifies webhook signatures, answers /health and
/metrics, and posts every completed sale as an ERP sales invoice whose
externalDocumentNumber is the POS order's reference_id. Deliberately simple (no durable
queue): it proves that any program following the contract works with the harness.
``--never-healthy`` makes /health answer 503 forever; ``--exit-after SECONDS:CODE`` exits
with CODE that many seconds after it started listening (a connector that dies).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import signal
import sys
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

ENV = os.environ
POS = httpx.Client(
    base_url=ENV["TILLBENCH_POS_URL"],
    headers={"Authorization": f"Bearer {ENV['TILLBENCH_POS_TOKEN']}"},
    timeout=10,
)
ERP = httpx.Client(
    base_url=f"{ENV['TILLBENCH_ERP_URL']}/companies({ENV['TILLBENCH_ERP_COMPANY']})",
    headers={"Authorization": f"Bearer {ENV['TILLBENCH_ERP_TOKEN']}"},
    timeout=10,
)
SECRET = ENV["TILLBENCH_WEBHOOK_SECRET"].encode()
HOOK_URL = ENV["TILLBENCH_WEBHOOK_URL"]
NEVER_HEALTHY = "--never-healthy" in sys.argv
LOCK = threading.Lock()
POSTED: set[str] = set()
METRICS = {"backlog": 0, "posted": 0, "retries": 0, "dead_letters": 0}


def post_sale(order_id: str) -> None:
    order = POS.get(f"/v2/orders/{order_id}").json()["order"]
    ref = order.get("reference_id")
    if order.get("state") != "COMPLETED" or order.get("returns") or not ref:
        return
    with LOCK:
        if ref in POSTED:
            return
        POSTED.add(ref)
    lines = [
        {
            "lineObjectNumber": item["metadata"]["sku"],
            "quantity": item["quantity"],
            "unitPrice": str(Decimal(item["base_price_money"]["amount"]) / 100),
            "locationCode": order["location_id"],
        }
        for item in order.get("line_items") or []
    ]
    response = ERP.post(
        "/salesInvoices",
        json={
            "externalDocumentNumber": ref,
            "customerNumber": "RETAIL",
            "salesInvoiceLines": lines,
        },
    )
    if response.status_code < 300 or response.status_code == 409:
        METRICS["posted"] += 1


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return

    def reply(self, status: int, body: dict[str, object]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path == "/health":
            self.reply(503 if NEVER_HEALTHY else 200, {"status": "ok"})
        elif self.path == "/metrics":
            self.reply(200, METRICS)
        else:
            self.reply(404, {})

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        mac = hmac.new(SECRET, HOOK_URL.encode() + body, hashlib.sha256).digest()
        given = self.headers.get("x-square-hmacsha256-signature") or ""
        if not hmac.compare_digest(base64.b64encode(mac).decode(), given):
            self.reply(401, {})
            return
        event = json.loads(body)
        self.reply(200, {})
        data = event.get("data") or {}
        if str(data.get("type", "")).startswith("order") and data.get("id"):
            try:
                post_sale(data["id"])
            except httpx.HTTPError:
                METRICS["retries"] += 1


def exit_after(spec: str) -> None:
    seconds, code = spec.split(":")
    time.sleep(float(seconds))
    os._exit(int(code))


def main() -> None:
    host, port = ENV["TILLBENCH_LISTEN"].rsplit(":", 1)
    server = ThreadingHTTPServer((host, int(port)), Handler)
    if "--exit-after" in sys.argv:
        spec = sys.argv[sys.argv.index("--exit-after") + 1]
        threading.Thread(target=exit_after, args=(spec,), daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()


if __name__ == "__main__":
    main()
