#!/usr/bin/python3
"""Builds the demo classifier: which ffmpeg test pattern a camera shows.

Renders frames of ffmpeg's lavfi test sources, resizes them exactly as the agent's ImagePreprocessor does
(stretch, bilinear with half-pixel centres), trains a small conv net in numpy, and writes it as ONNX twice:
fp32 and int8 (QLinearConv / MatMulInteger with scales and zero points computed here, since python3-onnx 1.12
has no quantizer). Run with Debian's python3 (python3-onnx, python3-numpy) and ffmpeg:

    /usr/bin/python3 models/make_demo_classifier.py

The output is byte-for-byte the same on every run with the same ffmpeg and numpy.
"""

import os

# One BLAS thread: a reduction split across threads can round differently from run to run.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import json
import shutil
import subprocess
import sys
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20240605
WIDTH = HEIGHT = 64
NAME = "demo-classifier"
VERSION = 1

# (label, lavfi source without size and rate, whether the source takes size=). The label is what the agent publishes.
PATTERNS = [
    ("testsrc pattern", "testsrc", True),
    ("testsrc2 pattern", "testsrc2", True),
    ("smpte bars", "smptebars", True),
    ("pal bars", "pal100bars", True),
    ("rgb test pattern", "rgbtestsrc", True),
    ("yuv test pattern", "yuvtestsrc", True),
    ("mandelbrot", "mandelbrot=maxiter=256", True),
    ("color spectrum", "colorspectrum", True),
    ("color chart", "colorchart", False),
    ("solid color", None, True),
]
LABELS = [p[0] for p in PATTERNS]
SOLID = LABELS.index("solid color")
MANDELBROT = LABELS.index("mandelbrot")

# Camera-like frame sizes; the test split uses sizes and times the training split never sees.
TRAIN_SIZES = [(320, 240), (640, 480), (1280, 720), (352, 288), (800, 600), (176, 144)]
TEST_SIZES = [(480, 360), (960, 540), (640, 360)]
TRAIN_COLORS = ["red", "green", "blue", "yellow", "cyan", "magenta", "white", "black", "gray", "orange",
                "purple", "navy", "teal", "olive", "maroon", "pink", "brown", "gold", "skyblue", "darkgreen",
                "salmon", "violet", "lime", "silver", "indigo", "coral", "khaki", "tomato"]
TEST_COLORS = ["orange", "darkblue", "crimson", "lightgreen", "slategray", "turquoise", "chocolate", "plum",
               "red", "blue", "dimgray", "beige"]

# The demo camera: every pattern for SECONDS_EACH seconds, cycling for ever (README shows it; a test decodes it).
SECONDS_EACH = 4
DEMO_SIZE = (640, 480)
DEMO_RATE = 10
DEMO_SOLID = "orange"


def lavfi_source(index, size, rate):
    """The lavfi source string of a pattern at a size and rate (colorchart has a fixed size: scaled after)."""
    label, source, sized = PATTERNS[index]
    w, h = size
    if index == SOLID:
        raise ValueError("solid colours are rendered by solid_frames")
    if sized:
        return f"{source}{':' if '=' in source else '='}size={w}x{h}:rate={rate}"
    return f"{source}=rate={rate},scale={w}:{h}"


def demo_lavfi():
    """One lavfi graph cycling through every pattern: later overlays cover earlier ones while their slot is on."""
    w, h = DEMO_SIZE
    period = SECONDS_EACH * len(PATTERNS)
    parts = []
    for i in range(len(PATTERNS)):
        if i == SOLID:
            src = f"color=c={DEMO_SOLID}:size={w}x{h}:rate={DEMO_RATE}"
        elif i == MANDELBROT:
            # A still fractal: the default zoom never stops and ends in flat colour after a few minutes.
            src = f"mandelbrot=maxiter=256:end_scale=3:size={w}x{h}:rate={DEMO_RATE}"
        else:
            src = lavfi_source(i, DEMO_SIZE, DEMO_RATE)
        parts.append(f"{src}[p{i}]")
    chain = "[p0]"
    for i in range(1, len(PATTERNS)):
        out = f"[o{i}]" if i < len(PATTERNS) - 1 else ""
        parts.append(f"{chain}[p{i}]overlay=enable='gte(mod(t,{period}),{i * SECONDS_EACH})'{out}")
        chain = f"[o{i}]"
    return ";".join(parts)


