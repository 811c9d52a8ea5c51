"""Build, start and stop the local OpenSearch development cluster in opensearch-dev/ (a development aid).

The Java launcher runs real OpenSearch nodes in one JVM on loopback ports; this module builds it with
Maven when its sources changed, starts it in its own session, waits until it reports ready (cluster.json
in the data folder), and stops it by the pid it wrote. Standard library only, so `make opensearch` can run
it with the system Python: `python3 tests/opensearch_cluster.py start|stop|status`.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PROJECT = REPO / "opensearch-dev"
JAR = PROJECT / "target" / "opensearch-dev.jar"
DEFAULT_DATA = PROJECT / "data"
HEAP = os.environ.get("OPENSEARCH_DEV_HEAP", "512m")
# Light on a shared 2-core machine: the serial collector and no C2 compiler threads for a short-lived cluster.
JAVA_OPTS = os.environ.get("OPENSEARCH_DEV_JAVA_OPTS", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1")
START_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0
_BIND_ERRORS = ("BindException", "BindTransportException", "BindHttpException", "Address already in use")


class ClusterError(RuntimeError):
    """The cluster could not be built, started or stopped; the message says why and where the log is."""


def missing_tools() -> str | None:
    """Why the cluster cannot be built here (no java or mvn on PATH), or None when it can."""
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    return f"{' and '.join(missing)} not on PATH (install a JDK 17 and Maven)" if missing else None


def _sources() -> list[Path]:
    return [PROJECT / "pom.xml", *(p for p in (PROJECT / "src").rglob("*") if p.is_file())]


def build(*, force: bool = False) -> Path:
    """The launcher jar, built with Maven first when it is missing or older than its sources.

    Tries offline first (every dependency already in ~/.m2), so a warm machine builds without the network.
    """
    if not force and JAR.exists() and JAR.stat().st_mtime >= max(p.stat().st_mtime for p in _sources()):
        return JAR
    reason = missing_tools()
    if reason:
        raise ClusterError(f"cannot build {PROJECT.name}: {reason}")
    base = ["mvn", "-q", "-B", "-Dstyle.color=never", "-f", str(PROJECT / "pom.xml"), "package"]
    result = None
    if (Path.home() / ".m2" / "repository" / "org" / "opensearch").is_dir():
        result = subprocess.run(["mvn", "-o", *base[1:]], capture_output=True, text=True)
    if result is None or result.returncode != 0:
        result = subprocess.run(base, capture_output=True, text=True)
    if result.returncode != 0 or not JAR.exists():
        raise ClusterError(f"Maven build of {PROJECT.name} failed:\n{(result.stdout + result.stderr)[-4000:]}")
    JAR.touch()
    return JAR


@dataclass
class Cluster:
    """A running development cluster, as its launcher described itself in cluster.json."""

    pid: int
    data: Path
    urls: list[str]
    control: str
    nodes: list[dict] = field(default_factory=list)
    process: subprocess.Popen | None = field(default=None, repr=False, compare=False)

    @property
    def url(self) -> str:
        return self.urls[0]

    def stop_node(self, name: str) -> None:
        """Close one node inside the running JVM, as if its machine went away."""
        self._control(f"/nodes/{name}/stop")

    def start_node(self, name: str) -> None:
        """Start a stopped node again, on its old ports and data folder."""
        self._control(f"/nodes/{name}/start")

    def running_nodes(self) -> list[str]:
        with urllib.request.urlopen(self.control + "/nodes", timeout=30) as reply:
            return [n["name"] for n in json.load(reply)["nodes"] if n["running"]]

    def _control(self, path: str) -> None:
        request = urllib.request.Request(self.control + path, method="POST")
        with urllib.request.urlopen(request, timeout=120) as reply:
            json.load(reply)

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        stop(self.data, timeout=timeout, process=self.process)


def read(data: Path = DEFAULT_DATA) -> Cluster | None:
    """The cluster running on this data folder, or None (no state file, or its JVM is gone)."""
    try:
        state = json.loads((Path(data) / "cluster.json").read_text())
        if not _is_launcher(int(state["pid"])):
            return None
        return Cluster(pid=int(state["pid"]), data=Path(data), urls=[n["http"] for n in state["nodes"]],
                       control=state["control"], nodes=state["nodes"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _is_launcher(pid: int) -> bool:
    """True when pid is alive and is our launcher JVM (so a reused pid is never signalled)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return b"opensearch-dev.jar" in cmdline and "\nState:\tZ" not in status


def _log_tail(log: Path, chars: int = 4000) -> str:
    try:
        return log.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


