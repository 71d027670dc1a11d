"""SafeFetcher against a local HTTP server: refusals, redirects, caps. No external network."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.openbadges.fetching import FetchError
from app.security.fetcher import SafeFetcher, address_refusal


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict | None = None):
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        port = self.server.server_address[1]
        path = self.path
        if path == "/badge.json":
            self._send(200, b'{"ok": true}', {"Content-Type": "application/json"})
        elif path == "/echo-host":
            self._send(200, self.headers.get("Host", "").encode())
        elif path == "/gone":
            self._send(410, b"revoked")
        elif path.startswith("/hop/"):
            left = int(path.rsplit("/", 1)[1])
            target = "/badge.json" if left == 0 else f"/hop/{left - 1}"
            self._send(302, headers={"Location": target})
        elif path == "/loop":
            self._send(301, headers={"Location": "/loop"})
        elif path == "/to-bad-url":
            self._send(302, headers={"Location": "http://[not-ipv6/x"})
        elif path == "/to-file":
            self._send(302, headers={"Location": "file:///etc/passwd"})
        elif path == "/to-other-loopback":
            self._send(302, headers={"Location": f"http://127.0.0.2:{port}/badge.json"})
        elif path == "/big-declared":
            self._send(200, b"x" * 5000)
        elif path == "/big-chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for _ in range(10):
                self.wfile.write(b"3e8\r\n" + b"y" * 1000 + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/slow":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"z")
                self.wfile.flush()
                time.sleep(0.05)
        else:
            self._send(404, b"not found")


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_loopback_is_refused_by_default(server):
    with pytest.raises(FetchError, match="loopback"):
        SafeFetcher().get(server + "/badge.json")


def test_localhost_name_is_refused_after_resolution(server):
    port = server.rsplit(":", 1)[1]
    with pytest.raises(FetchError, match="refused"):
        SafeFetcher().get(f"http://localhost:{port}/badge.json")


def test_allowed_with_private_networks_flag(server):
    response = SafeFetcher(allow_private_networks=True).get(server + "/badge.json")
    assert response.status == 200
    assert response.content == b'{"ok": true}'
    assert response.content_type == "application/json"


def test_non_200_status_is_returned_for_the_caller_to_judge(server):
    response = SafeFetcher(allow_private_networks=True).get(server + "/gone")
    assert response.status == 410


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.org/x", "gopher://example.org/", "javascript:alert(1)", "/relative"],
)
def test_non_http_schemes_are_refused(url):
    with pytest.raises(FetchError, match="only http and https"):
        SafeFetcher(allow_private_networks=True).get(url)


def test_credentials_in_url_are_refused(server):
    with pytest.raises(FetchError, match="credentials"):
        SafeFetcher(allow_private_networks=True).get(server.replace("http://", "http://u:p@") + "/badge.json")


def test_redirects_are_followed_up_to_the_limit(server):
    fetcher = SafeFetcher(allow_private_networks=True, max_redirects=3)
    response = fetcher.get(server + "/hop/2")
    assert response.status == 200
    assert response.url.endswith("/badge.json")
    with pytest.raises(FetchError, match="too many redirects"):
        fetcher.get(server + "/hop/3")


def test_redirect_loop_is_reported(server):
    with pytest.raises(FetchError, match="redirect loop"):
        SafeFetcher(allow_private_networks=True, max_redirects=10).get(server + "/loop")


def test_malformed_redirect_location_is_a_fetch_error(server):
    with pytest.raises(FetchError, match="malformed"):
        SafeFetcher(allow_private_networks=True).get(server + "/to-bad-url")


def test_redirect_to_non_http_scheme_is_refused(server):
    with pytest.raises(FetchError, match="only http and https"):
        SafeFetcher(allow_private_networks=True).get(server + "/to-file")


class _OnlyFirstLoopback(SafeFetcher):
    """Allows 127.0.0.1 only, so we can watch a redirect hop being re-checked."""

    def _refusal(self, ip):
        return None if ip == ipaddress.ip_address("127.0.0.1") else address_refusal(ip)


def test_every_redirect_hop_is_rechecked(server):
    fetcher = _OnlyFirstLoopback()
    assert fetcher.get(server + "/badge.json").status == 200
    with pytest.raises(FetchError, match="127.0.0.2 is a loopback address"):
        fetcher.get(server + "/to-other-loopback")


class _PinnedResolver(SafeFetcher):
    """Resolves badges.test to the local server, to see which address is connected to."""

    def _resolve(self, host, port):
        return ["127.0.0.1"] if host == "badges.test" else super()._resolve(host, port)


def test_connects_to_the_checked_address_and_keeps_the_host_name(server):
    port = server.rsplit(":", 1)[1]
    response = _PinnedResolver(allow_private_networks=True).get(f"http://badges.test:{port}/echo-host")
    assert response.content == f"badges.test:{port}".encode()
    with pytest.raises(FetchError, match="loopback"):
        _PinnedResolver().get(f"http://badges.test:{port}/echo-host")


def test_byte_cap_on_declared_length(server):
    with pytest.raises(FetchError, match="too large"):
        SafeFetcher(allow_private_networks=True, max_bytes=1000).get(server + "/big-declared")


def test_byte_cap_while_streaming_without_length(server):
    with pytest.raises(FetchError, match="too large"):
        SafeFetcher(allow_private_networks=True, max_bytes=5000).get(server + "/big-chunked")
    body = SafeFetcher(allow_private_networks=True, max_bytes=20000).get(server + "/big-chunked").content
    assert body == b"y" * 10000


def test_overall_timeout_catches_a_dripping_server(server):
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        SafeFetcher(allow_private_networks=True, timeout=0.5).get(server + "/slow")
    assert time.monotonic() - started < 2.5


def test_unresolvable_host_is_a_fetch_error(monkeypatch):
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)  # no DNS traffic from tests
    with pytest.raises(FetchError, match="cannot resolve"):
        SafeFetcher().get("http://no-such-host.invalid/")


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "100.100.100.200",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd00:ec2::254",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "64:ff9b::a00:1",
        "2002:7f00:1::1",
        "ff02::1",
    ],
)
def test_non_public_addresses_are_refused(address):
    assert address_refusal(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_pass(address):
    assert address_refusal(ipaddress.ip_address(address)) is None


# --- HTTPS: certificates are checked against the host name, though we connect to an IP ----------


def _certificate_pair(tmp_path):
    """A test CA and a server certificate for badges.test signed by it (files in tmp_path)."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def name(common):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("Credwork test CA"))
        .issuer_name(name("Credwork test CA"))
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(name("badges.test"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("badges.test")]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "leaf.pem").write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "leaf.key").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return tmp_path / "ca.pem", tmp_path / "leaf.pem", tmp_path / "leaf.key"