def ffmpeg_frames(graph, size, count, extra=""):
    """`count` rgb24 frames of a lavfi graph as uint8 [count, h, w, 3]."""
    w, h = size
    vf = f"{extra + ',' if extra else ''}format=rgb24"
    cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-f", "lavfi", "-i", graph,
           "-vf", vf, "-frames:v", str(count), "-pix_fmt", "rgb24", "-f", "rawvideo", "-"]
    raw = subprocess.run(cmd, check=True, stdout=subprocess.PIPE).stdout
    frames = np.frombuffer(raw, np.uint8)
    if frames.size != count * w * h * 3:
        raise RuntimeError(f"{graph}: expected {count} frames of {w}x{h}, got {frames.size} bytes")
    return frames.reshape(count, h, w, 3)


def pattern_frames(index, size, count, rate, skip, yuv):
    """Frames of a pattern at a size, starting `skip` frames in (a different moment of the moving patterns)."""
    extra = f"select='gte(n,{skip})'" if skip else ""
    if yuv:
        # Through yuv420p and back, as a camera or an encoder in between would deliver it.
        extra = (extra + "," if extra else "") + "format=yuv420p"
    if index == MANDELBROT:
        # Zooming in from the whole set over the frames taken, towards the default centre.
        start = [3.0, 2.0, 1.5][skip % 3]
        graph = f"mandelbrot=maxiter=256:start_scale={start}:end_scale=0.4:end_pts={count * 3 + skip}:size={size[0]}x{size[1]}:rate={rate}"
    else:
        graph = lavfi_source(index, size, rate)
    return ffmpeg_frames(graph, size, count, extra)


def solid_frames(colors, size):
    """One frame of `color=` per colour (a concat of one-frame sources ends early in ffmpeg 5.1)."""
    w, h = size
    return np.stack([ffmpeg_frames(f"color=c={c}:size={w}x{h}:rate=1", size, 1)[0] for c in colors])


def axis(out_size, src_size):
    """ImagePreprocessor.Axis for stretch: source indices and the weight of the second, half-pixel centres."""
    scale = out_size / src_size
    first = np.empty(out_size, np.int64)
    second = np.empty(out_size, np.int64)
    weight = np.empty(out_size, np.float32)
    for o in range(out_size):
        source = max((o + 0.5) / scale - 0.5, 0.0)
        lower = min(int(np.floor(source)), src_size - 1)
        first[o] = lower
        second[o] = min(lower + 1, src_size - 1)
        weight[o] = np.float32(source - lower)
    return first, second, weight


def stretch(frame):
    """uint8 [h, w, 3] -> float32 [3, HEIGHT, WIDTH] of 0..255 values, in the agent's float32 arithmetic."""
    h, w, _ = frame.shape
    x0, x1, wx = axis(WIDTH, w)
    y0, y1, wy = axis(HEIGHT, h)
    f = frame.astype(np.float32)
    top, bottom = f[y0], f[y1]
    wx = wx[None, :, None]
    upper = top[:, x0] + (top[:, x1] - top[:, x0]) * wx
    lower = bottom[:, x0] + (bottom[:, x1] - bottom[:, x0]) * wx
    v = upper + (lower - upper) * wy[:, None, None]
    return v.transpose(2, 0, 1)


# Descriptor normalisation: pixel * SCALE, minus MEAN, divided by STD (ImagePreprocessor's gain and bias).
SCALE = np.float32(1.0 / 255.0)
MEAN = [0.0, 0.0, 0.0]
STD = [1.0, 1.0, 1.0]


def normalise(values):
    gain = np.array([SCALE / np.float32(s) for s in STD], np.float32)[:, None, None]
    bias = np.array([-np.float32(m) / np.float32(s) for m, s in zip(MEAN, STD)], np.float32)[:, None, None]
    return values * gain + bias


def augment(frame, rng, strength):
    """A camera's view of the pattern: a slightly off crop, gain and offset, a colour cast, sensor noise."""
    h, w, _ = frame.shape
    if strength and rng.random() < 0.7:
        cw = int(w * rng.uniform(0.85, 1.0))
        ch = int(h * rng.uniform(0.85, 1.0))
        x = int(rng.integers(0, w - cw + 1))
        y = int(rng.integers(0, h - ch + 1))
        frame = frame[y:y + ch, x:x + cw]
    v = stretch(frame)
    if strength:
        gain = rng.uniform(0.75, 1.2) * rng.uniform(0.92, 1.08, size=(3, 1, 1))
        v = v * gain.astype(np.float32) + np.float32(rng.uniform(-20, 20))
        v = v + rng.normal(0, rng.uniform(0, 8), size=v.shape).astype(np.float32)
        v = np.clip(v, 0, 255).astype(np.float32)
    return v


