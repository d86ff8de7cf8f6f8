#!/usr/bin/python3
"""Builds the demo anomaly detector: a dense autoencoder for the `sim` sensor's vibration signal.

Ports the agent's simulator (src/EdgeAgent/Sensors/Sim/SimSignal.cs: the same SplitMix64 noise, so the same seed
gives the same samples), trains a small dense autoencoder in numpy on windows of its normal signal, picks the
threshold from held-out normal windows, measures how well the reconstruction error flags the injected anomalies
through the agent's hysteresis, and writes the model as ONNX twice: fp32, and int8 (MatMulInteger with scales and
zero points computed here, since python3-onnx 1.12 has no quantizer). Run with Debian's python3 (python3-onnx,
python3-numpy):

    /usr/bin/python3 models/make_demo_anomaly.py

The output is byte-for-byte the same on every run with the same numpy.
"""

import os

# One BLAS thread: a reduction split across threads can round differently from run to run.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import json
import shutil
import sys
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20261202
NAME = "demo-anomaly"
VERSION = 1

# The stream the demo and the tests run: one channel at 100 Hz, windows of 64 samples every 16.
RATE_HZ = 100.0
WINDOW = 64
HOP = 16
# SimSettings' defaults.
SIM = {"seed": 1, "frequency_hz": 5.0, "amplitude": 1.0, "harmonic_ratio": 0.3, "noise": 0.1,
       "anomaly_every_seconds": 20.0, "anomaly_seconds": 3.0}
# The stream's default hysteresis (StreamOptions.Anomaly).
ENTER_WINDOWS = 2
LEAVE_WINDOWS = 3
LEAVE_RATIO = 0.7
# Descriptor normalisation: the normal signal's power is 0.5 + 0.5 x 0.3^2 + 0.1^2 = 0.555.
MEAN = [0.0]
STD = [round(float(np.sqrt(0.555)), 4)]

MASK = (1 << 64) - 1


def uniform(seed, index, stream):
    """SimSignal.Uniform: SplitMix64 of the seed, an index and a stream number, as a double in [0, 1)."""
    z = ((seed * 0x9E3779B97F4A7C15) & MASK) ^ (((index & MASK) * 0xBF58476D1CE4E5B9) & MASK) ^ (((stream & MASK) * 0x94D049BB133111EB) & MASK)
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    z ^= z >> 31
    return (z >> 11) * (1.0 / (1 << 53))


