# Sourced by bin/cohort-node, bin/cohort-stat and bin/cohort-keys (not run on its own): finds java, chooses the
# JVM flags and execs the JVM, so that the pid a supervisor started is the JVM's own. Needs only a JDK 17 or
# later: no Maven, no source tree.
#   JAVA_HOME  the JDK to use (else the java on the PATH)
#   JAVA_OPTS  extra JVM options (heap, GC, -Dcohort.*=...), after conf/jvm.options so that they win
cohort_home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Exit status when no usable JDK is found: a configuration problem, like a bad setting (a supervisor should not
# restart in a loop).
cohort_exit_no_java=2

cohort_java() {
    if [ -n "${JAVA_HOME:-}" ]; then
        if [ ! -x "$JAVA_HOME/bin/java" ]; then
            echo "cohort: JAVA_HOME=$JAVA_HOME has no bin/java" >&2
            return 1
        fi
        echo "$JAVA_HOME/bin/java"
    elif command -v java >/dev/null 2>&1; then
        command -v java
    else
        echo "cohort: no java: set JAVA_HOME or put a JDK 17 or later on the PATH" >&2
        return 1
    fi
}

# The JDK's feature release (17, 21, 25...), from java.specification.version ("1.8" reads as 1).
cohort_java_feature() {
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1
}

# cohort_exec MAIN_CLASS [-Dname=value...] [args...]: leading -D arguments become JVM system properties.
cohort_exec() {
    local main_class="$1" java feature
    shift
    java="$(cohort_java)" || exit "$cohort_exit_no_java"
    feature="$(cohort_java_feature "$java")"
    if ! [ "${feature:-0}" -ge 17 ] 2>/dev/null; then
        echo "cohort: $java is not a JDK 17 or later (java.specification.version ${feature:-unknown})" >&2
        exit "$cohort_exit_no_java"
    fi
    # conf/jvm.options holds the flags every JDK needs; JDK 24 and later need conf/jvm-jdk24.options too (JDK 17
    # refuses to start with one of its flags).
    local flags=("@$cohort_home/conf/jvm.options")
    if [ "$feature" -ge 24 ]; then
        flags+=("@$cohort_home/conf/jvm-jdk24.options")
    fi
    local properties=()
    while [ $# -gt 0 ] && [[ "$1" == -D* ]]; do properties+=("$1"); shift; done
    # JAVA_OPTS is split on white space, as every launcher does; conf/ comes first on the class path so that its
    # simplelogger.properties wins.
    # shellcheck disable=SC2086
    exec "$java" "${flags[@]}" ${JAVA_OPTS:-} ${properties[@]+"${properties[@]}"} \
        -cp "$cohort_home/conf:$cohort_home/lib/*" "$main_class" "$@"
}
