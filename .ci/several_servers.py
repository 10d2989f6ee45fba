"""The portal on several servers (issue 18, part 5): the checks .ci/several_servers.sh runs against two
gunicorn instances that share PostgreSQL, an S3-compatible store (moto) and the task queue (Redis).

Standard library only. It acts as a browser would behind an HTTPS proxy: every request says
`X-Forwarded-Proto: https` (production trusts it), keeps the cookies itself (they are Secure, which
http.cookiejar would not send over plain HTTP), and sends the same-origin Referer and Origin that
Django's CSRF check asks of a secure request. One cookie jar serves both servers, as one browser's
would (cookies are per host, not per port).

    .venv/bin/python .ci/several_servers.py --a PORT --b PORT --setup IDS.json --worker-pid PID

IDS.json is written by the setup step of several_servers.sh; the clerk's TOTP key (hex) comes in
the environment as CLERK_TOTP_KEY. Exits 1 with "FAILED: ..." on any mismatch."""

import argparse
import hashlib
import hmac
import http.client
import http.cookies
import json
import os
import re
import secrets
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from html import unescape
from html.parser import HTMLParser

PUBLISH_DEADLINE = 180  # seconds to wait for the worker to publish the revision
STALE_TEXT = "Someone else saved this since you opened it"


class Failure(Exception):
    """A check did not hold."""


def check(condition, message: str) -> None:
    if not condition:
        raise Failure(message)


def proved(message: str) -> None:
    print(f"  ok: {message}", flush=True)


# -- HTTP as a browser behind the proxy -----------------------------------------------------------
class Response:
    def __init__(self, status: int, headers, body: bytes, url: str):
        self.status, self.headers, self.body, self.url = status, headers, body, url

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def describe(self) -> str:
        return f"{self.status} for {self.url}" + (f" -> {self.location}" if self.location else "")


class Server:
    def __init__(self, name: str, port: int):
        self.name, self.port = name, port
        self.origin = f"https://127.0.0.1:{port}"

    def __str__(self):
        return f"server {self.name} (:{self.port})"


class Browser:
    def __init__(self, servers: list[Server]):
        self.cookies: dict[str, str] = {}
        self.by_port = {server.port: server for server in servers}

    def request(self, server, method, path, *, body=None, content_type=None, signed_in=True, referer=None):
        headers = {
            "Host": f"127.0.0.1:{server.port}",
            "X-Forwarded-Proto": "https",
            "User-Agent": "lgaboard-ci-several-servers",
            "Accept": "text/html,application/pdf,*/*",
        }
        if signed_in and self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if method == "POST":
            headers["Origin"] = server.origin
            headers["Referer"] = server.origin + (referer or path)
            headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=90)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read(), f"{method} {path} on {server}")
        finally:
            connection.close()
        if signed_in:
            self._keep_cookies(raw.headers.get_all("Set-Cookie") or [])
        check(response.status < 500, f"{response.describe()}: server error\n{response.text[:2000]}")
        return response

    def _keep_cookies(self, values: list[str]) -> None:
        for value in values:
            cookie = http.cookies.SimpleCookie()
            cookie.load(value)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, server, path, *, signed_in=True, follow=True) -> Response:
        """GET, following redirects within the portal's servers; a redirect elsewhere (the S3 store)
        is returned as it is."""
        response = self.request(server, "GET", path, signed_in=signed_in)
        for _ in range(10):
            if not (follow and response.status in (301, 302, 303, 307, 308) and response.location):
                return response
            target = urllib.parse.urlsplit(response.location)
            if target.netloc:
                port = target.port
                if target.hostname != "127.0.0.1" or port not in self.by_port:
                    return response
                server = self.by_port[port]
            path = urllib.parse.urlunsplit(("", "", target.path, target.query, ""))
            response = self.request(server, "GET", path, signed_in=signed_in)
        raise Failure(f"too many redirects from {path} on {server}")

    def post(self, server, path, fields, *, files=None, referer=None) -> Response:
        if files is not None:
            body, content_type = multipart(fields, files)
        else:
            body = urllib.parse.urlencode([(k, v or "") for k, v in fields]).encode()
            content_type = "application/x-www-form-urlencoded"
        return self.request(server, "POST", path, body=body, content_type=content_type, referer=referer)