def render_dataset(sizes, colors, frames_per_size, variants, rng, skip_base, rate):
    xs, ys = [], []
    # A solid colour looks the same at every size: rendered once, then varied by the augmentation.
    solids = solid_frames(colors, (160, 120))
    for index in range(len(PATTERNS)):
        for k, size in enumerate(sizes):
            if index == SOLID:
                frames = solids
            else:
                frames = pattern_frames(index, size, frames_per_size, rate + k, skip_base + 7 * k, yuv=k % 2 == 1)
            for frame in frames:
                for v in range(variants):
                    xs.append(augment(frame, rng, strength=v > 0))
                    ys.append(index)
    x = normalise(np.stack(xs).astype(np.float32))
    return x, np.array(ys, np.int64)


# ---- the network: conv 3x3/2 (3->8) relu, conv 3x3/2 (8->16) relu, conv 3x3/2 (16->16) relu, dense (1024 -> classes)

CONVS = [(3, 8), (8, 16), (16, 16)]


def im2col(x):
    """[n, c, h, w] -> [n, h/2, w/2, c*9] patches of a 3x3 kernel, stride 2, padding 1 (ONNX Conv's order c, kh, kw)."""
    n, c, h, w = x.shape
    p = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    oh, ow = h // 2, w // 2
    cols = np.empty((n, oh, ow, c, 3, 3), x.dtype)
    for i in range(3):
        for j in range(3):
            cols[:, :, :, :, i, j] = p[:, :, i:i + 2 * oh:2, j:j + 2 * ow:2].transpose(0, 2, 3, 1)
    return cols.reshape(n, oh, ow, c * 9)


def col2im(dcols, shape):
    n, c, h, w = shape
    oh, ow = h // 2, w // 2
    d = dcols.reshape(n, oh, ow, c, 3, 3)
    dp = np.zeros((n, c, h + 2, w + 2), dcols.dtype)
    for i in range(3):
        for j in range(3):
            dp[:, :, i:i + 2 * oh:2, j:j + 2 * ow:2] += d[:, :, :, :, i, j].transpose(0, 3, 1, 2)
    return dp[:, :, 1:-1, 1:-1]


