#!/usr/bin/env bash
# Mutation testing (PIT) of every module that has a `mutation` profile, one module at a time.
# On demand only, never in CI. Usage: scripts/mutation.sh [sql] [api] [jobs]   (default: all three)
# Reports: <module>/target/pit-reports/{index.html,mutations.xml}. Each module fails below its
# mutationThreshold (80); the script goes on with the next module and exits non-zero at the end.
set -u
cd "$(dirname "$0")/.."
modules=("$@")
[ ${#modules[@]} -eq 0 ] && modules=(sql api jobs)
# PIT runs per module without -am (with -am it would also mutate `common`, which has no targets),
# so the modules it depends on are installed first. -DskipTests would skip PIT too: use -DskipITs.
mvn -B -q -pl "$(IFS=,; echo "${modules[*]}")" -am install -DskipTests -Dspotless.check.skip=true || exit 1
status=0
for m in "${modules[@]}"; do
    start=$(date +%s)
    mvn -B -pl "$m" -Pmutation -Dspotless.check.skip=true -DskipITs \
        test-compile org.pitest:pitest-maven:mutationCoverage || status=1
    echo "mutation: $m took $(( $(date +%s) - start )) s"
done
exit $status
