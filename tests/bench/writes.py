"""Writes under load (issue 19), a part of the web bench (tests/bench/web.py PARTS): ``--parts writes``.

Four writes of the API at 16 clients, each against the write ceiling measured in the same run (the bare DRF
create of alliance.site.bench_writes, measured before the first write, once its data is prepared, and after each: a
write's ceiling is the mean of the two beside it, the machine's speed drifting within minutes; a first measurement
before the preparation only sizes it): placing an order, reporting an issue, a unit
claiming a project, booking a room. Every request is distinct (tests/bench/writes_data.py prepares them: its own
accounts with API tokens, spread so that no person goes over the rate limits a deployment has, which stay on;
free days of the menu items, bench projects with free places, free slots of the rooms). wrk sends them with a
Lua script that rotates the token and the body per request and counts the answers by status: anything but 2xx
is an error, except 409 for a claim of a full project and a slot already taken. Target: at least 0.5× the
ceiling with no such error.

Then a Celery worker starts on the bench database and broker; once it has sent every delivery of the run, the
dispatch notices (派单) of the run's orders, issues and claims are counted against what the dispatch rules say
(services.selectors.order_dispatch/issue_dispatch, projects.selectors.claim_approvers): each recipient once,
none missing, none unexpected, and each of its channels delivered once. Bookings are not dispatched (a room
without approval is confirmed at once). The same check states the rules under load: no project over its
places, no overlapping confirmed bookings.
"""

import contextlib
import json
import math
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from tests.bench.report import Figure
from tests.bench.web import ROOT, fetch, manage

SECTION = "写入"
WHO = "令牌"
CEILING = "天花板 DRF写入一行"
# (name, label, 409 expected)
TARGETS = [
    ("order", "下单 POST /api/v1/orders/", False),
    ("issue", "居民说事 POST /api/v1/issues/", False),
    ("claim", "单位认领 POST /api/v1/projects/{id}/claim/", True),
    ("booking", "预约空间 POST /api/v1/bookings/", True),
]
GOAL = 0.5

LUA = r"""
-- Globals (not local): done() reads them from each thread with thread:get.
lines, counts, threads = {}, {}, {}
index, step, exhausted = 0, 1, 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  step = tonumber(args[2])
  index = tonumber(args[3]) + id
  for line in io.lines(args[1]) do
    local token, path, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
    table.insert(lines, {token, path, body})
  end
end

function request()
  local e = lines[index + 1]
  if e == nil then
    exhausted = exhausted + 1
    e = lines[(index % #lines) + 1]
  end
  index = index + step
  local headers = {["Authorization"] = "Token " .. e[1], ["Content-Type"] = "application/json"}
  return wrk.format("POST", e[2], headers, e[3])
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total, parts, ex, last = {}, {}, 0, 0
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("counts")) do total[k] = (total[k] or 0) + v end
    ex = ex + t:get("exhausted")
    last = math.max(last, t:get("index"))
  end
  for k, v in pairs(total) do table.insert(parts, k .. ":" .. v) end
  io.write(string.format("BENCH p95_us=%d p50_us=%d errors=%d exhausted=%d next=%d statuses=%s\n",
    latency:percentile(95), latency:percentile(50),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    ex, last, table.concat(parts, ",")))
end
"""
THREADS = 2


