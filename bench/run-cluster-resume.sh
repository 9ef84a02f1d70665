#!/usr/bin/env bash
# image-text over URLs on the local session cluster (bench/RESULTS.md): a detached run whose JobManager is
# SIGKILLed mid-fetch, the cluster started again, the run resumed with --resume; then a detached run
# that loses a TaskManager mid-fetch and is restarted by Flink; each against an uninterrupted
# embedded run. Needs $BENCH_DIR/all (bench/run-image-bench.sh extracts it), a build
# (bin/forge builds on first use) and ports 18181 and 18790 free. Usage: bench/run-cluster-resume.sh [COUNT]
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd); F="$ROOT/bin/forge"; BENCH=${BENCH_DIR:-$ROOT/bench/.work}; W=$BENCH/cluster-resume; COUNT=${1:-600}
rm -rf $W; mkdir -p $W
python3 - "$BENCH/all" "$COUNT" "$W/urls.csv" <<'PY'
import os
import sys; root=sys.argv[1]; count=int(sys.argv[2]); pngs=[]
for d,_,fs in sorted(os.walk(root)):
    for f in sorted(fs):
        if f.endswith('.png') and os.path.exists(os.path.join(d,f[:-4]+'.txt')): pngs.append(os.path.join(d,f))
with open(sys.argv[3],'w') as out:
    out.write('url,caption\n')
    for p in pngs[:count]:
        cap=open(p[:-4]+'.txt').read().strip().replace('\n',' ').replace('"',"'")
        out.write('http://localhost:18790/%s,"%s"\n' % (os.path.relpath(p,root), cap))
PY
(cd "$BENCH/all" && exec python3 -m http.server 18790 --bind 127.0.0.1 > $W/http.log 2>&1) &
HTTP=$!
FLAGS="--input $W/urls.csv --allow-host localhost --languages any --min-caption-words 1 --min-caption-chars 1 --no-filename-rule --progress-seconds 0 --fetch-concurrency 2 --fetch-retries 4 --fetch-backoff-ms 100 --parallelism 2"
$F run image-text $FLAGS --output $W/whole > $W/whole.log 2>&1; echo "whole: exit $?"
GET_WHOLE=$(grep -c GET $W/http.log); echo "uninterrupted: $GET_WHOLE requests"
$F cluster start --state $W/state --taskmanagers 2 --rest-port 18181 --rpc-port 0 --blob-port 0 > $W/start.log 2>&1; echo "cluster start: exit $?"
: > $W/http.log
$F run image-text $FLAGS --output $W/out --flink-master 127.0.0.1:18181 --detached > $W/submit.log 2>&1; echo "submit: exit $?"
for i in $(seq 1 600); do n=$(grep -c GET $W/http.log); [ "$n" -ge $((COUNT * 2 / 5)) ] && break; sleep 0.2; done
JM=$(cat $W/state/pid/jobmanager.pid)
echo "killing the JobManager (pid $JM) after $n requests"; kill -9 $JM
$F jobs finish $W/out --poll-seconds 1 > $W/finish1.log 2>&1; echo "jobs finish: exit $?"; tail -1 $W/finish1.log
GET_KILLED=$(grep -c GET $W/http.log)
$F cluster stop --state $W/state > $W/stop.log 2>&1; echo "cluster stop: exit $?"
$F cluster start --state $W/state --taskmanagers 2 --rest-port 18181 --rpc-port 0 --blob-port 0 > $W/start2.log 2>&1; echo "cluster start: exit $?"
: > $W/http.log
$F run image-text $FLAGS --output $W/out --flink-master 127.0.0.1:18181 --detached --resume > $W/resume.log 2>&1; echo "resume submit: exit $?"; tail -2 $W/resume.log
$F jobs finish $W/out --poll-seconds 1 > $W/finish2.log 2>&1; echo "jobs finish: exit $?"; tail -3 $W/finish2.log
GET_RESUMED=$(grep -c GET $W/http.log)
echo "requests: uninterrupted $GET_WHOLE; killed run $GET_KILLED; resumed $GET_RESUMED"
DIGEST="$ROOT/../shared/tools/output-digest"; [ -x "$DIGEST" ] && "$DIGEST" $W/whole $W/out
# a TaskManager SIGKILLed under a second detached run: Flink restarts the job on the other one, and
# the restarted job finds what the first attempt fetched in the run's cache
: > $W/http.log
$F run image-text $FLAGS --output $W/tm --flink-master 127.0.0.1:18181 --detached > $W/submit-tm.log 2>&1; echo "submit: exit $?"
for i in $(seq 1 600); do n=$(grep -c GET $W/http.log); [ "$n" -ge $((COUNT * 2 / 5)) ] && break; sleep 0.2; done
JOB=$(grep -o 'submitted job [0-9a-f]*' $W/submit-tm.log | awk '{print $3}')
# the TaskManager that runs the job's fetching, as Flink's REST API names it (its resource id)
VICTIM=$(python3 - http://127.0.0.1:18181/jobs/$JOB <<'PY'
import json, sys, urllib.request
job = json.load(urllib.request.urlopen(sys.argv[1]))
for v in job["vertices"]:
    if "etch" in v["name"]:
        tms = json.load(urllib.request.urlopen(sys.argv[1] + "/vertices/" + v["id"] + "/taskmanagers"))
        print(next(t["taskmanager-id"] for t in tms["taskmanagers"] if t["status"] == "RUNNING"))
        break
PY
)
VICTIM=${VICTIM:-taskmanager-1}; TM=$(cat $W/state/pid/$VICTIM.pid)
echo "killing $VICTIM (pid $TM), which runs the fetching, after $n requests"; kill -9 $TM
$F jobs finish $W/tm --poll-seconds 1 > $W/finish-tm.log 2>&1; echo "jobs finish: exit $?"; tail -2 $W/finish-tm.log
GET_TM=$(grep -c GET $W/http.log)
echo "requests: uninterrupted $GET_WHOLE; with a TaskManager lost $GET_TM"
curl -s http://127.0.0.1:18181/jobs/$JOB/exceptions | python3 -c 'import json,sys; h=json.load(sys.stdin).get("exceptionHistory",{}).get("entries",[]); print("restarts after failures:", len(h)); [print("  ", (e.get("exceptionName") or "")[:80], "on", e.get("taskManagerId") or "") for e in h]'
[ -x "$DIGEST" ] && "$DIGEST" $W/whole $W/tm
$F cluster stop --state $W/state > /dev/null 2>&1
kill $HTTP
