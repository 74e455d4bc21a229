"""deploy/ parses and stays true to the code: ports, the environment variables the programs read,
health paths that exist, Rasa's HTTP API kept off the Ingress, and no secret committed."""

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from fastapi.testclient import TestClient

from scripts.stack import SERVER_KEEP_ALIVE_S
from service.core.settings import REPO_ROOT, Settings
from service.main import create_app

DEPLOY = REPO_ROOT / "deploy"
RASA_SITE = next((REPO_ROOT / ".venvs" / "rasa" / "lib").glob("python3*/site-packages"), None)
# Read by libraries, not by our settings: SQLAlchemy 1.4's warning in Rasa, TensorFlow's log level,
# Sanic's keep-alive in Rasa and the action servers.
LIBRARY_VARIABLES = {"SQLALCHEMY_SILENCE_UBER_WARNING", "TF_CPP_MIN_LOG_LEVEL", "SANIC_KEEP_ALIVE_TIMEOUT"}
# Rasa's HTTP API: never reachable through the Ingress.
RASA_API_PATHS = ["/conversations/x/tracker", "/model/parse", "/status", "/version", "/model"]


def manifests() -> list[dict]:
    kustomization = yaml.safe_load((DEPLOY / "kustomization.yaml").read_text(encoding="utf-8"))
    documents = []
    for name in kustomization["resources"]:
        documents += [d for d in yaml.safe_load_all((DEPLOY / name).read_text(encoding="utf-8")) if d]
    return documents


def of_kind(kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in manifests() if d["kind"] == kind}


def container(deployment: str) -> dict:
    (only,) = of_kind("Deployment")[deployment]["spec"]["template"]["spec"]["containers"]
    return only


def config() -> dict[str, str]:
    return of_kind("ConfigMap")["daoban-config"]["data"]


def secret_keys() -> set[str]:
    lines = (DEPLOY / "secrets.env.example").read_text(encoding="utf-8").splitlines()
    return {line.split("=", 1)[0] for line in lines if line and not line.startswith("#")}


def environment(of: dict) -> set[str]:
    """Every variable a container gets: its env, and whole ConfigMaps and Secrets."""
    names = {e["name"] for e in of.get("env", [])}
    for source in of.get("envFrom", []):
        if "configMapRef" in source:
            names |= set(of_kind("ConfigMap")[source["configMapRef"]["name"]]["data"])
        if "secretRef" in source:
            assert source["secretRef"]["name"] == "daoban-secrets"
            names |= secret_keys()
    return names


def read_by(path: str) -> set[str]:
    """The variables a module of the Rasa side reads (os.environ.get, require_secret)."""
    text = (REPO_ROOT / path).read_text(encoding="utf-8")
    names = set(re.findall(r'os\.environ\.get\("(\w+)"', text)) | set(re.findall(r'require_secret\("(\w+)"\)', text))
    for listed in re.findall(r"for name in \(([^)]*)\):\s*\n\s*require_secret\(name\)", text):
        names |= set(re.findall(r'"(\w+)"', listed))
    return names


def endpoint_variables() -> set[str]:
    return set(re.findall(r"\$\{(\w+)\}", (DEPLOY / "rasa" / "endpoints.yml").read_text(encoding="utf-8")))