def init_params(rng, classes):
    params = {}
    for k, (cin, cout) in enumerate(CONVS):
        params[f"w{k}"] = (rng.normal(0, np.sqrt(2.0 / (cin * 9)), (cout, cin, 3, 3))).astype(np.float32)
        params[f"b{k}"] = np.zeros(cout, np.float32)
    features = CONVS[-1][1] * (HEIGHT // 8) * (WIDTH // 8)
    params["wf"] = rng.normal(0, np.sqrt(1.0 / features), (features, classes)).astype(np.float32)
    params["bf"] = np.zeros(classes, np.float32)
    return params


def forward(params, x, keep=False):
    cache = []
    a = x
    for k in range(len(CONVS)):
        cols = im2col(a)
        w = params[f"w{k}"]
        z = cols @ w.reshape(w.shape[0], -1).T + params[f"b{k}"]
        out = np.maximum(z, 0).transpose(0, 3, 1, 2)
        if keep:
            cache.append((a.shape, cols, z))
        a = np.ascontiguousarray(out)
    flat = a.reshape(a.shape[0], -1)
    logits = flat @ params["wf"] + params["bf"]
    return logits, (cache, flat)


def train(x, y, classes, rng, epochs, batch=64, lr=2e-3):
    params = init_params(rng, classes)
    m = {k: np.zeros_like(v) for k, v in params.items()}
    s = {k: np.zeros_like(v) for k, v in params.items()}
    step = 0
    for epoch in range(epochs):
        order = rng.permutation(len(x))
        total = 0.0
        rate = lr * (0.5 * (1 + np.cos(np.pi * epoch / epochs)))
        for start in range(0, len(x), batch):
            idx = order[start:start + batch]
            xb, yb = x[idx], y[idx]
            logits, (cache, flat) = forward(params, xb, keep=True)
            logits = logits - logits.max(1, keepdims=True)
            p = np.exp(logits)
            p /= p.sum(1, keepdims=True)
            total += -np.log(p[np.arange(len(yb)), yb] + 1e-9).sum()
            d = p
            d[np.arange(len(yb)), yb] -= 1
            d /= len(yb)
            grads = {"wf": flat.T @ d, "bf": d.sum(0)}
            da = (d @ params["wf"].T).reshape(len(yb), CONVS[-1][1], HEIGHT // 8, WIDTH // 8)
            for k in reversed(range(len(CONVS))):
                shape, cols, z = cache[k]
                dz = da.transpose(0, 2, 3, 1) * (z > 0)
                w = params[f"w{k}"]
                grads[f"w{k}"] = (dz.reshape(-1, w.shape[0]).T @ cols.reshape(-1, cols.shape[-1])).reshape(w.shape)
                grads[f"b{k}"] = dz.sum((0, 1, 2))
                if k:
                    da = col2im(dz @ w.reshape(w.shape[0], -1), shape)
            step += 1
            for k in params:
                g = grads[k].astype(np.float32) + (1e-4 * params[k] if k.startswith("w") else 0)
                m[k] = 0.9 * m[k] + 0.1 * g
                s[k] = 0.999 * s[k] + 0.001 * g * g
                mh = m[k] / (1 - 0.9 ** step)
                sh = s[k] / (1 - 0.999 ** step)
                params[k] = (params[k] - rate * mh / (np.sqrt(sh) + 1e-8)).astype(np.float32)
        print(f"  epoch {epoch + 1:2d}: loss {total / len(x):.4f}", flush=True)
    return params


# ---- int8: uint8 activations (zero point 0 after each ReLU), int8 symmetric per-channel weights, int32 biases

def quantize_weights(w):
    """Symmetric per output channel (axis 0 for Conv, columns for the dense layer as [in, out])."""
    axis_ = 0 if w.ndim == 4 else 1
    reduce = tuple(i for i in range(w.ndim) if i != axis_)
    scale = (np.abs(w).max(axis=reduce) / 127.0).astype(np.float32)
    scale = np.maximum(scale, np.float32(1e-8))
    shape = [-1 if i == axis_ else 1 for i in range(w.ndim)]
    q = np.clip(np.rint(w / scale.reshape(shape)), -127, 127).astype(np.int8)
    return q, scale


def quantize(params, calibration):
    """Scales from the calibration frames: each ReLU output's 99.99th percentile maps to 255."""
    _, (cache, flat) = forward(params, calibration, keep=True)
    q = {"x_scale": np.float32(1.0 / 255.0)}
    for k in range(len(CONVS)):
        z = cache[k][2]
        top = np.percentile(np.maximum(z, 0), 99.99)
        q[f"y{k}_scale"] = np.float32(max(top, 1e-3) / 255.0)
        q[f"w{k}"], q[f"w{k}_scale"] = quantize_weights(params[f"w{k}"])
    q["wf"], q["wf_scale"] = quantize_weights(params["wf"])
    in_scale = q["x_scale"]
    for k in range(len(CONVS)):
        bias_scale = (in_scale * q[f"w{k}_scale"]).astype(np.float32)
        q[f"b{k}"] = np.rint(params[f"b{k}"] / bias_scale).astype(np.int32)
        in_scale = q[f"y{k}_scale"]
    q["f_scale"] = (in_scale * q["wf_scale"]).astype(np.float32)
    q["bf"] = params["bf"]
    return q


def forward_int8(q, x):
    """ONNX Runtime's arithmetic: QuantizeLinear, QLinearConv (int32 sums, float32 requantisation rounding half to
    even, saturating), MatMulInteger, then float32 scale and bias."""
    a = np.clip(np.rint(x / q["x_scale"]), 0, 255).astype(np.int32)
    in_scale = q["x_scale"]
    for k in range(len(CONVS)):
        cols = im2col(a)
        w = q[f"w{k}"].astype(np.int32)
        acc = cols @ w.reshape(w.shape[0], -1).T + q[f"b{k}"]
        multiplier = (in_scale * q[f"w{k}_scale"] / q[f"y{k}_scale"]).astype(np.float32)
        y = np.clip(np.rint(acc.astype(np.float32) * multiplier), 0, 255).astype(np.int32)
        a = np.ascontiguousarray(y.transpose(0, 3, 1, 2))
        in_scale = q[f"y{k}_scale"]
    acc = a.reshape(a.shape[0], -1) @ q["wf"].astype(np.int32)
    return acc.astype(np.float32) * q["f_scale"] + q["bf"]


# ---- ONNX

def onnx_input():
    return helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, HEIGHT, WIDTH])


def onnx_output(classes):
    return helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, classes])


