"""The configuration text for running HelpMap as replicas: nginx, systemd and Kubernetes.

One source for all of it, so what runs in the tests is what the documents tell a site to run:
`python -m helpmap serve` writes `nginx_site()` into its temporary nginx configuration, and the
files in deploy/ (and the blocks in docs/deploy.md) are rendered by `python -m helpmap.deploy`
from the same functions with production values (and the marked blocks in docs/deploy.md). tests/test_deploy_templates.py fails when a
committed file differs from what these functions render.

Templates use @name@ placeholders: nginx's own `$variables` and braces stay readable.
"""

from __future__ import annotations

import argparse
import re
import shlex
import sys
from pathlib import Path

APP_PORT = 8501  # one replica's port in production (systemd instances count up from here)
HEALTH_PATH = "/_stcore/health"  # Streamlit answers "ok"
STREAM_PATH = "/_stcore/stream"  # Streamlit's WebSocket: one per open tab
STATIC_URL = "/app/static/"  # Streamlit's static serving: static/ in the checkout
STICKY_COOKIE = "helpmap_node"  # picks the replica that holds a visitor's session
WEBSOCKET_TIMEOUT_S = 86400  # an open tab keeps its WebSocket for a day of idleness
STATIC_MAX_AGE_S = 604800  # a week: the map files' names carry no version, so not "immutable"
NEXT_UPSTREAM = "error timeout http_502 http_503"  # what sends a request on to another replica

PRODUCTION_ROOT = "/opt/helpmap"
PRODUCTION_SERVER_NAME = "help.example.org"
PRODUCTION_REPLICAS = 2  # one per core; add helpmap@PORT instances and upstream lines together
REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"


