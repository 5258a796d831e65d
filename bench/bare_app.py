"""The baseline: bare Flask + waitress with routes equivalent to the simulator's benchmarked ones.

Same framework and server, same JSON body size (the bodies in bench/bodies/ were captured from the
simulator: `python bench/run.py --capture-bodies`), none of the simulator's work (auth, lock,
lifecycle replay, action table). `python bench/bare_app.py PORT THREADS`.
"""
import json as stdlib_json
import sys
from pathlib import Path

from flask import Flask, Response, json
from waitress import serve

BODIES = Path(__file__).resolve().parent / "bodies"
app = Flask("bare")


def _body(name: str) -> dict:
    return stdlib_json.loads((BODIES / f"{name}.json").read_text())


SPARROW_GET = _body("sparrow_get")
SPARROW_STOP = _body("sparrow_stop")
FELDERA_PIPELINE = _body("feldera_pipeline")
TWELVELABS_BATCH = _body("twelvelabs_batch")


def _json(body):
    """Serialised per request, as the simulator does."""
    return Response(json.dumps(body), mimetype="application/json")


@app.get("/api/v3/analysis/<analysis_id>")
def get_analysis(analysis_id):
    return _json({**SPARROW_GET, "analysisId": int(analysis_id)})


@app.post("/api/v2/analysis/<analysis_id>/stop")
def stop_analysis(analysis_id):
    return _json({**SPARROW_STOP, "analysisId": int(analysis_id)})


@app.get("/v0/pipelines/<pipeline_name>")
def get_pipeline(pipeline_name):
    return _json({**FELDERA_PIPELINE, "name": pipeline_name})


@app.get("/v1.3/analyze/batches/<batch_id>")
def retrieve_batch(batch_id):
    return _json({**TWELVELABS_BATCH, "batch_id": batch_id})


if __name__ == "__main__":
    port, threads = int(sys.argv[1]), int(sys.argv[2])
    print(f"bare listening on http://127.0.0.1:{port}", flush=True)
    serve(app, host="127.0.0.1", port=port, threads=threads, ident="bare", _quiet=True)