class Load:
    """The request lines of one write, sent by wrk in order: a warm-up, then the measured run."""

    def __init__(self, base: str, lines: list, script: str):
        self.base, self.script, self.offset, self.lines = base, script, 0, lines
        self.size = len(lines)
        with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="utf-8") as f:
            for token, path, body in lines:
                f.write(f"{token}\t{path}\t{json.dumps(body, ensure_ascii=False)}\n")
        self.path = f.name

    def wrk(self, duration: int, connections: int) -> dict:
        args = ["wrk", "-t", str(THREADS), "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s"]
        args += ["-s", self.script, self.base, "--", self.path, str(THREADS), str(self.offset)]
        out = subprocess.run(args, check=True, text=True, capture_output=True).stdout
        m = re.search(r"BENCH p95_us=(\d+) p50_us=(\d+) errors=(\d+) exhausted=(\d+) next=(\d+) statuses=(\S*)", out)
        statuses = {int(k): int(v) for k, v in (p.split(":") for p in m.group(6).split(",") if p)}
        self.offset = int(m.group(5)) + THREADS  # the next run sends lines no run has sent
        return {
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p95": int(m.group(1)) / 1000,
            "p50": int(m.group(2)) / 1000,
            "errors": int(m.group(3)),
            "exhausted": int(m.group(4)),
            "statuses": statuses,
        }

    def prime(self, lines: list, n: int = 4) -> None:
        """A few requests at once, each waited for: both workers take this path's first request (it imports code,
        e.g. the tasks modules the first enqueue loads, seconds on a busy machine) before wrk measures."""

        def post(line):
            token, path, body = line
            request = urllib.request.Request(  # noqa: S310 - loopback
                self.base + path,
                data=json.dumps(body).encode(),
                headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
            )
            with contextlib.suppress(OSError), urllib.request.urlopen(request, timeout=120):  # noqa: S310
                pass

        with ThreadPoolExecutor(n) as pool:
            list(pool.map(post, lines[self.offset : self.offset + n]))
        self.offset += n

    def measure(self, duration: int, connections: int) -> dict:
        self.prime(self.lines)
        # Then warm with wrk, and let what it left in gunicorn's backlog drain before measuring.
        self.wrk(2, 4)
        for _ in range(3):
            with contextlib.suppress(OSError):
                fetch(self.base + "/bench/page/", None)
        return self.wrk(duration, connections)


def _django(env: dict, code: str) -> str:
    return manage(env, "shell", "-c", code, capture=True)


def _prepare(env: dict, counts: dict) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    _django(env, f"from tests.bench.writes_data import prepare; prepare({out!r}, {counts!r})")
    with open(out, encoding="utf-8") as f:
        return json.load(f)


def _verdict(r: dict, conflicts_expected: bool) -> tuple[int, int, list[str]]:
    """(2xx, expected 409s, errors as "status×n")."""
    ok = sum(n for s, n in r["statuses"].items() if 200 <= s < 300)
    expected = r["statuses"].get(409, 0) if conflicts_expected else 0
    errors = [
        f"{s}×{n}"
        for s, n in sorted(r["statuses"].items())
        if not (200 <= s < 300) and not (s == 409 and conflicts_expected)
    ]
    if r["errors"]:
        errors.append(f"socket×{r['errors']}")
    if r["exhausted"]:
        errors.append(f"重复请求×{r['exhausted']}")
    return ok, expected, errors


