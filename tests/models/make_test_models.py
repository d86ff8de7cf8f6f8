#!/usr/bin/python3
"""Writes the tiny models the binding's tests and benchmark use. Run with Debian's python3-onnx:
    /usr/bin/python3 tests/models/make_test_models.py
The outputs are committed beside this script; running it again reproduces them byte for byte."""
import os

import onnx
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = [helper.make_opsetid("", 13)]


def save(graph, name):
    model = helper.make_model(graph, opset_imports=OPSET, producer_name="edge-agent-tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, name))


def add_model():
    """Y = 2X + 1 over float32 [1, 3]: the reference's probe model, and the per-run overhead benchmark."""
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 3])
    y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, 3])
    two = helper.make_tensor("two", TensorProto.FLOAT, [], [2.0])
    one = helper.make_tensor("one", TensorProto.FLOAT, [], [1.0])
    nodes = [helper.make_node("Mul", ["X", "two"], ["doubled"]), helper.make_node("Add", ["doubled", "one"], ["Y"])]
    save(helper.make_graph(nodes, "add", [x], [y], [two, one]), "add.onnx")


IDENTITY_TYPES = {
    "float32": TensorProto.FLOAT,
    "float16": TensorProto.FLOAT16,
    "uint8": TensorProto.UINT8,
    "int8": TensorProto.INT8,
    "int32": TensorProto.INT32,
    "int64": TensorProto.INT64,
    "bool": TensorProto.BOOL,
}


def identity_models():
    """Y = X for each element type, with a symbolic first dimension "n"."""
    for name, elem in IDENTITY_TYPES.items():
        x = helper.make_tensor_value_info("X", elem, ["n", 3])
        y = helper.make_tensor_value_info("Y", elem, ["n", 3])
        save(helper.make_graph([helper.make_node("Identity", ["X"], ["Y"])], "identity_" + name, [x], [y]), f"identity_{name}.onnx")


def slow_loop_model():
    """X <- tanh(X @ X) / 2, `iterations` times over float32 [256, 256]: a run that lasts as long as asked."""
    body_inputs = [
        helper.make_tensor_value_info("i", TensorProto.INT64, []),
        helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
        helper.make_tensor_value_info("x_in", TensorProto.FLOAT, [256, 256]),
    ]
    body_outputs = [
        helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
        helper.make_tensor_value_info("x_out", TensorProto.FLOAT, [256, 256]),
    ]
    half = helper.make_tensor("half", TensorProto.FLOAT, [], [0.5])
    body = helper.make_graph(
        [
            helper.make_node("Identity", ["cond_in"], ["cond_out"]),
            helper.make_node("MatMul", ["x_in", "x_in"], ["product"]),
            helper.make_node("Tanh", ["product"], ["squashed"]),
            helper.make_node("Mul", ["squashed", "half"], ["x_out"]),
        ],
        "body", body_inputs, body_outputs, [half])
    iterations = helper.make_tensor_value_info("iterations", TensorProto.INT64, [])
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, [256, 256])
    y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, [256, 256])
    keep_going = helper.make_tensor("keep_going", TensorProto.BOOL, [], [True])
    loop = helper.make_node("Loop", ["iterations", "keep_going", "X"], ["Y"], body=body)
    save(helper.make_graph([loop], "slow_loop", [iterations, x], [y], [keep_going]), "slow_loop.onnx")


def wedged_classifier_model():
    """A classifier over an 8x8 RGB image that spins in a Loop of 2^62 trips on any image that is not all black: a
    wedged inference on live frames, for the watchdog's tests. A black image (the agent's trial run at load) runs no
    trip. Trip count and start value come from the image, so no optimiser can fold the loop away at load."""
    body_inputs = [
        helper.make_tensor_value_info("i", TensorProto.INT64, []),
        helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
        helper.make_tensor_value_info("acc_in", TensorProto.FLOAT, []),
    ]
    body_outputs = [
        helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
        helper.make_tensor_value_info("acc_out", TensorProto.FLOAT, []),
    ]
    tiny = helper.make_tensor("tiny", TensorProto.FLOAT, [], [1e-30])
    body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"]), helper.make_node("Mul", ["acc_in", "tiny"], ["acc_out"])],
        "body", body_inputs, body_outputs, [tiny])
    image = helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, 8, 8])
    logits = helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 3])
    many = helper.make_tensor("many", TensorProto.INT64, [], [1 << 62])
    zero = helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0])
    keep_going = helper.make_tensor("keep_going", TensorProto.BOOL, [], [True])
    nodes = [
        helper.make_node("ReduceSum", ["image"], ["start"], keepdims=0),
        helper.make_node("Greater", ["start", "zero"], ["lit"]),
        helper.make_node("Cast", ["lit"], ["lit_count"], to=TensorProto.INT64),
        helper.make_node("Mul", ["lit_count", "many"], ["trips"]),
        helper.make_node("Loop", ["trips", "keep_going", "start"], ["spun"], body=body),
        helper.make_node("ReduceMean", ["image"], ["means"], axes=[2, 3], keepdims=0),
        helper.make_node("Add", ["means", "spun"], ["logits"]),
    ]
    save(helper.make_graph(nodes, "wedged_classifier", [image], [logits], [many, zero, keep_going]), "wedged_classifier.onnx")


def nan_on_light_classifier_model():
    """A classifier over an 8x8 RGB image whose logits are the channel means plus sqrt(-sum): finite on an all-black
    image (validation with zeros passes), NaN on any lit frame: a model that validates but fails probation live."""
    image = helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, 8, 8])
    logits = helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 3])
    nodes = [
        helper.make_node("ReduceSum", ["image"], ["total"], keepdims=0),
        helper.make_node("Neg", ["total"], ["negated"]),
        helper.make_node("Sqrt", ["negated"], ["poison"]),
        helper.make_node("ReduceMean", ["image"], ["means"], axes=[2, 3], keepdims=0),
        helper.make_node("Add", ["means", "poison"], ["logits"]),
    ]
    save(helper.make_graph(nodes, "nan_on_light_classifier", [image], [logits]), "nan_on_light_classifier.onnx")


if __name__ == "__main__":
    add_model()
    identity_models()
    slow_loop_model()
    wedged_classifier_model()
    nan_on_light_classifier_model()