def finish(graph, doc):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="edge-agent make_demo_classifier.py",
                              producer_version="1", doc_string=doc)
    model.ir_version = 7
    onnx.checker.check_model(model, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    out = inferred.graph.output[0].type.tensor_type
    dims = [d.dim_value for d in out.shape.dim]
    if out.elem_type != TensorProto.FLOAT or dims != [1, len(LABELS)]:
        raise RuntimeError(f"shape inference gives output {out.elem_type} {dims}")
    return model


def fp32_model(params):
    classes = len(LABELS)
    nodes, inits = [], []
    prev = "image"
    for k in range(len(CONVS)):
        inits += [numpy_helper.from_array(params[f"w{k}"], f"conv{k}.weight"), numpy_helper.from_array(params[f"b{k}"], f"conv{k}.bias")]
        nodes.append(helper.make_node("Conv", [prev, f"conv{k}.weight", f"conv{k}.bias"], [f"conv{k}"], name=f"conv{k}",
                                      kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]))
        nodes.append(helper.make_node("Relu", [f"conv{k}"], [f"relu{k}"], name=f"relu{k}"))
        prev = f"relu{k}"
    nodes.append(helper.make_node("Flatten", [prev], ["features"], name="flatten", axis=1))
    inits += [numpy_helper.from_array(params["wf"], "dense.weight"), numpy_helper.from_array(params["bf"], "dense.bias")]
    nodes.append(helper.make_node("Gemm", ["features", "dense.weight", "dense.bias"], ["logits"], name="dense"))
    graph = helper.make_graph(nodes, "demo_classifier_fp32", [onnx_input()], [onnx_output(classes)], inits)
    return finish(graph, "Which ffmpeg test pattern a frame shows (fp32). Labels: " + ", ".join(LABELS))


def int8_model(q):
    classes = len(LABELS)
    t = numpy_helper.from_array
    inits = [t(np.array(q["x_scale"], np.float32), "image.scale"), t(np.array(0, np.uint8), "image.zero_point")]
    nodes = [helper.make_node("QuantizeLinear", ["image", "image.scale", "image.zero_point"], ["image.q"], name="quantize")]
    prev, prev_scale = "image.q", "image.scale"
    prev_zero = "image.zero_point"
    for k in range(len(CONVS)):
        cout = q[f"w{k}"].shape[0]
        inits += [
            t(q[f"w{k}"], f"conv{k}.weight.q"),
            t(q[f"w{k}_scale"], f"conv{k}.weight.scale"),
            t(np.zeros(cout, np.int8), f"conv{k}.weight.zero_point"),
            t(q[f"b{k}"], f"conv{k}.bias.q"),
            t(np.array(q[f"y{k}_scale"], np.float32), f"relu{k}.scale"),
            t(np.array(0, np.uint8), f"relu{k}.zero_point"),
        ]
        # Zero point 0 on uint8: the requantisation's saturation at 0 is the ReLU.
        nodes.append(helper.make_node(
            "QLinearConv",
            [prev, prev_scale, prev_zero, f"conv{k}.weight.q", f"conv{k}.weight.scale", f"conv{k}.weight.zero_point",
             f"relu{k}.scale", f"relu{k}.zero_point", f"conv{k}.bias.q"],
            [f"relu{k}.q"], name=f"conv{k}", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]))
        prev, prev_scale, prev_zero = f"relu{k}.q", f"relu{k}.scale", f"relu{k}.zero_point"
    nodes.append(helper.make_node("Flatten", [prev], ["features.q"], name="flatten", axis=1))
    inits += [
        t(q["wf"], "dense.weight.q"),
        t(np.array(0, np.int8), "dense.weight.zero_point"),
        t(q["f_scale"], "dense.scale"),
        t(q["bf"], "dense.bias"),
    ]
    nodes.append(helper.make_node("MatMulInteger", ["features.q", "dense.weight.q", prev_zero, "dense.weight.zero_point"],
                                  ["dense.int32"], name="dense"))
    nodes.append(helper.make_node("Cast", ["dense.int32"], ["dense.float"], name="dense.cast", to=TensorProto.FLOAT))
    nodes.append(helper.make_node("Mul", ["dense.float", "dense.scale"], ["dense.scaled"], name="dense.dequantize"))
    nodes.append(helper.make_node("Add", ["dense.scaled", "dense.bias"], ["logits"], name="dense.bias"))
    graph = helper.make_graph(nodes, "demo_classifier_int8", [onnx_input()], [onnx_output(classes)], inits)
    return finish(graph, "Which ffmpeg test pattern a frame shows (int8 weights, uint8 activations). Labels: " + ", ".join(LABELS))


