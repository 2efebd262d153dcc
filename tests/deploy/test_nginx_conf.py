"""The shipped reverse-proxy example (deploy/nginx.conf) passes `nginx -t` and holds the rules the README's
Deployment section promises: TLS, no framing, metrics refused, downloads only with a session cookie, the
WebSocket upgrade. Debian's nginx is installed by `make test` (as chromium is); the file is included
byte for byte inside a minimal http {} with a throwaway self-signed certificate.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def _self_signed(folder: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "dashboard.example.nhs.uk")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    folder.mkdir()
    (folder / "feedback-dashboard.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "feedback-dashboard.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def nginx_test(conf: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    """`nginx -t` on `conf` included in a minimal main configuration under tmp_path."""
    if NGINX is None:
        pytest.skip(
            "Debian's nginx is not installed here; `make test` installs it (apt-get, as root) "
            "to check deploy/nginx.conf"
        )
    _self_signed(tmp_path / "tls")
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid nginx.pid;\nevents {{}}\nhttp {{\n    access_log off;\n    include {conf};\n}}\n"
    )
    return subprocess.run(
        [NGINX, "-t", "-p", f"{tmp_path}/", "-c", str(main), "-e", "stderr"],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_shipped_proxy_configuration_passes_nginx_t(tmp_path: Path) -> None:
    result = nginx_test(CONF, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_nginx_t_fails_on_a_broken_configuration(tmp_path: Path) -> None:
    # Guards the check itself: a configuration nginx rejects must fail it.
    broken = tmp_path / "broken.conf"
    broken.write_text(CONF.read_text().replace("proxy_http_version 1.1;", "proxy_http_version;", 1))
    result = nginx_test(broken, tmp_path)
    assert result.returncode != 0
    assert "invalid number of arguments" in result.stderr


def _location(text: str, head: str) -> str:
    start = text.index(head)
    return text[start : text.index("\n    }", start)]


def test_the_proxy_closes_what_the_app_leaves_open() -> None:
    text = re.sub(r"#.*", "", CONF.read_text())
    assert re.search(r"listen 443 ssl http2;", text)
    assert "return 301 https://" in text
    assert "frame-ancestors 'none'" in text and 'X-Frame-Options "DENY"' in text
    assert "return 404" in _location(text, "location = /_stcore/metrics")
    media = _location(text, "location ^~ /media/")
    assert '$cookie__streamlit_user = ""' in media and "return 403" in media
    assert "no-store" in media and "frame-ancestors 'none'" in media  # add_header is not inherited
    stream = _location(text, "location = /_stcore/stream")
    assert "proxy_set_header Upgrade $http_upgrade" in stream
    assert "proxy_set_header Host $host" in stream
    # Several app servers, each browser always on the same one (its session lives there).
    start = text.index("upstream feedback_dashboard {")
    upstream = text[start : text.index("\n}", start)]
    assert "hash $feedback_route consistent" in upstream
    assert len(re.findall(r"^\s+server 127\.0\.0\.1:\d+;", upstream, flags=re.M)) >= 2
    assert "feedback_route=$feedback_route" in media  # the route cookie is not lost on /media/
