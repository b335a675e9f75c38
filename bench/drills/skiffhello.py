"""What the drills that run SkiffHello share: the java to run, its classpath, a free port."""
import os, pathlib, socket, subprocess

root = pathlib.Path(__file__).resolve().parents[2]
java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"


def classpath():
    """The bench module's classes and run-time dependencies (after `mvn -B -q package -DskipTests -pl bench -am`)."""
    classpath_file = pathlib.Path("/tmp/skiff-drill-cp.txt")
    subprocess.run(["mvn", "-B", "-q", "dependency:build-classpath", "-pl", "bench", "-DincludeScope=runtime",
                    f"-Dmdep.outputFile={classpath_file}"], cwd=root, check=True)
    return f"{root}/bench/target/classes:{classpath_file.read_text().strip()}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
