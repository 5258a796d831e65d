"""The baseline: bare Flask + waitress with routes equivalent to the simulator's benchmarked ones.

Same JSON shape, same framework and server, none of the simulator's work (auth, lock, lifecycle
replay, action table). `python bench/bare_app.py PORT THREADS`.
"""
import sys

from flask import Flask, Response, json
from waitress import serve

app = Flask("bare")
ANALYSIS = {
    "analysisId": 1, "requestId": 1, "status": "POST_PROCESS", "toolType": "SAST", "memo": None, "result": None,
    "resultCode": None, "startTime": "2026-01-01T00:00:00.000+00:00", "endTime": None, "issueCount": 0,
    **{f"issueCountRisk{n}": 0 for n in range(1, 6)},
}


def _json(body):
    return Response(json.dumps(body), mimetype="application/json")


@app.get("/api/v3/analysis/<analysis_id>")
def get_analysis(analysis_id):
    return _json({**ANALYSIS, "analysisId": int(analysis_id)})


@app.post("/api/v2/analysis/<analysis_id>/stop")
def stop_analysis(analysis_id):
    return _json({**ANALYSIS, "analysisId": int(analysis_id)})


if __name__ == "__main__":
    port, threads = int(sys.argv[1]), int(sys.argv[2])
    print(f"bare listening on http://127.0.0.1:{port}", flush=True)
    serve(app, host="127.0.0.1", port=port, threads=threads, ident="bare", _quiet=True)