class Sim:
    """SimSignal for one channel, vectorised over sample indexes."""

    def __init__(self, settings, rate):
        self.s = settings
        self.rate = rate
        self.period = int(round(settings["anomaly_every_seconds"] * rate))
        self.length = int(round(settings["anomaly_seconds"] * rate))
        self.phase = uniform(settings["seed"], -1, 0) * 2 * np.pi

    def anomalies(self, samples):
        out = []
        slot = 1
        while self.period > 0 and self.length > 0 and slot * self.period < samples:
            start = slot * self.period + int(uniform(self.s["seed"], slot, 1) * max(self.period - self.length, 0))
            out.append((start, start + self.length, 1 + (slot - 1) % 4))
            slot += 1
        return out

    def samples(self, count):
        s = self.s
        n = np.arange(count, dtype=np.int64)
        kind = np.zeros(count, np.int64)
        for start, end, k in self.anomalies(count):
            kind[start:min(end, count)] = k
        u1 = np.array([uniform(s["seed"], i, 2) for i in range(count)])
        u2 = np.array([uniform(s["seed"], i, 3) for i in range(count)])
        gauss = np.sqrt(-2 * np.log(1 - u1)) * np.cos(2 * np.pi * u2)
        t = n / self.rate
        frequency = s["frequency_hz"] * np.where(kind == 2, 2.3, 1.0)
        angle = 2 * np.pi * frequency * t + self.phase
        noise = s["noise"] * np.where(kind == 3, 6.0, 1.0)
        a = s["amplitude"]
        v = a * np.sin(angle) + a * s["harmonic_ratio"] * np.sin(2 * angle + 1) + noise * gauss
        every = max(1, int(self.rate / 10))
        spikes = (kind == 1) & (n % every == 0)
        v = v + np.where(spikes, 3 * a * np.where((n // every) % 2 == 0, 1.0, -1.0), 0.0)
        v = v + np.where(kind == 4, 1.5 * a, 0.0)
        return v.astype(np.float32), kind


def windows(values):
    """WindowAssembler: every HOP samples once WINDOW are in, normalised; returns [n, WINDOW] and each window's last index."""
    x = (values - np.float32(MEAN[0])) * np.float32(1.0 / np.float32(STD[0]))
    ends = np.arange(WINDOW - 1, len(values), HOP)
    return np.stack([x[e - WINDOW + 1:e + 1] for e in ends]).astype(np.float32), ends


# ---- the network: dense 64 -> 32 relu -> 8 -> 32 relu -> 64

LAYERS = [(WINDOW, 32, True), (32, 8, False), (8, 32, True), (32, WINDOW, False)]


def init_params(rng):
    params = {}
    for k, (fin, fout, _) in enumerate(LAYERS):
        params[f"w{k}"] = rng.normal(0, np.sqrt(2.0 / fin), (fin, fout)).astype(np.float32)
        params[f"b{k}"] = np.zeros(fout, np.float32)
    return params


def forward(params, x, keep=False):
    cache = []
    a = x
    for k, (_, _, relu) in enumerate(LAYERS):
        z = a @ params[f"w{k}"] + params[f"b{k}"]
        if keep:
            cache.append((a, z))
        a = np.maximum(z, 0) if relu else z
    return a, cache


def score(x, y):
    return ((y - x) ** 2).mean(axis=1)


def train(x, rng, epochs, batch=64, lr=2e-3):
    params = init_params(rng)
    m = {k: np.zeros_like(v) for k, v in params.items()}
    s = {k: np.zeros_like(v) for k, v in params.items()}
    step = 0
    for epoch in range(epochs):
        order = rng.permutation(len(x))
        total = 0.0
        rate = lr * (0.5 * (1 + np.cos(np.pi * epoch / epochs)))
        for start in range(0, len(x), batch):
            xb = x[order[start:start + batch]]
            y, cache = forward(params, xb, keep=True)
            total += float(score(xb, y).sum())
            d = 2 * (y - xb) / xb.size
            grads = {}
            for k in reversed(range(len(LAYERS))):
                a, z = cache[k]
                if LAYERS[k][2]:
                    d = d * (z > 0)
                grads[f"w{k}"] = a.T @ d
                grads[f"b{k}"] = d.sum(0)
                d = d @ params[f"w{k}"].T
            step += 1
            for k in params:
                g = grads[k].astype(np.float32)
                m[k] = 0.9 * m[k] + 0.1 * g
                s[k] = 0.999 * s[k] + 0.001 * g * g
                mh = m[k] / (1 - 0.9 ** step)
                sh = s[k] / (1 - 0.999 ** step)
                params[k] = (params[k] - rate * mh / (np.sqrt(sh) + 1e-8)).astype(np.float32)
        if epoch % 10 == 9 or epoch == epochs - 1:
            print(f"  epoch {epoch + 1:3d}: mse {total / len(x):.5f}", flush=True)
    return params


# ---- int8: uint8 activations (zero point 128 where a layer's output is signed, 0 after a ReLU),
# int8 symmetric weights per output column, float32 scale and bias after each MatMulInteger.
# The weights use 7 bits (-63..63), as onnxruntime's own quantizer does with reduce_range: on x86 without VNNI its
# uint8 x int8 kernel adds pairs of products in int16, which 255 x 127 x 2 would overflow (saturate).

def quantize(params, calibration):
    q = {}
    a = calibration
    top = np.percentile(np.abs(a), 99.99)
    q["a0_scale"], q["a0_zero"] = np.float32(top / 127.0), np.uint8(128)
    for k, (_, _, relu) in enumerate(LAYERS):
        w = params[f"w{k}"]
        scale = np.maximum(np.abs(w).max(axis=0) / 63.0, 1e-8).astype(np.float32)
        q[f"w{k}"] = np.clip(np.rint(w / scale), -63, 63).astype(np.int8)
        q[f"w{k}_scale"] = (q[f"a{k}_scale"] * scale).astype(np.float32)
        q[f"b{k}"] = params[f"b{k}"]
        z = a @ w + params[f"b{k}"]
        a = np.maximum(z, 0) if relu else z
        if k + 1 < len(LAYERS):
            if relu:
                q[f"a{k + 1}_scale"], q[f"a{k + 1}_zero"] = np.float32(max(np.percentile(a, 99.99), 1e-3) / 255.0), np.uint8(0)
            else:
                q[f"a{k + 1}_scale"], q[f"a{k + 1}_zero"] = np.float32(max(np.percentile(np.abs(a), 99.99), 1e-3) / 127.0), np.uint8(128)
    return q


def quantize_linear(x, scale, zero):
    return np.clip(np.rint(x / scale) + int(zero), 0, 255).astype(np.int32)


def forward_int8(q, x):
    """ONNX Runtime's arithmetic: QuantizeLinear (round half to even, saturate), MatMulInteger, Cast, Mul, Add."""
    a = x
    for k, (_, _, relu) in enumerate(LAYERS):
        aq = quantize_linear(a, q[f"a{k}_scale"], q[f"a{k}_zero"]) - int(q[f"a{k}_zero"])
        acc = aq @ q[f"w{k}"].astype(np.int32)
        z = acc.astype(np.float32) * q[f"w{k}_scale"] + q[f"b{k}"]
        a = np.maximum(z, 0) if relu else z
    return a.astype(np.float32)


# ---- ONNX

def finish(graph, doc):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="edge-agent make_demo_anomaly.py",
                              producer_version="1", doc_string=doc)
    model.ir_version = 7
    onnx.checker.check_model(model, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    out = inferred.graph.output[0].type.tensor_type
    dims = [d.dim_value for d in out.shape.dim]
    if out.elem_type != TensorProto.FLOAT or dims != [1, WINDOW]:
        raise RuntimeError(f"shape inference gives output {out.elem_type} {dims}")
    return model


def io():
    return ([helper.make_tensor_value_info("window", TensorProto.FLOAT, [1, WINDOW])],
            [helper.make_tensor_value_info("reconstruction", TensorProto.FLOAT, [1, WINDOW])])


def fp32_model(params):
    t = numpy_helper.from_array
    nodes, inits = [], []
    prev = "window"
    for k, (_, _, relu) in enumerate(LAYERS):
        inits += [t(params[f"w{k}"], f"dense{k}.weight"), t(params[f"b{k}"], f"dense{k}.bias")]
        out = "reconstruction" if k == len(LAYERS) - 1 else f"dense{k}"
        nodes.append(helper.make_node("Gemm", [prev, f"dense{k}.weight", f"dense{k}.bias"], [out], name=f"dense{k}"))
        prev = out
        if relu:
            nodes.append(helper.make_node("Relu", [out], [f"relu{k}"], name=f"relu{k}"))
            prev = f"relu{k}"
    inputs, outputs = io()
    return finish(helper.make_graph(nodes, "demo_anomaly_fp32", inputs, outputs, inits),
                  "Dense autoencoder of 64-sample vibration windows (fp32); the score is the reconstruction's mean squared error.")


def int8_model(q):
    t = numpy_helper.from_array
    nodes, inits = [], []
    prev = "window"
    for k, (_, _, relu) in enumerate(LAYERS):
        inits += [
            t(np.array(q[f"a{k}_scale"], np.float32), f"dense{k}.input.scale"),
            t(np.array(q[f"a{k}_zero"], np.uint8), f"dense{k}.input.zero_point"),
            t(q[f"w{k}"], f"dense{k}.weight.q"),
            t(np.array(0, np.int8), f"dense{k}.weight.zero_point"),
            t(q[f"w{k}_scale"], f"dense{k}.scale"),
            t(q[f"b{k}"], f"dense{k}.bias"),
        ]
        nodes.append(helper.make_node("QuantizeLinear", [prev, f"dense{k}.input.scale", f"dense{k}.input.zero_point"], [f"dense{k}.input.q"], name=f"quantize{k}"))
        nodes.append(helper.make_node("MatMulInteger", [f"dense{k}.input.q", f"dense{k}.weight.q", f"dense{k}.input.zero_point", f"dense{k}.weight.zero_point"],
                                      [f"dense{k}.int32"], name=f"dense{k}"))
        nodes.append(helper.make_node("Cast", [f"dense{k}.int32"], [f"dense{k}.float"], name=f"dense{k}.cast", to=TensorProto.FLOAT))
        nodes.append(helper.make_node("Mul", [f"dense{k}.float", f"dense{k}.scale"], [f"dense{k}.scaled"], name=f"dense{k}.dequantize"))
        out = "reconstruction" if k == len(LAYERS) - 1 else f"dense{k}.out"
        nodes.append(helper.make_node("Add", [f"dense{k}.scaled", f"dense{k}.bias"], [out], name=f"dense{k}.bias"))
        prev = out
        if relu:
            nodes.append(helper.make_node("Relu", [out], [f"relu{k}"], name=f"relu{k}"))
            prev = f"relu{k}"
    inputs, outputs = io()
    return finish(helper.make_graph(nodes, "demo_anomaly_int8", inputs, outputs, inits),
                  "Dense autoencoder of 64-sample vibration windows (int8 weights, uint8 activations); the score is the reconstruction's mean squared error.")


# ---- evaluation: the agent's hysteresis over the seeded stream, scored per injected anomaly

def detect(scores, threshold):
    """AnomalyHysteresis: the windows at which an anomaly starts."""
    active, run, started = False, 0, []
    for i, s in enumerate(scores):
        counts = s < threshold * LEAVE_RATIO if active else not s < threshold
        run = run + 1 if counts else 0
        if run >= (LEAVE_WINDOWS if active else ENTER_WINDOWS):
            run = 0
            active = not active
            if active:
                started.append(i)
    return started


def evaluate(scores, ends, anomalies, threshold):
    """Precision: starts whose window overlaps an injected anomaly. Recall: injected anomalies with a start in them
    or within the windows that still hold part of them."""
    started = [int(ends[i]) for i in detect(scores, threshold)]
    hits = [any(s <= e < end + WINDOW for s, end, _ in anomalies) for e in started]
    found = [any(s <= e < end + WINDOW for e in started) for s, end, _ in anomalies]
    precision = sum(hits) / max(len(started), 1)
    recall = sum(found) / max(len(anomalies), 1)
    return precision, recall, len(started), len(anomalies)


def write_variant(directory, name, model, threshold, samples, tolerance):
    if os.path.isdir(directory):
        shutil.rmtree(directory)
    os.makedirs(directory)
    with open(os.path.join(directory, "model.onnx"), "wb") as f:
        f.write(model.SerializeToString())
    entries = []
    for stem, tensor, expected in samples:
        with open(os.path.join(directory, f"{stem}.bin"), "wb") as f:
            f.write(tensor.astype("<f4").tobytes())
        with open(os.path.join(directory, f"{stem}.expected.bin"), "wb") as f:
            f.write(expected.astype("<f4").tobytes())
        entries.append({"input_file": f"{stem}.bin", "expect_max_abs_diff": {"output_file": f"{stem}.expected.bin", "tolerance": tolerance}})
    descriptor = {
        "name": name,
        "version": VERSION,
        "task": "anomaly",
        "input": {"name": "window", "layout": "NC", "dtype": "float32", "window": WINDOW, "channels": 1, "mean": MEAN, "std": STD},
        "postprocess": {"score": "reconstruction", "threshold": threshold},
        "validation": {"samples": entries, "max_latency_ms": 5},
    }
    with open(os.path.join(directory, "model.json"), "w", encoding="utf-8") as f:
        json.dump(descriptor, f, indent=2)
        f.write("\n")


def main():
    started = time.time()
    rng = np.random.default_rng(SEED)
    normal = dict(SIM, anomaly_every_seconds=0.0)
    print("simulating the normal signal (seeds 1001-1004 for training, 2001 held out)", flush=True)
    x_train = np.concatenate([windows(Sim(dict(normal, seed=1000 + k), RATE_HZ).samples(30000)[0])[0] for k in range(1, 5)])
    x_held, _ = windows(Sim(dict(normal, seed=2001), RATE_HZ).samples(30000)[0])
    print(f"  {len(x_train)} training and {len(x_held)} held-out windows in {time.time() - started:.0f} s", flush=True)

    print("training", flush=True)
    params = train(x_train, rng, epochs=60)
    q = quantize(params, x_train[rng.permutation(len(x_train))[:2000]])

    held_fp32 = score(x_held, forward(params, x_held)[0])
    held_int8 = score(x_held, forward_int8(q, x_held))
    # The threshold sits well above every held-out normal window of either model.
    threshold = round(float(max(held_fp32.max(), held_int8.max()) * 1.5), 4)
    print(f"held-out normal windows: fp32 mse mean {held_fp32.mean():.5f} max {held_fp32.max():.5f}; "
          f"int8 mean {held_int8.mean():.5f} max {held_int8.max():.5f}; threshold {threshold}")

    print("the seeded demo stream (seed 1, 60 minutes, an anomaly in every 20 s but the first)", flush=True)
    values, kind = Sim(SIM, RATE_HZ).samples(int(3600 * RATE_HZ))
    anomalies = Sim(SIM, RATE_HZ).anomalies(len(values))
    x, ends = windows(values)
    results = {}
    for which, y in (("fp32", forward(params, x)[0]), ("int8", forward_int8(q, x))):
        scores = score(x, y)
        precision, recall, starts, injected = evaluate(scores, ends, anomalies, threshold)
        results[which] = (precision, recall)
        per_kind = {}
        for k, label in ((1, "spikes"), (2, "frequency shift"), (3, "noise burst"), (4, "offset")):
            inside = np.array([kind[e - WINDOW + 1:e + 1].all() and kind[e] == k for e in ends])
            per_kind[label] = float(np.median(scores[inside]))
        print(f"  {which}: {starts} anomalies started for {injected} injected: precision {precision:.3f}, recall {recall:.3f}; "
              f"median score inside each kind: " + ", ".join(f"{k} {v:.3f}" for k, v in per_kind.items()))
        if precision < 0.9 or recall < 0.9:
            raise RuntimeError(f"the {which} model misses the target of 0.9")

    # Validation samples: a normal window and a window of each anomaly, from the demo stream.
    samples = [("normal", x[10:11])]
    for k, label in ((1, "spikes"), (2, "frequency-shift"), (3, "noise-burst"), (4, "offset")):
        i = next(i for i, e in enumerate(ends) if kind[e - WINDOW + 1:e + 1].all() and kind[e] == k)
        samples.append((label, x[i:i + 1]))
    fp32 = fp32_model(params)
    int8 = int8_model(q)
    write_variant(os.path.join(HERE, NAME, str(VERSION)), NAME, int8, threshold,
                  [(s, t, forward_int8(q, t)) for s, t in samples], 0.02)
    write_variant(os.path.join(HERE, NAME + "-fp32", str(VERSION)), NAME + "-fp32", fp32, threshold,
                  [(s, t, forward(params, t)[0]) for s, t in samples], 1e-4)
    for d in (NAME, NAME + "-fp32"):
        path = os.path.join(HERE, d, str(VERSION))
        print(d, {f: os.path.getsize(os.path.join(path, f)) for f in sorted(os.listdir(path))})
    print(f"done in {time.time() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