@pytest.fixture
def tls_server(tmp_path):
    import ssl

    ca, cert, key = _certificate_pair(tmp_path)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    httpd.socket = server_context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], ca
    httpd.shutdown()
    httpd.server_close()


def test_https_to_a_pinned_address_verifies_the_certificate_for_the_host_name(tls_server):
    import ssl

    port, ca = tls_server
    trusting = ssl.create_default_context(cafile=str(ca))
    fetcher = _PinnedResolver(allow_private_networks=True, ssl_context=trusting)
    response = fetcher.get(f"https://badges.test:{port}/badge.json")
    assert (response.status, response.content) == (200, b'{"ok": true}')


def test_https_with_an_untrusted_certificate_is_refused(tls_server):
    port, _ca = tls_server
    with pytest.raises(FetchError, match="SSLCertVerificationError"):
        _PinnedResolver(allow_private_networks=True).get(f"https://badges.test:{port}/badge.json")


def test_https_certificate_must_match_the_name_in_the_url(tls_server):
    import ssl

    port, ca = tls_server
    trusting = ssl.create_default_context(cafile=str(ca))
    with pytest.raises(FetchError, match="SSLCertVerificationError"):
        SafeFetcher(allow_private_networks=True, ssl_context=trusting).get(f"https://127.0.0.1:{port}/badge.json")


class _EverythingPrivate(SafeFetcher):
    """Resolves every name to a private address, so fuzzed URLs never leave the machine."""

    def _resolve(self, host, port):
        return ["10.0.0.1"]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=80),
        st.text(max_size=60).map(lambda t: "http://" + t),
        st.text(max_size=60).map(lambda t: "https://[" + t),
    )
)
def test_any_url_string_gives_a_response_or_fetch_error_only(url):
    with pytest.raises(FetchError):
        _EverythingPrivate().get(url)