def start(data: Path = DEFAULT_DATA, *, nodes: int = 2, http_port: int = 9200, transport_port: int | None = None,
          cluster_name: str = "newsfacet-dev", heap: str = HEAP, timeout: float = START_TIMEOUT,
          tied_to_caller: bool = False, parent_pid: int | None = None) -> Cluster:
    """Build if needed, launch the cluster in the background and return once every node joined.

    tied_to_caller: the cluster stops by itself when this Python process ends, even by SIGKILL;
    parent_pid: … when that process ends (a test run's controller, for clusters its workers share).
    """
    data = Path(data).resolve()
    running = read(data)
    if running:
        raise ClusterError(f"a cluster is already running on {data} (pid {running.pid}, {running.url})")
    jar = build()
    data.mkdir(parents=True, exist_ok=True)
    for stale in ("cluster.json", "cluster.pid"):
        (data / stale).unlink(missing_ok=True)
    java = str(Path(os.environ["JAVA_HOME"]) / "bin" / "java") if os.environ.get("JAVA_HOME") else "java"
    command = [java, f"-Xms{heap}", f"-Xmx{heap}", "-XX:+ExitOnOutOfMemoryError", *JAVA_OPTS.split(),
               "-jar", str(jar), "--nodes", str(nodes), "--http-port", str(http_port),
               "--data", str(data), "--cluster-name", cluster_name, "--timeout", str(int(timeout))]
    if transport_port is not None:
        command += ["--transport-port", str(transport_port)]
    if tied_to_caller or parent_pid:
        command += ["--parent-pid", str(parent_pid or os.getpid())]
    log = data / "launcher.log"
    with open(log, "w") as out:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                   cwd=PROJECT, start_new_session=True)
    deadline = time.monotonic() + timeout + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ClusterError(f"the cluster exited with status {process.returncode} while starting "
                               f"(log: {log}):\n{_log_tail(log)}")
        cluster = read(data)
        if cluster and cluster.pid == process.pid:
            cluster.process = process
            return cluster
        time.sleep(0.2)
    stop(data, process=process)
    raise ClusterError(f"the cluster was not ready after {timeout:.0f} s (log: {log}):\n{_log_tail(log)}")


def stop(data: Path = DEFAULT_DATA, *, timeout: float = STOP_TIMEOUT, process: subprocess.Popen | None = None) -> bool:
    """SIGTERM the launcher named in the data folder's pid file and wait for it; SIGKILL after timeout.

    Returns False when nothing was running there.
    """
    data = Path(data)
    pid = process.pid if process is not None else None
    if pid is None:
        try:
            pid = int((data / "cluster.pid").read_text().strip())
        except (OSError, ValueError):
            return False
    if process is None and not _is_launcher(pid):
        return False
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    if not _wait_gone(pid, process, timeout):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _wait_gone(pid, process, 10)
        for leftover in ("cluster.json", "cluster.pid"):
            (data / leftover).unlink(missing_ok=True)
    return True


def _wait_gone(pid: int, process: subprocess.Popen | None, timeout: float) -> bool:
    if process is not None:
        try:
            process.wait(timeout)
            return True
        except subprocess.TimeoutExpired:
            return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _is_launcher(pid):
            return True
        time.sleep(0.2)
    return False


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_base_port(nodes: int, rng: random.Random | None = None) -> int:
    """A base port P (below Linux's ephemeral range) with P..P+n-1 and P+100..P+100+n-1 all free now."""
    rng = rng or random.Random()
    for _ in range(200):
        base = rng.randrange(20000, 32000, 10)
        if all(_free(base + offset + i) for offset in (0, 100) for i in range(nodes)):
            return base
    raise ClusterError("no free block of loopback ports found in 20000-32100")


def start_on_free_ports(data: Path, *, nodes: int = 2, **options) -> Cluster:
    """``start`` on a free block of loopback ports, trying another block when one was taken meanwhile."""
    for attempt in range(3):
        try:
            return start(data, nodes=nodes, http_port=free_base_port(nodes), **options)
        except ClusterError as error:
            # another process took one of the ports between the probe and the bind: try another block
            if attempt == 2 or not any(mark in str(error) for mark in _BIND_ERRORS):
                raise
    raise AssertionError("unreachable")  # pragma: no cover


@contextlib.contextmanager
def running(data: Path, *, nodes: int = 2, **options):
    """A cluster on free loopback ports for the duration of the block, stopped (by pid) however it ends,
    and by itself if this process is killed."""
    cluster = start_on_free_ports(data, nodes=nodes, tied_to_caller=True, **options)
    try:
        yield cluster
    finally:
        cluster.stop()


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="opensearch_cluster.py", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["start", "stop", "status", "build", "prepare"])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="data folder (default opensearch-dev/data)")
    parser.add_argument("--nodes", type=int, default=2)
    parser.add_argument("--http-port", type=int, default=9200)
    parser.add_argument("--cluster-name", default="newsfacet-dev")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            print(build(force=True))
        elif args.command == "prepare":     # make test: build once before parallel workers start clusters
            reason = missing_tools()
            print(f"opensearch: not built ({reason}); its tests will skip" if reason else build())
        elif args.command == "start" and read(args.data):
            cluster = read(args.data)
            print(f"OpenSearch development cluster already running (pid {cluster.pid}, data {cluster.data}):")
            print("\n".join(cluster.urls))
        elif args.command == "start":
            began = time.monotonic()
            cluster = start(args.data, nodes=args.nodes, http_port=args.http_port, cluster_name=args.cluster_name)
            print(f"OpenSearch development cluster ready in {time.monotonic() - began:.1f} s "
                  f"(pid {cluster.pid}, data {cluster.data}):")
            print("\n".join(cluster.urls))
        elif args.command == "stop":
            print("stopped" if stop(args.data) else f"no cluster running on {args.data}")
        else:
            cluster = read(args.data)
            print("\n".join(cluster.urls) if cluster else f"no cluster running on {args.data}")
            return 0 if cluster else 1
    except ClusterError as error:
        print(f"opensearch: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_main())