def multipart(fields, files: dict) -> tuple[bytes, str]:
    """multipart/form-data as a browser sends it; a file input left empty is sent with no file."""
    boundary = "----lgaboardci" + secrets.token_hex(12)
    out = bytearray()

    def part(disposition: str, content: bytes, content_type: str | None = None) -> None:
        out.extend(f"--{boundary}\r\nContent-Disposition: form-data; {disposition}\r\n".encode())
        if content_type:
            out.extend(f"Content-Type: {content_type}\r\n".encode())
        out.extend(b"\r\n" + content + b"\r\n")

    for name, value in fields:
        if name in files:
            filename, content, content_type = files[name]
            part(f'name="{name}"; filename="{filename}"', content, content_type)
        elif value is None:  # a file input with nothing chosen
            part(f'name="{name}"; filename=""', b"", "application/octet-stream")
        else:
            part(f'name="{name}"', value.encode())
    out.extend(f"--{boundary}--\r\n".encode())
    return bytes(out), f"multipart/form-data; boundary={boundary}"


# -- forms, read as a browser submits them --------------------------------------------------------
class Form:
    def __init__(self, attrs: dict):
        self.attrs = attrs
        self.fields: list[list] = []  # [name, value]; value None for a file input
        self.templates: list[list] = []  # an admin inline's empty form (names with __prefix__)
        self.submits: list[tuple[str, str]] = []

    def add(self, name: str, value) -> None:
        (self.templates if "__prefix__" in name else self.fields).append([name, value])

    def get(self, name: str):
        for field_name, value in self.fields:
            if field_name == name:
                return value
        raise Failure(f"the form has no field {name!r}")

    def set(self, name: str, value) -> None:
        for field in self.fields:
            if field[0] == name:
                field[1] = value
                return
        raise Failure(f"the form has no field {name!r}")

    def submission(self, button: str | None = None) -> list[tuple[str, str | None]]:
        pairs = [(name, value) for name, value in self.fields]
        if button:
            value = dict(self.submits).get(button)
            check(value is not None, f"the form has no button {button!r}")
            pairs.append((button, value))
        return pairs


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.textarea: tuple[str, list[str]] | None = None
        self.select: dict | None = None
        self.option: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {key: ("" if value is None else value) for key, value in attrs}
        if tag == "form":
            self.form = Form(a)
            self.forms.append(self.form)
            return
        if self.form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            self.input(name, a)
        elif tag == "button" and name and a.get("type", "submit").lower() == "submit":
            self.form.submits.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea = (name, [])
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self.select is not None:
            self.option = {"value": a.get("value"), "selected": "selected" in a, "text": []}
            self.select["options"].append(self.option)

    def input(self, name: str, a: dict) -> None:
        kind = a.get("type", "text").lower()
        if kind in ("submit", "image", "button", "reset"):
            self.form.submits.append((name, a.get("value", "")))
        elif kind == "file":
            self.form.add(name, None)
        elif kind not in ("checkbox", "radio"):
            self.form.add(name, a.get("value", ""))
        elif "checked" in a:
            self.form.add(name, a.get("value", "on"))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1].append(data)
        elif self.option is not None:
            self.option["text"].append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            name, parts = self.textarea
            text = "".join(parts)
            # A browser drops the newline that starts a textarea's content (Django's widget writes one).
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            self.form.add(name, text)
            self.textarea = None
        elif tag == "option":
            self.option = None
        elif tag == "select" and self.select is not None:
            options = self.select["options"]
            values = [o["value"] if o["value"] is not None else "".join(o["text"]).strip() for o in options]
            chosen = [value for value, o in zip(values, options, strict=True) if o["selected"]]
            if not chosen and not self.select["multiple"] and values:
                chosen = values[:1]
            for value in chosen:
                self.form.add(self.select["name"], value)
            self.select = self.option = None
        elif tag == "form":
            self.form = None