def write_variant(directory, name, model, samples, max_latency_ms):
    if os.path.isdir(directory):
        shutil.rmtree(directory)
    os.makedirs(directory)
    with open(os.path.join(directory, "model.onnx"), "wb") as f:
        f.write(model.SerializeToString())
    with open(os.path.join(directory, "labels.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(LABELS) + "\n")
    entries = []
    for stem, tensor, label in samples:
        file = f"{stem}.bin"
        with open(os.path.join(directory, file), "wb") as f:
            f.write(tensor.astype("<f4").tobytes())
        entries.append({"input_file": file, "expect_top1": label})
    descriptor = {
        "name": name,
        "version": VERSION,
        "task": "classification",
        "input": {"name": "image", "layout": "NCHW", "width": WIDTH, "height": HEIGHT, "color": "rgb", "dtype": "float32",
                  "scale": 1.0 / 255.0, "mean": MEAN, "std": STD, "resize": "stretch"},
        "labels_file": "labels.txt",
        "postprocess": {"softmax": True, "top_k": 3},
        "validation": {"samples": entries, "max_latency_ms": max_latency_ms},
    }
    with open(os.path.join(directory, "model.json"), "w", encoding="utf-8") as f:
        json.dump(descriptor, f, indent=2)
        f.write("\n")


def main():
    started = time.time()
    rng = np.random.default_rng(SEED)
    print("rendering training frames with ffmpeg", flush=True)
    x_train, y_train = render_dataset(TRAIN_SIZES, TRAIN_COLORS, 12, 3, rng, skip_base=0, rate=5)
    print("rendering held-out frames (other sizes, moments and colours)", flush=True)
    x_test, y_test = render_dataset(TEST_SIZES, TEST_COLORS, 8, 2, rng, skip_base=53, rate=3)
    print(f"  {len(x_train)} training and {len(x_test)} test frames in {time.time() - started:.0f} s", flush=True)

    print("training", flush=True)
    params = train(x_train, y_train, len(LABELS), rng, epochs=12)
    calibration = x_train[rng.permutation(len(x_train))[:600]]
    q = quantize(params, calibration)

    fp32_pred = forward(params, x_test)[0].argmax(1)
    int8_pred = forward_int8(q, x_test).argmax(1)
    fp32_acc = float((fp32_pred == y_test).mean())
    int8_acc = float((int8_pred == y_test).mean())
    agree = float((fp32_pred == int8_pred).mean())
    print(f"held-out accuracy: fp32 {fp32_acc:.4f}, int8 {int8_acc:.4f}, agreement {agree:.4f} on {len(y_test)} frames")
    for c, label in enumerate(LABELS):
        sel = y_test == c
        print(f"  {label:18s} fp32 {(fp32_pred[sel] == c).mean():.3f}  int8 {(int8_pred[sel] == c).mean():.3f}")

    # Validation samples: the demo camera's own frames (640x480), with no augmentation.
    samples = []
    for c in [0, 2, 6, 8, SOLID]:
        if c == SOLID:
            frame = solid_frames([DEMO_SOLID], DEMO_SIZE)[0]
        else:
            frame = ffmpeg_frames(lavfi_source(c, DEMO_SIZE, DEMO_RATE), DEMO_SIZE, 1)[0]
        tensor = normalise(stretch(frame))[None]
        for which, pred in (("fp32", forward(params, tensor)[0].argmax()), ("int8", forward_int8(q, tensor).argmax())):
            if pred != c:
                raise RuntimeError(f"the {which} model calls the demo frame of {LABELS[c]} {LABELS[pred]}")
        samples.append((LABELS[c].replace(" ", "-"), tensor, c))

    fp32 = fp32_model(params)
    int8 = int8_model(q)
    write_variant(os.path.join(HERE, NAME, str(VERSION)), NAME, int8, samples, 20)
    write_variant(os.path.join(HERE, NAME + "-fp32", str(VERSION)), NAME + "-fp32", fp32, samples, 20)
    for d in (NAME, NAME + "-fp32"):
        path = os.path.join(HERE, d, str(VERSION))
        print(d, {f: os.path.getsize(os.path.join(path, f)) for f in sorted(os.listdir(path))})
    with open(os.path.join(HERE, "demo-camera.lavfi"), "w", encoding="utf-8") as f:
        f.write(demo_lavfi() + "\n")
    print(f"demo camera (models/demo-camera.lavfi):\n{demo_lavfi()}")
    print(f"done in {time.time() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