def streamlit_args(port: int | str, address: str) -> list[str]:
    """The arguments after `python` that start one replica, everywhere it runs."""
    return [
        "-m", "streamlit", "run", "app.py",
        "--server.address", address,
        "--server.port", str(port),
        "--server.headless", "true",
        "--server.fileWatcherType", "none",  # nothing changes under a running site
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip


def _fill(template: str, **values: str) -> str:
    text = template
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    left = re.findall(r"@[a-z_]+@", text)
    assert not left, f"unfilled placeholders {left}"
    return text


# --- nginx ------------------------------------------------------------------------------

NGINX_SITE = """\
# HelpMap behind nginx. Rendered by helpmap/deploy.py (`python -m helpmap.deploy`); the same text
# `python -m helpmap serve` runs and the tests drive with Chromium. Edit deploy.py, not this file.

map $http_upgrade $helpmap_connection {
    default upgrade;
    ''      close;
}

# Sticky sessions: a visitor's session lives in the memory of the replica that opened its
# WebSocket. The first answer sets a random cookie (no personal data, gone when the browser
# closes) and its value picks the replica; without it (cookies blocked in a third-party
# iframe) the address picks it. A replica that is down is skipped (proxy_next_upstream).
map $cookie_@cookie@ $helpmap_sticky_key {
    ''      $remote_addr;
    default $cookie_@cookie@;
}
map $cookie_@cookie@ $helpmap_set_cookie {
    ''      "@cookie@=$request_id; Path=/; HttpOnly; SameSite=Lax@cookie_secure@";
    default '';
}

# max_fails=0: a replica on this machine that is down refuses at once, so every request may
# try its own replica first and go on to the next; none is benched for a while after a crash
# (with two crashes close together that would leave no replica to go to).
upstream helpmap {
    hash $helpmap_sticky_key consistent;
@upstream_servers@
}
@extra_servers@
server {
@listen@
    server_tokens off;
    # A URL can hold a place (?place=...) and a place is health information: no access log,
    # and only critical errors (nginx's error lines quote the request line).
    access_log off;
    error_log @error_log@ crit;

    gzip on;
    gzip_vary on;
    gzip_proxied any;
    gzip_min_length 1024;
    gzip_types text/css application/javascript text/javascript application/json image/svg+xml text/plain;

    add_header Referrer-Policy "no-referrer" always;
    add_header Set-Cookie $helpmap_set_cookie;

    # Set here once: a location with its own proxy_set_header would lose all of these.
    proxy_http_version 1.1;
    proxy_set_header Upgrade $http_upgrade;
    proxy_set_header Connection $helpmap_connection;
    proxy_set_header Host $http_host;  # with the port: Streamlit compares it with Origin
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_connect_timeout 5s;
    proxy_next_upstream @next_upstream@;

    # The map's scripts and styles, straight from disk: the replicas never see these requests.
    location @static_url@ {
        alias @static_root@/;
        add_header Cache-Control "public, max-age=@static_max_age@";
        add_header X-Content-Type-Options nosniff;
        add_header Referrer-Policy "no-referrer" always;
    }

    # Streamlit's WebSocket: upgraded, unbuffered, kept open while the tab is.
    location = @stream_path@ {
        proxy_pass http://helpmap;
        proxy_buffering off;
        proxy_read_timeout @websocket_timeout@s;
        proxy_send_timeout @websocket_timeout@s;
    }

    location / {
        proxy_pass http://helpmap;
    }
}
"""

PRODUCTION_TLS = """\
    listen 443 ssl http2;
    server_name @server_name@;
    ssl_certificate     @certificate@;
    ssl_certificate_key @certificate_key@;
    # Who may put HelpMap in an iframe (leave out to allow every site; see embedding.md).
    # add_header Content-Security-Policy "frame-ancestors 'self' https://partner.example" always;"""

PRODUCTION_REDIRECT = """
server {
    listen 80;
    server_name @server_name@;
    access_log off;
    return 301 https://$host$request_uri;
}
"""


def nginx_site(
    replica_ports: list[int],
    *,
    listen: str,
    static_root: str,
    error_log: str = "stderr",
    tls: dict[str, str] | None = None,
) -> str:
    """The http-level nginx text: maps, the upstream of replicas and the server in front.

    `listen` is an address:port for plain HTTP (what `serve` uses); with `tls` (server_name,
    certificate, certificate_key) the server listens on 443 and port 80 redirects to it.
    """
    servers = "\n".join(f"    server 127.0.0.1:{port} max_fails=0;" for port in replica_ports)
    if tls:
        listen_lines = _fill(PRODUCTION_TLS, **tls)
        extra = _fill(PRODUCTION_REDIRECT, server_name=tls["server_name"])
    else:
        listen_lines = f"    listen {listen};"
        extra = ""
    return _fill(
        NGINX_SITE,
        cookie=STICKY_COOKIE,
        cookie_secure="; Secure" if tls else "",
        upstream_servers=servers,
        extra_servers=extra,
        listen=listen_lines,
        error_log=error_log,
        next_upstream=NEXT_UPSTREAM,
        static_url=STATIC_URL,
        static_root=static_root.rstrip("/"),
        static_max_age=str(STATIC_MAX_AGE_S),
        stream_path=STREAM_PATH,
        websocket_timeout=str(WEBSOCKET_TIMEOUT_S),
    )


# Only the types the static folder and Streamlit's answers need; `serve` has no system config.
MIME_TYPES = {
    "text/html": "html htm", "text/css": "css", "text/plain": "txt", "application/javascript": "js mjs",
    "application/json": "json map", "image/png": "png", "image/svg+xml": "svg", "image/x-icon": "ico",
    "font/woff2": "woff2",
}  # fmt: skip

NGINX_MAIN = """\
# Written by `python -m helpmap serve` into a temporary folder, removed when it stops.
daemon off;
master_process on;
worker_processes 1;
@user@pid @folder@/nginx.pid;
error_log stderr crit;

events {
    worker_connections 4096;
}

http {
    types {
@types@
    }
    default_type application/octet-stream;
    client_body_temp_path @folder@/client_body;
    proxy_temp_path @folder@/proxy;
    fastcgi_temp_path @folder@/fastcgi;
    uwsgi_temp_path @folder@/uwsgi;
    scgi_temp_path @folder@/scgi;

@site@
}
"""


def nginx_main(site: str, folder: str, user: str | None = None) -> str:
    """A complete nginx.conf for `serve`: everything nginx writes stays in `folder`."""
    types = "\n".join(f"        {mime} {exts};" for mime, exts in MIME_TYPES.items())
    indented = "\n".join(f"    {line}" if line else "" for line in site.splitlines())
    return _fill(
        NGINX_MAIN, user=f"user {user};\n" if user else "", folder=folder, types=types, site=indented
    )


def production_nginx_site() -> str:
    ports = [APP_PORT + i for i in range(PRODUCTION_REPLICAS)]
    name = PRODUCTION_SERVER_NAME
    tls = {
        "server_name": name,
        "certificate": f"/etc/letsencrypt/live/{name}/fullchain.pem",
        "certificate_key": f"/etc/letsencrypt/live/{name}/privkey.pem",
    }
    return nginx_site(ports, listen="", static_root=f"{PRODUCTION_ROOT}/static", error_log="/var/log/nginx/error.log", tls=tls)  # fmt: skip


# --- systemd ----------------------------------------------------------------------------

SYSTEMD_UNIT = """\
# HelpMap replica, one instance per port: systemctl enable --now helpmap@8501 helpmap@8502
# Rendered by helpmap/deploy.py (`python -m helpmap.deploy`): the same command `serve` runs.
[Unit]
Description=HelpMap replica on port %i
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=helpmap
Group=helpmap
WorkingDirectory=@root@
Environment=HELPMAP_CONFIG=/etc/helpmap/site.toml
# STREAMLIT_SERVER_COOKIE_SECRET=... here, the same for every replica (see docs/deploy.md).
EnvironmentFile=-/etc/helpmap/replicas.env
# Only nginx on this machine talks to a replica.
ExecStart=@exec@
Restart=always
RestartSec=2
# Hardening: HelpMap reads its code, its config and its data; it writes nothing.
NoNewPrivileges=true
ProtectSystem=strict
ProtectHome=true
PrivateTmp=true

[Install]
WantedBy=multi-user.target
"""


def systemd_unit() -> str:
    command = [f"{PRODUCTION_ROOT}/.venv/bin/python", *streamlit_args("%i", "127.0.0.1")]
    return _fill(SYSTEMD_UNIT, root=PRODUCTION_ROOT, exec=shlex.join(command))


# --- Kubernetes -------------------------------------------------------------------------

KUBERNETES = """\
# HelpMap on Kubernetes: replicas, a Service with session affinity and an Ingress (ingress-nginx)
# with sticky cookies and WebSocket timeouts. Rendered by helpmap/deploy.py from the values
# `python -m helpmap serve` uses; NOT applied to a cluster here (none is available).
apiVersion: apps/v1
kind: Deployment
metadata:
  name: helpmap
  labels: {app: helpmap}
spec:
  replicas: @replicas@
  selector:
    matchLabels: {app: helpmap}
  template:
    metadata:
      labels: {app: helpmap}
    spec:
      securityContext: {runAsNonRoot: true, runAsUser: 10001}
      containers:
        - name: helpmap
          image: registry.example.org/helpmap:0.1.0  # built from Containerfile
          command: [@command@]
          ports:
            - {name: http, containerPort: @port@}
          env:
            - {name: HELPMAP_CONFIG, value: /config/site.toml}
            - name: STREAMLIT_SERVER_COOKIE_SECRET  # the same in every replica
              valueFrom:
                secretKeyRef: {name: helpmap, key: cookie-secret, optional: true}
          volumeMounts:
            - {name: config, mountPath: /config, readOnly: true}
          readinessProbe:
            httpGet: {path: @health@, port: http}
            periodSeconds: 5
          livenessProbe:
            httpGet: {path: @health@, port: http}
            initialDelaySeconds: 30
            periodSeconds: 20
          resources:
            requests: {cpu: "1", memory: 512Mi}
            limits: {memory: 1Gi}
          securityContext: {allowPrivilegeEscalation: false}
      volumes:
        - name: config
          configMap: {name: helpmap-config}  # site.toml and the data files it names
---
apiVersion: v1
kind: Service
metadata:
  name: helpmap
spec:
  selector: {app: helpmap}
  ports:
    - {name: http, port: 80, targetPort: http}
  # For clients inside the cluster; the Ingress below keeps browsers on a pod with its cookie.
  sessionAffinity: ClientIP
  sessionAffinityConfig:
    clientIP: {timeoutSeconds: 10800}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: helpmap
  annotations:
    nginx.ingress.kubernetes.io/affinity: cookie
    nginx.ingress.kubernetes.io/affinity-mode: persistent
    nginx.ingress.kubernetes.io/session-cookie-name: @cookie@
    nginx.ingress.kubernetes.io/session-cookie-samesite: Lax
    nginx.ingress.kubernetes.io/session-cookie-secure: "true"
    nginx.ingress.kubernetes.io/proxy-read-timeout: "@websocket_timeout@"
    nginx.ingress.kubernetes.io/proxy-send-timeout: "@websocket_timeout@"
    nginx.ingress.kubernetes.io/proxy-next-upstream: "@next_upstream@"
    nginx.ingress.kubernetes.io/enable-access-log: "false"  # a URL can hold a place
spec:
  ingressClassName: nginx
  tls:
    - hosts: [@server_name@]
      secretName: helpmap-tls
  rules:
    - host: @server_name@
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: {name: helpmap, port: {name: http}}
"""


def kubernetes_manifests() -> str:
    command = ", ".join(f'"{part}"' for part in ["python", *streamlit_args(APP_PORT, "0.0.0.0")])
    return _fill(
        KUBERNETES,
        replicas=str(PRODUCTION_REPLICAS),
        command=command,
        port=str(APP_PORT),
        health=HEALTH_PATH,
        cookie=STICKY_COOKIE,
        websocket_timeout=str(WEBSOCKET_TIMEOUT_S),
        next_upstream=NEXT_UPSTREAM,
        server_name=PRODUCTION_SERVER_NAME,
    )


# --- the committed files ----------------------------------------------------------------


def rendered_files() -> dict[Path, str]:
    """Every file in deploy/ and what it must contain."""
    return {
        DEPLOY / "nginx" / "helpmap.conf": production_nginx_site(),
        DEPLOY / "systemd" / "helpmap@.service": systemd_unit(),
        DEPLOY / "kubernetes" / "helpmap.yaml": kubernetes_manifests(),
    }


# In docs/deploy.md, `<!-- deploy/FILE -->` on the line before a fenced block marks a copy.
DOCS = REPO / "docs" / "deploy.md"
_DOC_BLOCK = re.compile(r"(<!-- (deploy/\S+) -->\n```[a-z]*\n)(.*?)(^```)", re.DOTALL | re.MULTILINE)


def docs_with_files(text: str, files: dict[Path, str]) -> str:
    """docs/deploy.md with each marked block replaced by the current text of its file."""
    by_name = {str(path.relative_to(REPO)): content for path, content in files.items()}
    return _DOC_BLOCK.sub(lambda m: m.group(1) + by_name[m.group(2)] + m.group(4), text)


def doc_blocks(text: str) -> dict[str, str]:
    """The marked blocks in docs/deploy.md: file name -> the text the document shows."""
    return {m.group(2): m.group(3) for m in _DOC_BLOCK.finditer(text)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpmap.deploy", description="Render deploy/ from helpmap/deploy.py."
    )
    parser.add_argument("--check", action="store_true", help="only report files that differ (exit 1)")
    args = parser.parse_args(argv)
    wanted = rendered_files()
    wanted[DOCS] = docs_with_files(DOCS.read_text(), wanted)
    stale = [path for path, text in wanted.items() if not path.is_file() or path.read_text() != text]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(REPO)} differs from helpmap/deploy.py", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(wanted[path])
        print(f"wrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