def find_form(response: Response, *, id=None, action=None) -> Form:
    parser = FormParser()
    parser.feed(response.text)
    for form in parser.forms:
        if id is not None and form.attrs.get("id") == id:
            return form
        if action is not None and form.attrs.get("action", "").split("?")[0] == action:
            return form
    raise Failure(f"{response.describe()}: no form {id or action!r} on the page\n{response.text[:1500]}")


def page_errors(text: str) -> str:
    """What an admin or portal page says is wrong, for a failure message."""
    classes = r"errornote|errorlist|error-summary|govuk-error-message"
    found = re.findall(rf'class="[^"]*(?:{classes})[^"]*"[^>]*>(.*?)</', text, re.S)
    return "; ".join(unescape(re.sub(r"<[^>]+>", " ", f)).strip() for f in found if f.strip())[:2000]


def heading(text: str) -> str:
    match = re.search(r'<div role="status">\s*<h2>(.*?)</h2>\s*(?:<p[^>]*>(.*?)</p>)?', text, re.S)
    return (
        " ".join(unescape(re.sub(r"<[^>]+>", "", part or "")).strip() for part in match.groups())
        if match
        else ""
    )


# -- two-factor codes (RFC 6238, as django-otp's TOTPDevice: SHA-1, 30 s, 6 digits) --------------
def totp(key_hex: str, at: float | None = None) -> str:
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


# -- a small real PDF (the upload must pass meetings/validators.py) --------------------------------
def small_pdf(text: str) -> bytes:
    content = f"BT /F1 18 Tf 72 770 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_page_with(pdf: bytes, marker: str) -> int:
    """The page of the PDF whose text holds `marker` (pypdf, in the venv's Python), or 0."""
    code = (
        "import re, sys, pypdf\n"
        "reader = pypdf.PdfReader(sys.argv[1])\n"
        "for number, page in enumerate(reader.pages, start=1):\n"
        "    if sys.argv[2] in re.sub(r'[\\s\\u00ad-]', '', page.extract_text() or ''):\n"
        "        print(number); break\n"
        "else:\n"
        "    print(0)\n"
    )
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        result = subprocess.run(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", code, handle.name, marker], capture_output=True, text=True, check=False
        )
    check(result.returncode == 0, f"pypdf could not read the pack PDF: {result.stderr[-1500:]}")
    return int(result.stdout.strip() or 0)


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:16]


