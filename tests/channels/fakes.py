"""Local fake provider servers: Alibaba Cloud SMS, Tencent Cloud SMS and the WeChat official account API.

Each is a small threaded ``http.server`` on 127.0.0.1 that speaks the provider's HTTP API as its SDK
calls it and checks what the SDK signs (Alibaba's ACS3-HMAC-SHA256, Tencent's TC3-HMAC-SHA256, WeChat's
access token). ``script`` holds what the next calls answer (an error code, an HTTP status, a pause);
``calls`` records what was asked. Nothing leaves the machine.
"""

import datetime
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

# The test credentials each fake expects: (id, secret).
ALIYUN_KEY = ("ak-test", "sk-test")
TENCENT_KEY = ("sid-test", "skey-test")
WECHAT_APP = ("wx-test", "wx-secret")


class FakeServer:
    """Runs ``handle(method, path, query, headers, body) -> (status, dict | None, headers)`` in a thread."""

    content_type = "application/json; charset=utf-8"

    def __init__(self):
        self.calls: list[dict] = []
        self.script: list = []  # what the next calls answer, consumed in order; empty → success
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                status, payload, extra = fake.handle(self.command, parts.path, parts.query, self.headers, body)
                out = json.dumps(payload, ensure_ascii=False).encode() if payload is not None else b""
                try:
                    self.send_response(status)
                    for name, value in (extra or {}).items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", fake.content_type)
                    self.send_header("Content-Length", str(len(out)))
                    self.end_headers()
                    self.wfile.write(out)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            do_GET = do_POST = _serve

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def next_step(self):
        with self.lock:
            return self.script.pop(0) if self.script else None

    def pause_if_asked(self, step):
        if isinstance(step, tuple) and step[0] == "sleep":
            time.sleep(step[1])
            return True
        return False


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def _rfc3986(value: str) -> str:
    return quote(value, safe="-_.~")


class FakeAliyunSms(FakeServer):
    """dysmsapi (2017-05-25): SendSms and QuerySendDetails, RPC style, signed with ACS3-HMAC-SHA256.

    ``script`` items: ``"isv.X"`` (answered 200 with that Code), ``("http", status, code)``, ``("sleep", s)``.
    ``receipts`` maps a BizId to its SendStatus (1 waiting, 2 failed, 3 delivered) and error code.
    """

    def __init__(self, key_id=ALIYUN_KEY[0], secret=ALIYUN_KEY[1]):
        super().__init__()
        self.key_id, self.secret = key_id, secret
        self.receipts: dict[str, tuple[int, str]] = {}
        self.sent = 0

    def verify(self, method, path, query, headers, body) -> bool:
        auth = headers.get("Authorization", "")
        if not auth.startswith(f"ACS3-HMAC-SHA256 Credential={self.key_id},"):
            return False
        fields = dict(part.split("=", 1) for part in auth.split(" ", 1)[1].split(","))
        signed = fields["SignedHeaders"].split(";")
        canonical_query = "&".join(
            f"{_rfc3986(k)}={_rfc3986(v)}" for k, v in sorted(parse_qsl(query, keep_blank_values=True))
        )
        canonical_headers = "".join(f"{name}:{headers.get(name, '').strip()}\n" for name in signed)
        payload_hash = hashlib.sha256(body).hexdigest()
        if headers.get("x-acs-content-sha256") != payload_hash:
            return False
        request = "\n".join([method, path, canonical_query, canonical_headers, ";".join(signed), payload_hash])
        to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(request.encode()).hexdigest()
        expected = hmac.new(self.secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, fields["Signature"])

    def handle(self, method, path, query, headers, body):
        params = dict(parse_qsl(query, keep_blank_values=True))
        action = headers.get("x-acs-action", "")
        if not self.verify(method, path, query, headers, body):
            return 403, {"Code": "SignatureDoesNotMatch", "Message": "签名不符", "RequestId": "r"}, None
        self.calls.append({"action": action, **params})
        if action == "QuerySendDetails":
            status, error = self.receipts.get(params.get("BizId", ""), (1, ""))
            dto = {"SendStatus": status, "ErrCode": error, "PhoneNum": params.get("PhoneNumber", "")}
            return 200, {"Code": "OK", "Message": "OK", "SmsSendDetailDTOs": {"SmsSendDetailDTO": [dto]}}, None
        step = self.next_step()
        if self.pause_if_asked(step):
            step = None
        if isinstance(step, tuple) and step[0] == "http":
            return step[1], {"Code": step[2], "Message": "服务端错误", "RequestId": "r"}, None
        if isinstance(step, str):
            return 200, {"Code": step, "Message": "被拒绝", "RequestId": "r"}, None
        self.sent += 1
        return 200, {"Code": "OK", "Message": "OK", "BizId": f"biz-{self.sent}^0", "RequestId": "r"}, None


