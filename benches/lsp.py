#!/usr/bin/env python3
"""How the language server's time grows with the size of one document.

usage: benches/lsp.py BINARY [SIZE_MB...]        (default sizes 0.5 1 2 4)

For each shape and size, starts `BINARY lsp` on stdio, opens one document
and times, each up to its answer: didOpen (to its diagnostics), a full
didChange that adds a line at the end, a ranged didChange at the end, a
hover and a code-action request (quick fixes and fix-all) on the last
finding. Prints seconds per step and size and, per step, the ratio of the
two largest sizes (about 2 when linear; `!` over 2.5).
"""
import json
import subprocess
import sys
import time

SHAPES = {
    # many findings on one long line, non-ASCII (UTF-16 columns differ from bytes)
    "one-line-dashes": lambda n: ("word — " * (n // 9 + 1)) + "\n",
    # the same findings on short lines
    "lines-dashes": lambda n: "word — word — word\n" * (n // 23 + 1),
    # fixable findings on one line
    "one-line-fixes": lambda n: ("a fact [oaicite:3] " * (n // 19 + 1)) + "\n",
}


class Server:
    def __init__(self, binary):
        self.p = subprocess.Popen([binary, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 0

    def send(self, msg):
        body = json.dumps(dict(msg, jsonrpc="2.0")).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def read(self):
        length = 0
        while True:
            line = self.p.stdout.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.p.stdout.read(length))

    def request(self, method, params):
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            m = self.read()
            if m.get("id") == self.next_id and "method" not in m:
                return m

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def diagnostics(self):
        while True:
            m = self.read()
            if m.get("method") == "textDocument/publishDiagnostics":
                return m["params"]["diagnostics"]

    def close(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        self.p.wait()


def timed(f):
    t = time.perf_counter()
    out = f()
    return time.perf_counter() - t, out


def run(binary, text):
    s = Server(binary)
    s.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    s.notify("initialized", {})
    uri = "untitled:bench.md"
    doc = {"uri": uri, "languageId": "markdown", "version": 1, "text": text}
    times = {}
    times["open"], diags = timed(lambda: (s.notify("textDocument/didOpen", {"textDocument": doc}), s.diagnostics())[1])
    text += "More text — here.\n"
    times["change"], diags = timed(lambda: (s.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": text}]}), s.diagnostics())[1])
    end = {"line": text.count("\n"), "character": 0}
    times["edit-end"], diags = timed(lambda: (s.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 3},
        "contentChanges": [{"range": {"start": end, "end": end}, "text": "Last — line.\n"}]}), s.diagnostics())[1])
    last = diags[-1]["range"] if diags else {"start": end, "end": end}
    times["hover"], _ = timed(lambda: s.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": last["start"]}))
    times["actions"], _ = timed(lambda: s.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": last, "context": {"diagnostics": []}}))
    s.close()
    return times, len(diags)


def main():
    binary = sys.argv[1]
    sizes = [float(x) for x in sys.argv[2:]] or [0.5, 1, 2, 4]
    steps = ["open", "change", "edit-end", "hover", "actions"]
    print(f"{'shape':18}{'step':10}" + "".join(f"{s:>9g}MB" for s in sizes) + "    x/2x")
    for name, make in SHAPES.items():
        rows = {step: [] for step in steps}
        for mb in sizes:
            times, n = run(binary, make(int(mb * (1 << 20))))
            for step in steps:
                rows[step].append(times[step])
        for step in steps:
            t = rows[step]
            ratio = t[-1] / t[-2] if len(t) > 1 and t[-2] > 0.02 else 0
            flag = " !" if ratio > 2.5 else ""
            print(f"{name:18}{step:10}" + "".join(f"{x:11.2f}" for x in t)
                  + (f"{ratio:8.2f}{flag}" if ratio else f"{'-':>8}"))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