# -- the checks -----------------------------------------------------------------------------------
class Run:
    def __init__(self, a: Server, b: Server, setup: dict, totp_key: str, worker_pid: int):
        self.a, self.b, self.setup, self.totp_key, self.worker_pid = a, b, setup, totp_key, worker_pid
        self.browser = Browser([a, b])

    def worker_alive(self) -> bool:
        """Whether the RQ worker still runs (an exited one not yet waited for is a zombie: "Z")."""
        try:
            with open(f"/proc/{self.worker_pid}/stat") as handle:
                return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
        except (OSError, IndexError):
            return False

    def health(self, when: str) -> None:
        for server in (self.a, self.b):
            response = self.browser.request(server, "GET", "/health/", signed_in=False)
            check(
                (response.status, response.body) == (200, b"ok\n"),
                f"/health/ on {server} {when}: {response.status} {response.body[:200]!r}",
            )
        proved(f"GET /health/ says ok on both servers ({when})")

    def sign_in(self) -> None:
        """The clerk signs in on A with password and a code from their authenticator; the session,
        kept in the shared database, is then honoured by B."""
        page = self.browser.get(self.a, "/sign-in/?next=/admin/", signed_in=True)
        form = find_form(page, action="/sign-in/")
        form.set("username", self.setup["clerk"])
        form.set("password", self.setup["password"])
        response = self.browser.post(self.a, "/sign-in/", form.submission(), referer="/sign-in/?next=/admin/")
        check(response.status == 302, f"signing in: {response.describe()} {page_errors(response.text)}")
        page = self.browser.get(self.a, response.location)
        check("/sign-in/code/" in page.url, f"after the password, no code page: {page.describe()}")
        form = find_form(page, action="/sign-in/code/")
        form.set("code", totp(self.totp_key))
        response = self.browser.post(self.a, "/sign-in/code/", form.submission(), referer="/sign-in/code/")
        check(
            response.status == 302,
            f"the two-factor code was refused: {response.describe()} {page_errors(response.text)}",
        )
        admin = self.browser.get(self.a, "/admin/")
        check(admin.status == 200 and "/admin/" in admin.url, f"the admin after sign-in: {admin.describe()}")
        proved(f"the clerk signed in on {self.a} with a password and a two-factor (TOTP) code")
        admin = self.browser.get(self.b, "/admin/", follow=False)
        check(admin.status == 200, f"{self.b} does not honour the session made on A: {admin.describe()}")
        proved(f"{self.b} honours that session (sessions live in the shared database)")

    def change_form(self, server, report_id: int) -> tuple[str, Form]:
        path = f"/admin/meetings/report/{report_id}/change/"
        page = self.browser.get(server, path)
        check(page.status == 200, f"the report's change form: {page.describe()}")
        return path, find_form(page, id="report_form")

    def save(self, server, path, form, files=None) -> Response:
        if files is None:  # the change form is multipart (annexes): send it as the browser would
            files = {}
        return self.browser.post(server, path, form.submission("_save"), files=files, referer=path)

    def annex_uploaded_on_a_downloads_on_b(self) -> None:
        print("a. An annex uploaded through server A downloads byte-identical through server B", flush=True)
        upload = self.setup["upload"]
        pdf = small_pdf(f"Annex uploaded through server A, run {secrets.token_hex(6)}")
        path, form = self.change_form(self.a, upload["report_id"])
        prefix = "annexes"
        index = int(form.get(f"{prefix}-TOTAL_FORMS"))
        empty = [field for field in form.templates if field[0].startswith(f"{prefix}-__prefix__-")]
        check(empty, f"the report's change form has no empty annex form ({prefix}-__prefix__-*)")
        for name, value in empty:
            form.fields.append([name.replace("__prefix__", str(index)), value])
        form.set(f"{prefix}-TOTAL_FORMS", str(index + 1))
        form.set(f"{prefix}-{index}-letter", "A")
        form.set(f"{prefix}-{index}-title", "Uploaded through server A")
        files = {f"{prefix}-{index}-pdf": ("uploaded-through-a.pdf", pdf, "application/pdf")}
        response = self.save(self.a, path, form, files=files)
        check(
            response.status == 302,
            f"uploading the annex through A was refused: {response.describe()}: {page_errors(response.text)}",
        )
        proved(f"{self.a} accepted a {len(pdf)}-byte PDF as annex A of the draft meeting's report")

        url = upload["annex_url"]
        item_page = self.browser.get(self.b, upload["item_url"])
        check(
            item_page.status == 200 and url in item_page.text,
            f"{self.b}'s page of the item does not link the annex ({url}): {item_page.describe()}",
        )
        response = self.browser.get(self.b, url, follow=False)
        check(
            response.status == 302 and response.location,
            f"the annex through B should redirect to a signed S3 address: {response.describe()}",
        )
        signed = urllib.parse.urlsplit(response.location)
        query = urllib.parse.parse_qs(signed.query)
        check(
            signed.netloc == urllib.parse.urlsplit(self.setup["s3_endpoint"]).netloc
            and "X-Amz-Signature" in query
            and int(query.get("X-Amz-Expires", ["0"])[0]) <= 60,
            f"B sent the reader to {response.location}, not to a short-lived signed URL on the S3 store",
        )
        with urllib.request.urlopen(response.location, timeout=30) as signed_response:  # noqa: S310
            downloaded = signed_response.read()
        check(
            downloaded == pdf,
            f"the annex from B differs: {len(downloaded)} bytes sha {sha(downloaded)}, "
            f"uploaded {len(pdf)} bytes sha {sha(pdf)}",
        )
        proved(
            f"{self.b} redirected to an address on the S3 store signed for "
            f"{query['X-Amz-Expires'][0]} s, which gave the same {len(pdf)} bytes (sha256 {sha(pdf)}…)"
        )
        for server in (self.b, self.a):
            anonymous = self.browser.get(server, url, signed_in=False, follow=False)
            check(
                anonymous.status in (403, 404) and not anonymous.body.startswith(b"%PDF"),
                f"the anonymous public could get the draft's annex: {anonymous.describe()}",
            )
        proved(f"the anonymous public is refused the annex on both servers ({anonymous.status})")

    def pack_published_on_a_served_by_b(self) -> None:
        print("b. A pack published through server A is served by server B", flush=True)
        pack = self.setup["pack"]
        before = self.browser.get(self.b, pack["pdf_url"], signed_in=False)
        check(
            before.status == 200 and before.body.startswith(b"%PDF"),
            f"the public pack PDF before: {before.describe()}",
        )
        marker = "Severalservers" + secrets.token_hex(5).upper()
        path, form = self.change_form(self.a, pack["report_id"])
        body = form.get("body")
        form.set("body", body.rstrip() + f"\n\nThis paragraph was added through server A: {marker}.\n")
        response = self.save(self.a, path, form)
        check(
            response.status == 302,
            f"editing the report through A: {response.describe()}: {page_errors(response.text)}",
        )
        proved(f"the report of item {pack['item_number']} was edited through {self.a} (marker {marker})")

        changelist = "/admin/meetings/meeting/"
        page = self.browser.get(self.a, changelist)
        form = find_form(page, id="changelist-form")
        fields = [
            ("csrfmiddlewaretoken", form.get("csrfmiddlewaretoken")),
            ("action", "publish_changes"),
            ("select_across", "0"),
            ("index", "0"),
            ("_selected_action", str(pack["meeting_id"])),
        ]
        response = self.browser.post(self.a, changelist, fields)
        status_path = f"/admin/meetings/meeting/{pack['meeting_id']}/publishing/"
        check(
            response.status == 302 and status_path in response.location,
            f"'Publish the changes' on A should redirect to the publication's page: {response.describe()} "
            f"{page_errors(response.text)}",
        )
        status_path = urllib.parse.urlsplit(response.location).path
        started = time.monotonic()
        page = self.browser.get(self.a, status_path)
        said = heading(page.text)
        if said.startswith("Publishing…"):
            check(
                '<meta http-equiv="refresh"' in page.text,
                f"A's page of the running publication does not refresh itself: {said}",
            )
            proved(f"{self.a} answered at once with {status_path}: “Publishing…”, refreshing itself")
        else:
            proved(f"{self.a} answered with {status_path}, already finished: “{said}”")

        polls = 0
        while True:
            polls += 1
            page = self.browser.get(self.b, status_path)
            check(page.status == 200, f"the publication's page on B: {page.describe()}")
            said = heading(page.text)
            if re.match(r"Revision \d+ published", said):
                break
            check(
                said.startswith("Publishing…"),
                f"the publication did not succeed; B's page says: {said or page.text[:1500]}",
            )
            check(
                '<meta http-equiv="refresh"' in page.text,
                "B's page of the running publication does not refresh",
            )
            check(self.worker_alive(), "the RQ worker has died while the publication was running")
            check(
                time.monotonic() - started < PUBLISH_DEADLINE,
                f"the publication had not finished after {PUBLISH_DEADLINE} s; B's page says: {said}",
            )
            time.sleep(3)
        number = re.match(r"Revision (\d+)", said).group(1)
        proved(
            f"{self.b}'s page of the publication said “Revision {number} published” after "
            f"{time.monotonic() - started:.0f} s ({polls} looks; the RQ worker did the work)"
        )

        pdfs = {}
        for server in (self.b, self.a):
            response = self.browser.get(server, pack["pdf_url"], signed_in=False)
            check(
                response.status == 200 and response.body.startswith(b"%PDF"),
                f"the public pack PDF: {response.describe()}",
            )
            pdfs[server.name] = response.body
        check(
            pdfs["A"] == pdfs["B"],
            f"the public pack PDF differs between servers: A sha {sha(pdfs['A'])}, B sha {sha(pdfs['B'])}",
        )
        check(pdfs["B"] != before.body, "the public pack PDF is unchanged after publishing the revision")
        page_number = pdf_page_with(pdfs["B"], marker)
        check(page_number, f"the published pack PDF does not contain the edit ({marker})")
        proved(
            f"the public pack PDF is byte-identical from A and B ({len(pdfs['B'])} bytes, sha256 "
            f"{sha(pdfs['B'])}…), new since the edit, and shows it on page {page_number}"
        )
        for server in (self.b, self.a):
            page = self.browser.get(server, pack["page_url"], signed_in=False)
            check(
                page.status == 200 and marker in page.text,
                f"the public pack page on {server} does not show the edit: {page.describe()}",
            )
        proved("the public pack page shows the edit on both servers")

    def stale_save_refused(self) -> None:
        print("c. A save from a form opened before another server's save is refused", flush=True)
        report_id = self.setup["pack"]["report_id"]
        path, form_a = self.change_form(self.a, report_id)
        _, form_b = self.change_form(self.b, report_id)
        check(
            form_a.get("edit_version") == form_b.get("edit_version") != "",
            "the two change forms should carry the same version",
        )
        opened = form_a.get("edit_version")
        base = form_b.get("body").rstrip()
        body_b = base + "\n\nSaved through server B."
        form_b.set("body", body_b)
        response = self.save(self.b, path, form_b)
        check(
            response.status == 302, f"saving through B: {response.describe()}: {page_errors(response.text)}"
        )
        proved(f"the report (version {opened}) was saved through {self.b}")

        form_a.set("body", base + "\n\nSaved through server A from a form opened before B's save.")
        response = self.save(self.a, path, form_a)
        if response.status == 302:  # the database's own check (StaleEditAdminMixin) said it instead
            response = self.browser.get(self.a, response.location)
        check(
            STALE_TEXT in unescape(response.text),
            f"the stale save through A was not refused with the stale-edit message: {response.describe()} "
            f"{page_errors(response.text)}",
        )
        proved(f"{self.a} refused the save of the form opened before it: “{STALE_TEXT}…”")
        for server in (self.a, self.b):
            _, form = self.change_form(server, report_id)
            check(
                form.get("body") == body_b,
                f"the report's body on {server} is not the one saved through B:\n{form.get('body')[-300:]}",
            )
            check(
                int(form.get("edit_version")) == int(opened) + 1,
                f"version on {server}: {form.get('edit_version')}, expected {int(opened) + 1}",
            )
        proved(f"B's text remains, version {int(opened) + 1}, as both servers show")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--a", type=int, required=True, help="server A's port")
    parser.add_argument("--b", type=int, required=True, help="server B's port")
    parser.add_argument("--setup", required=True, help="the JSON the setup step wrote")
    parser.add_argument("--worker-pid", type=int, required=True)
    args = parser.parse_args()
    with open(args.setup) as handle:
        setup = json.load(handle)
    run = Run(Server("A", args.a), Server("B", args.b), setup, os.environ["CLERK_TOTP_KEY"], args.worker_pid)
    try:
        run.health("before the checks")
        run.sign_in()
        run.annex_uploaded_on_a_downloads_on_b()
        run.pack_published_on_a_served_by_b()
        run.stale_save_refused()
        print("d. Both servers are healthy after all that", flush=True)
        run.health("after the checks")
    except Failure as failure:
        print(f"several servers: FAILED: {failure}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