def test_every_file_parses_and_the_kustomization_lists_every_manifest():
    kustomization = yaml.safe_load((DEPLOY / "kustomization.yaml").read_text(encoding="utf-8"))
    listed = set(kustomization["resources"])
    on_disk = {p.name for p in DEPLOY.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == on_disk
    for document in manifests():
        assert {"apiVersion", "kind", "metadata"} <= set(document) and document["metadata"]["name"]
    assert yaml.safe_load((DEPLOY / "rasa" / "endpoints.yml").read_text(encoding="utf-8"))["lock_store"]["type"] == "bot.lock_store.AtomicRedisLockStore"
    assert set(of_kind("Deployment")) == {"daoban-rasa", "daoban-actions", "daoban-service", "daoban-worker"}


def test_ports_are_the_programs_ports_and_the_config_points_at_the_services():
    defaults = dict(line.split("=", 1) for line in (REPO_ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
                    if line and not line.startswith("#"))
    ports = {
        "daoban-rasa": urlsplit(Settings.model_fields["RASA_URL"].default).port,
        "daoban-service": urlsplit(defaults["SERVICE_URL"]).port,
        "daoban-actions": urlsplit(defaults["ACTION_ENDPOINT_URL"]).port,
    }
    assert ports == {"daoban-rasa": 5005, "daoban-service": 8000, "daoban-actions": 5055}
    services = of_kind("Service")
    for name, port in ports.items():
        (container_port,) = container(name)["ports"]
        assert container_port["containerPort"] == port
        command = container(name).get("command", []) + container(name).get("args", [])
        assert command[command.index("--port") + 1] == str(port), name
        (service_port,) = services[name]["spec"]["ports"]
        assert service_port["port"] == port and service_port["targetPort"] == container_port["name"]
        assert services[name]["spec"]["selector"] == of_kind("Deployment")[name]["spec"]["selector"]["matchLabels"]
    for variable, service, path in (("RASA_URL", "daoban-rasa", ""), ("SERVICE_URL", "daoban-service", ""),
                                    ("ACTION_ENDPOINT_URL", "daoban-actions", urlsplit(defaults["ACTION_ENDPOINT_URL"]).path)):
        url = urlsplit(config()[variable])
        assert (url.hostname, url.port, url.path) == (service, ports[service], path), variable


def test_every_variable_given_is_read_and_every_one_needed_is_given():
    service_reads = set(Settings.model_fields)
    actions_read = read_by("actions/settings.py")
    rasa_reads = read_by("bot/conversation_relay.py") | read_by("bot/server.py") | endpoint_variables()
    assert {"SERVICE_URL", "BOT_TOKEN"} <= actions_read and {"BOT_TOKEN", "RASA_TOKEN"} <= rasa_reads
    everything_read = service_reads | actions_read | rasa_reads | {"ENVIRONMENT"} | LIBRARY_VARIABLES
    assert set(config()) - everything_read == set()
    assert secret_keys() - everything_read == set()
    # What each program needs is there: the secrets without defaults outside development, and its addresses.
    service_needs = {"STAFF_TOKEN", "BOT_TOKEN", "ID_HASH_KEY", "RASA_TOKEN", "DATABASE_URL", "RASA_URL", "ENVIRONMENT"}
    assert service_needs <= environment(container("daoban-service"))
    assert service_needs <= environment(container("daoban-worker"))
    assert actions_read - {"SERVICE_TIMEOUT_S", "MAX_MESSAGE_CHARS"} <= environment(container("daoban-actions"))
    assert rasa_reads <= environment(container("daoban-rasa"))
    assert container("daoban-service")["env"] == [{"name": "OUTBOX_WORKER", "value": "false"}]
    assert container("daoban-worker")["env"] == [{"name": "OUTBOX_WORKER", "value": "true"}]


def test_probes_ask_paths_that_exist():
    service_paths = {route.path for route in create_app().routes}
    for name in ("daoban-service", "daoban-worker"):
        assert container(name)["livenessProbe"]["httpGet"]["path"] in service_paths
    assert container("daoban-service")["readinessProbe"]["httpGet"]["path"] == "/health"
    assert container("daoban-actions")["readinessProbe"]["httpGet"]["path"] == "/health"
    assert container("daoban-rasa")["readinessProbe"]["httpGet"]["path"] == "/"
    if RASA_SITE is None:
        pytest.skip("no Rasa environment (.venvs/rasa) to read Rasa's and rasa-sdk's routes from")
    assert '@app.get("/health")' in (RASA_SITE / "rasa_sdk" / "endpoint.py").read_text(encoding="utf-8")
    assert '@app.get("/")' in (RASA_SITE / "rasa" / "server.py").read_text(encoding="utf-8")


def test_rasa_runs_the_shared_model_with_its_token_and_the_cluster_endpoints():
    pod = of_kind("Deployment")["daoban-rasa"]["spec"]["template"]["spec"]
    rasa = container("daoban-rasa")
    args = rasa["args"]
    assert "--auth-token=$(RASA_TOKEN)" in args and "--enable-api" in args
    model = Path(args[args.index("--model") + 1])
    mounts = {m["name"]: m for m in rasa["volumeMounts"]}
    assert model.parent == Path(mounts["models"]["mountPath"]) and mounts["models"]["readOnly"]
    (fetch,) = pod["initContainers"]
    assert str(model) in fetch["args"][0]
    assert Path(args[args.index("--endpoints") + 1]).parent == Path(mounts["endpoints"]["mountPath"])


def test_the_ingress_exposes_rasa_only_through_its_channels_and_socketio_is_sticky():
    routes = []  # (path, pathType, backend service, ingress)
    for name, ingress in of_kind("Ingress").items():
        for rule in ingress["spec"]["rules"]:
            routes += [(p["path"], p["pathType"], p["backend"]["service"]["name"], name) for p in rule["http"]["paths"]]

    def backend(path: str) -> str:
        matching = [r for r in routes if (r[0] == path if r[1] == "Exact" else path.startswith(r[0]))]
        exact = [r for r in matching if r[1] == "Exact"]
        return (exact or sorted(matching, key=lambda r: -len(r[0])))[0][2]

    assert {r[2] for r in routes} == {"daoban-rasa", "daoban-service"}  # never the action server
    assert backend("/webhooks/rest/webhook") == "daoban-rasa"
    assert backend("/socket.io/?EIO=4&transport=polling") == "daoban-rasa"
    service = TestClient(create_app())  # no lifespan: the routes alone
    for path in RASA_API_PATHS:
        assert backend(path) == "daoban-service", path
        assert service.post(path).status_code == 404 and service.get(path).status_code == 404, path
    for path in ("/chat", "/api/catalogue/search", "/wechat", "/health"):
        assert backend(path) == "daoban-service"
    socketio = of_kind("Ingress")["daoban-socketio"]["metadata"]["annotations"]
    assert socketio["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    # The web chat posts to RASA_PUBLIC_URL + /webhooks/rest/webhook: the Ingress's own host.
    hosts = {rule["host"] for ingress in of_kind("Ingress").values() for rule in ingress["spec"]["rules"]}
    assert hosts == {urlsplit(config()["RASA_PUBLIC_URL"]).hostname}


def test_no_secret_value_is_committed():
    assert not of_kind("Secret")  # made by kustomize from deploy/secrets.env
    for line in (DEPLOY / "secrets.env.example").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            assert line.endswith("="), line
    assert "deploy/secrets.env" in (REPO_ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    tracked = subprocess.run(["git", "ls-files", "deploy"], cwd=REPO_ROOT, capture_output=True, text=True).stdout
    assert "deploy/secrets.env\n" not in tracked


def test_every_container_asks_for_what_it_needs():
    for name in of_kind("Deployment"):
        resources = container(name)["resources"]
        assert {"cpu", "memory"} <= set(resources["requests"]) and "memory" in resources["limits"], name


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl (with its kustomize) is not installed")
def test_kustomize_builds_it(tmp_path):
    copy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, copy)
    (copy / "secrets.env").write_text((DEPLOY / "secrets.env.example").read_text(encoding="utf-8"), encoding="utf-8")
    built = subprocess.run(["kubectl", "kustomize", str(copy)], capture_output=True, text=True, timeout=60)
    assert built.returncode == 0, built.stderr
    kinds = [d["kind"] for d in yaml.safe_load_all(built.stdout) if d]
    assert kinds.count("Deployment") == 4 and kinds.count("Secret") == 1 and kinds.count("Ingress") == 2
    assert "registry.example.gov.cn/daoban/rasa:0.1.0" in built.stdout


def test_the_servers_keep_idle_connections_as_long_as_make_run_does():
    # Longer than their clients keep them (scripts/stack.py, SERVER_KEEP_ALIVE_S).
    assert config()["SANIC_KEEP_ALIVE_TIMEOUT"] == str(SERVER_KEEP_ALIVE_S)
    for name in ("daoban-rasa", "daoban-actions"):
        assert "SANIC_KEEP_ALIVE_TIMEOUT" in environment(container(name))
    for name in ("daoban-service", "daoban-worker"):
        command = container(name)["command"]
        assert command[command.index("--timeout-keep-alive") + 1] == str(SERVER_KEEP_ALIVE_S)
