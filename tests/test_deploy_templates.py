"""The production files cannot drift from what `python -m helpmap serve` runs and is tested with.

deploy/ and the copies in docs/deploy.md are rendered by helpmap/deploy.py, the module serve
builds its nginx configuration and replica command from; these tests fail when a committed file
was edited by hand or not re-rendered (`make deploy-files`), when the production nginx site is
not valid for the real nginx, or when the Containerfile copies a path that does not exist or
runs another command than the one systemd, Kubernetes and serve run.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys

import pytest
import yaml

from helpmap import deploy, serve
from tests.conftest import REPO

CONTAINERFILE = REPO / "Containerfile"


def test_committed_deploy_files_are_what_deploy_py_renders():
    for path, text in deploy.rendered_files().items():
        assert path.is_file(), f"{path.relative_to(REPO)} is missing: run `make deploy-files`"
        assert path.read_text() == text, (
            f"{path.relative_to(REPO)} differs from helpmap/deploy.py: run `make deploy-files`"
        )


def test_docs_show_the_committed_nginx_site_and_systemd_unit():
    blocks = deploy.doc_blocks(deploy.DOCS.read_text())
    assert set(blocks) >= {"deploy/nginx/helpmap.conf", "deploy/systemd/helpmap@.service"}
    for name, shown in blocks.items():
        assert shown == (REPO / name).read_text(), (
            f"docs/deploy.md shows an old {name}: run `make deploy-files`"
        )


def test_serve_systemd_and_kubernetes_start_replicas_with_the_same_arguments():
    assert serve.replica_command(8600) == [sys.executable, *deploy.streamlit_args(8600, "127.0.0.1")]
    unit = (REPO / "deploy/systemd/helpmap@.service").read_text()
    exec_start = shlex.split(re.search(r"^ExecStart=(.*)$", unit, re.MULTILINE).group(1))
    assert exec_start[1:] == deploy.streamlit_args("%i", "127.0.0.1")
    assert "Restart=always" in unit

    documents = list(yaml.safe_load_all((REPO / "deploy/kubernetes/helpmap.yaml").read_text()))
    kinds = {doc["kind"]: doc for doc in documents}
    container = kinds["Deployment"]["spec"]["template"]["spec"]["containers"][0]
    assert container["command"] == ["python", *deploy.streamlit_args(deploy.APP_PORT, "0.0.0.0")]
    assert container["ports"][0]["containerPort"] == deploy.APP_PORT
    assert container["readinessProbe"]["httpGet"]["path"] == deploy.HEALTH_PATH
    assert container["livenessProbe"]["httpGet"]["path"] == deploy.HEALTH_PATH
    assert kinds["Service"]["spec"]["sessionAffinity"] == "ClientIP"


def test_kubernetes_ingress_keeps_the_nginx_site_promises():
    documents = list(yaml.safe_load_all((REPO / "deploy/kubernetes/helpmap.yaml").read_text()))
    annotations = next(doc for doc in documents if doc["kind"] == "Ingress")["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert annotations[prefix + "affinity"] == "cookie"
    assert annotations[prefix + "session-cookie-name"] == deploy.STICKY_COOKIE
    assert annotations[prefix + "proxy-read-timeout"] == str(deploy.WEBSOCKET_TIMEOUT_S)
    assert annotations[prefix + "proxy-send-timeout"] == str(deploy.WEBSOCKET_TIMEOUT_S)
    assert annotations[prefix + "proxy-next-upstream"] == deploy.NEXT_UPSTREAM
    assert annotations[prefix + "enable-access-log"] == "false"
    site = (REPO / "deploy/nginx/helpmap.conf").read_text()
    assert f"proxy_read_timeout {deploy.WEBSOCKET_TIMEOUT_S}s;" in site
    assert f"proxy_next_upstream {deploy.NEXT_UPSTREAM};" in site
    assert f"$cookie_{deploy.STICKY_COOKIE}" in site
    assert site.count("access_log off;") == 2  # the HTTPS site and the port-80 redirect


def test_serve_and_production_nginx_differ_only_in_where_they_listen(tmp_path):
    """Everything but the listen lines, TLS, error log path, upstream ports and static root is
    the same text, so the Chromium tests of serve speak for the production site."""
    served = deploy.nginx_site([40001, 40002], listen="127.0.0.1:40000", static_root="/srv/static")
    production = (REPO / "deploy/nginx/helpmap.conf").read_text()
    differs = re.compile(
        r"^\s*(listen|server_name|ssl_certificate|ssl_certificate_key|error_log|server 127|alias|#)"
    )

    def core(text: str) -> list[str]:
        text = re.sub(r"\nserver \{\n    listen 80;.*?\n\}\n", "\n", text, flags=re.DOTALL)  # the redirect
        return [
            line.replace("; Secure", "")
            for line in text.splitlines()
            if line.strip() and not differs.match(line)
        ]

    assert core(served) == core(production)


def nginx_binary() -> str:
    try:
        return serve.find_nginx()
    except serve.ServeError as error:
        pytest.fail(str(error))


def test_production_nginx_site_is_valid_for_the_real_nginx(tmp_path):
    if not shutil.which("openssl"):
        pytest.fail("openssl is needed to make a throwaway certificate for `nginx -t`")
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=help.example.org",
         "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    site = (REPO / "deploy/nginx/helpmap.conf").read_text()
    name = deploy.PRODUCTION_SERVER_NAME
    site = site.replace(f"/etc/letsencrypt/live/{name}/fullchain.pem", str(certificate))
    site = site.replace(f"/etc/letsencrypt/live/{name}/privkey.pem", str(key))
    site = site.replace("/var/log/nginx/error.log", str(tmp_path / "error.log"))
    config = tmp_path / "nginx.conf"
    config.write_text(deploy.nginx_main(site, str(tmp_path)).replace("daemon off;\n", ""))
    result = subprocess.run(
        [nginx_binary(), "-t", "-e", "stderr", "-p", str(tmp_path), "-c", str(config)],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def containerfile_instructions() -> list[tuple[str, str]]:
    text = CONTAINERFILE.read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [tuple(line.split(None, 1)) for line in lines]


def test_every_path_the_containerfile_copies_exists():
    copies = [args.split() for op, args in containerfile_instructions() if op == "COPY"]
    sources = [part for args in copies if not args[0].startswith("--from") for part in args[:-1]]
    assert sources, "no COPY instructions found"
    missing = [source for source in sources if not (REPO / source).exists()]
    assert missing == [], f"the Containerfile copies paths that do not exist: {missing}"

    # Everything `streamlit run app.py` reads is copied: the folders app.py and its pages name.
    top_level = {source.rstrip("/").split("/")[0] for source in sources}
    named = set(re.findall(r'"((?:app_pages|assets|ui|content|data)/[^"]+)"', (REPO / "app.py").read_text()))
    for path in named:
        assert (REPO / path).exists(), path
        assert path.split("/")[0] in top_level, f"app.py reads {path}, which the image does not copy"
    assert {"app.py", "app_pages", "ui", "assets", "helpmap", "content", "data", ".streamlit"} <= top_level
    assert any(args[0].startswith("--from") and args[-1].endswith("static/vendor") for args in copies)


def test_containerfile_runs_the_same_replica_as_kubernetes_and_says_it_is_not_built_here():
    instructions = containerfile_instructions()
    command = json.loads(next(args for op, args in instructions if op == "CMD"))
    assert command == ["python", *deploy.streamlit_args(deploy.APP_PORT, "0.0.0.0")]
    assert next(args for op, args in instructions if op == "EXPOSE") == str(deploy.APP_PORT)
    health = next(args for op, args in instructions if op == "HEALTHCHECK")
    assert f"127.0.0.1:{deploy.APP_PORT}{deploy.HEALTH_PATH}" in health
    assert "NOT BUILT OR RUN HERE" in CONTAINERFILE.read_text()
    assert "enableStaticServing = true" in (REPO / ".streamlit/config.toml").read_text()