class FakeTencentSms(FakeServer):
    """sms (2021-01-11) SendSms, signed with TC3-HMAC-SHA256.

    ``script`` items: ``("status", code)`` (a per-number refusal), ``("error", code)`` (an API error),
    ``("sleep", s)``.
    """

    content_type = "application/json"  # as Tencent Cloud answers (its SDK reads errors only then)

    def __init__(self, secret_id=TENCENT_KEY[0], secret_key=TENCENT_KEY[1]):
        super().__init__()
        self.secret_id, self.secret_key = secret_id, secret_key
        self.sent = 0

    def verify(self, method, path, query, headers, body) -> bool:
        auth = headers.get("Authorization", "")
        prefix = "TC3-HMAC-SHA256 Credential="
        if not auth.startswith(prefix + self.secret_id + "/"):
            return False
        fields = dict(part.strip().split("=", 1) for part in auth[len("TC3-HMAC-SHA256 ") :].split(","))
        _id, date, service, _end = fields["Credential"].split("/")
        timestamp = headers.get("X-TC-Timestamp", "")
        day = datetime.datetime.fromtimestamp(int(timestamp), datetime.UTC).strftime("%Y-%m-%d")
        signed = fields["SignedHeaders"].split(";")
        canonical_headers = "".join(f"{name}:{headers.get(name, '').strip().lower()}\n" for name in signed)
        request = "\n".join(
            [method, path, query, canonical_headers, ";".join(signed), hashlib.sha256(body).hexdigest()]
        )
        scope = f"{date}/{service}/tc3_request"
        to_sign = f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n" + hashlib.sha256(request.encode()).hexdigest()
        key = _hmac(_hmac(_hmac(("TC3" + self.secret_key).encode(), date), service), "tc3_request")
        expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        return date == day and hmac.compare_digest(expected, fields["Signature"])

    def handle(self, method, path, query, headers, body):
        if not self.verify(method, path, query, headers, body):
            error = {"Code": "AuthFailure.SignatureFailure", "Message": "签名不符"}
            return 200, {"Response": {"Error": error, "RequestId": "r"}}, None
        request = json.loads(body or b"{}")
        self.calls.append({"action": headers.get("X-TC-Action"), **request})
        step = self.next_step()
        if self.pause_if_asked(step):
            step = None
        if isinstance(step, tuple) and step[0] == "error":
            return 200, {"Response": {"Error": {"Code": step[1], "Message": "被拒绝"}, "RequestId": "r"}}, None
        phone = (request.get("PhoneNumberSet") or [""])[0]
        if isinstance(step, tuple) and step[0] == "status":
            status = {"SerialNo": "", "PhoneNumber": phone, "Code": step[1], "Message": "被拒绝"}
        else:
            self.sent += 1
            status = {"SerialNo": f"serial-{self.sent}", "PhoneNumber": phone, "Code": "Ok", "Message": "send success"}
        return 200, {"Response": {"SendStatusSet": [status], "RequestId": "r"}}, None


class FakeWeChat(FakeServer):
    """The official account API: cgi-bin/token, message/template/send, and the web authorisation.

    ``codes`` maps an authorisation code to the OpenID it stands for (each usable once); the authorisation
    hands out codes for ``openid``, the person at the phone.
    ``script`` items (template sends): an errcode (int), ``("sleep", s)``.
    """

    def __init__(self, app_id=WECHAT_APP[0], secret=WECHAT_APP[1]):
        super().__init__()
        self.app_id, self.secret = app_id, secret
        self.tokens_issued = 0
        self.token = ""
        self.codes: dict[str, str] = {}
        self.codes_issued = 0
        self.openid = "openid-1"  # the WeChat user holding the phone, whom each authorisation names
        self.sent = 0

    def handle(self, method, path, query, headers, body):
        params = dict(parse_qsl(query, keep_blank_values=True))
        self.calls.append({"path": path, **params})
        if path == "/cgi-bin/token":
            if (params.get("appid"), params.get("secret")) != (self.app_id, self.secret):
                return 200, {"errcode": 40125, "errmsg": "invalid appsecret"}, None
            self.tokens_issued += 1
            self.token = f"token-{self.tokens_issued}"
            return 200, {"access_token": self.token, "expires_in": 7200}, None
        if path == "/cgi-bin/message/template/send":
            if not self.token or params.get("access_token") != self.token:
                return 200, {"errcode": 40001, "errmsg": "invalid credential"}, None
            self.calls[-1]["body"] = json.loads(body)
            step = self.next_step()
            if self.pause_if_asked(step):
                step = None
            if isinstance(step, int):
                return 200, {"errcode": step, "errmsg": "refused"}, None
            self.sent += 1
            return 200, {"errcode": 0, "errmsg": "ok", "msgid": 1000 + self.sent}, None
        if path == "/connect/oauth2/authorize":
            # Where WeChat sends the browser back: the redirect URI with a code and the state untouched.
            self.codes_issued += 1
            code = f"code-{self.codes_issued}"
            self.codes[code] = self.openid
            target = params["redirect_uri"] + "?" + urlencode({"code": code, "state": params.get("state", "")})
            return 302, None, {"Location": target}
        if path == "/sns/oauth2/access_token":
            if (params.get("appid"), params.get("secret")) != (self.app_id, self.secret):
                return 200, {"errcode": 40125, "errmsg": "invalid appsecret"}, None
            openid = self.codes.pop(params.get("code", ""), None)
            if openid is None:
                return 200, {"errcode": 40029, "errmsg": "invalid code"}, None
            answer = {"access_token": "web", "expires_in": 7200, "refresh_token": "r", "openid": openid}
            return 200, {**answer, "scope": "snsapi_base"}, None
        return 404, {"errcode": 404, "errmsg": "not found"}, None
