# Sourced by bin/modelc and .ci/run: points JAVA_HOME at a JDK 25 (modelc needs the Vector API
# of JDK 25). Keeps a JAVA_HOME that already is 25 or newer; else takes Temurin 25 where installed.
java_major() {
    "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
}
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ] || [ "$(java_major "$JAVA_HOME")" -lt 25 ] 2>/dev/null; then
    for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk /usr/lib/jvm/java-25-openjdk-amd64; do
        if [ -x "$candidate/bin/java" ]; then JAVA_HOME="$candidate"; break; fi
    done
fi
if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME")" -lt 25 ] 2>/dev/null; then
    echo "modelc needs JDK 25: set JAVA_HOME to one" >&2
    exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