@contextlib.contextmanager
def _worker(env: dict):
    """A Celery worker (solo pool) on the bench database and broker, for the deliveries the run enqueued."""
    log = tempfile.NamedTemporaryFile(prefix="bench-writes-celery-", suffix=".log", delete=False)  # noqa: SIM115
    command = [sys.executable, "-m", "celery", "-A", "alliance", "worker", "--pool=solo", "--loglevel=WARNING"]
    command += ["--without-gossip", "--without-mingle", "-n", f"bench-writes-{time.monotonic_ns()}@%h"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield log.name
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# The check waits until every delivery is sent, at most this long (a run on a fast box writes 11,000 rows: 5,400
# notices and 3,600 deliveries for one worker process).
DELIVERY_WAIT_SECONDS = 1200
WAIT_AND_CHECK = """
import time
from tests.bench import writes_data
marks = {marks!r}
deadline = time.monotonic() + {timeout}
quiet = 0
while time.monotonic() < deadline and quiet < 3:
    quiet = quiet + 1 if writes_data.pending_count(marks) == 0 else 0
    time.sleep(1)
writes_data.check(marks)
"""


def _notices(env: dict, marks: dict) -> Figure:
    with _worker(env) as log:
        out = _django(env, WAIT_AND_CHECK.format(marks=marks, timeout=DELIVERY_WAIT_SECONDS))
    c = json.loads(re.search(r"CHECK (.*)", out).group(1))
    sent = c["deliveries_by_status"].get("sent", 0)
    ok = (
        c["missing"] == 0
        and c["unexpected"] == 0
        and c["duplicates"] == 0
        and c["expected"] == c["found"]
        and c["deliveries"] == c["deliveries_expected"] == sent
        and c["deliveries_retried"] == 0
        and c["deliveries_duplicate"] == 0
        and c["over_capacity"] == 0
        and c["miscounted"] == 0
        and c["overlapping"] == 0
    )
    w = c["writes"]
    note = (
        f"应发 {c['expected']}，实有 {c['found']}，缺 {c['missing']}，多 {c['unexpected']}，重复 {c['duplicates']}；"
        f"渠道投递 应 {c['deliveries_expected']} 已发 {sent}/{c['deliveries']}（{c['deliveries_by_status']}），"
        f"重试 {c['deliveries_retried']}；写入 点单{w['order']} 说事{w['issue']} 认领{w['claim']} 预约{w['booking']}；"
        f"超额认领 {c['over_capacity']}，名额计数不符 {c['miscounted']}，预约重叠 {c['overlapping']}"
    )
    if not ok:
        note += f"；worker 日志 {log}"
    return Figure(
        SECTION,
        "派单通知 每条写入每人一次",
        "",
        c["found"],
        unit="条",
        ceiling=c["expected"],
        target="= 应发，各渠道各一次",
        ok=ok,
        note=note,
    )


def run(ctx) -> list[Figure]:
    duration, connections = ctx.args.duration, ctx.args.connections
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA)
    script = f.name
    # The ceiling's lines first (any account: the ceiling has no rate limit), then as many of each write as
    # the ceiling's rate could send in the warm-up and the run, and some more.
    # The ceiling is measured before the first write (once the writes' data is prepared) and again after each one
    # (the machine's speed drifts by a fifth within minutes here): each write is set against the mean of the
    # ceilings just before and after it.
    data = _prepare(ctx.env, {"ceiling": 60000})
    ceiling = Load(ctx.base, data["lines"]["ceiling"], script)
    sizing = ceiling.measure(duration, connections)
    print(f"  {CEILING}: {sizing['rps']:.0f} req/s（准备写入数据前，只用来定数量）", flush=True)
    count = math.ceil(sizing["rps"] * (duration + 2) * 1.3) + 200
    data = _prepare(ctx.env, {name: count for name, _label, _c in TARGETS})
    marks = data["marks"]
    # The first write's ceiling is measured again after that preparation, as the write is: the preparation writes
    # thousands of rows (tokens, residents, projects and their events), and the write measured first ran in what the
    # database did after it while its ceiling had been measured before it (the order, always first, fell to
    # 0.38-0.41x in runs where that ceiling was the run's highest by a fifth or more).
    ceilings = [ceiling.measure(duration, connections)]
    print(f"  {CEILING}: {ceilings[0]['rps']:.0f} req/s", flush=True)
    results = []
    for name, label, conflicts in TARGETS:
        load = Load(ctx.base, data["lines"][name], script)
        if load.size < count:
            print(f"  {label}: only {load.size} distinct requests prepared (wanted {count})", flush=True)
        r = load.measure(duration, connections)
        print(f"  {label}: {r['rps']:.0f} req/s, p95 {r['p95']:.1f} ms, {r['statuses']}", flush=True)
        ceilings.append(ceiling.measure(duration, connections))
        print(f"  {CEILING}: {ceilings[-1]['rps']:.0f} req/s", flush=True)
        results.append((label, conflicts, r, (ceilings[-2]["rps"] + ceilings[-1]["rps"]) / 2))
    errors = sorted({e for c in ceilings for e in _verdict(c, False)[2]})
    rows = [
        Figure(
            SECTION,
            CEILING,
            WHO,
            sum(c["rps"] for c in ceilings) / len(ceilings),
            p95=max(c["p95"] for c in ceilings),
            note=" / ".join(f"{c['rps']:.0f}" for c in ceilings)
            + " req/s（首个写入前与每个写入后）"
            + (f"；{', '.join(errors)}" if errors else ""),
        )
    ]
    for label, conflicts, r, ceiling_rps in results:
        ok_count, expected, errors = _verdict(r, conflicts)
        ratio = r["rps"] / ceiling_rps
        note = f"2xx {ok_count}" + (f"，409 {expected}" if conflicts else "")
        if errors:
            note += "；错误 " + ", ".join(errors)
        rows.append(
            Figure(
                SECTION,
                label,
                WHO,
                r["rps"],
                p95=r["p95"],
                ceiling=ceiling_rps,
                ratio=ratio,
                target=f"≥{GOAL:.1f}×，仅预期409",
                ok=ratio >= GOAL and not errors,
                note=note + f"；天花板取前后两次的平均 {ceiling_rps:.0f} req/s",
            )
        )
    rows.append(_notices(ctx.env, marks))
    _django(ctx.env, "from tests.bench.writes_data import forget_ceiling_rows; forget_ceiling_rows()")
    return rows
