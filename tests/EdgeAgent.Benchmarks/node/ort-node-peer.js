'use strict';
// The onnxruntime-node peer of edge-agent's benchmark. The benchmark starts one of these, writes one JSON
// request per line on stdin and reads one JSON reply per line from stdout, so that Node's runs can be
// interleaved with its own. Requests:
//   {"op":"open","model":PATH,"threads":N,"inputs":[{"name","type","dims","data":BASE64}]}
//   {"op":"run","runs":N,"minMs":MS}  runs at least N times and for at least MS ms; replies with each run's ms
//   {"op":"close"}
// Every reply is {"ok":true,"version":ONNXRUNTIME_NODE_VERSION,...} or {"ok":false,"error":TEXT}. Resolved through NODE_PATH, never installed.
const readline = require('readline');
const ort = require('onnxruntime-node');

const typedArrays = {
  float32: Float32Array,
  float64: Float64Array,
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  bool: Uint8Array,
  float16: Uint16Array,
};

let session = null;
let feeds = null;

function tensorFrom(input) {
  const bytes = Buffer.from(input.data, 'base64');
  // A fresh, aligned buffer: Buffer.from may hand back a slice of a shared pool at any offset.
  const aligned = new ArrayBuffer(bytes.length);
  new Uint8Array(aligned).set(bytes);
  const ArrayType = typedArrays[input.type];
  if (!ArrayType) {
    throw new Error(`input '${input.name}': element type ${input.type} is not supported by this peer`);
  }
  return new ort.Tensor(input.type, new ArrayType(aligned), input.dims);
}

async function open(request) {
  await close();
  session = await ort.InferenceSession.create(request.model, {
    intraOpNumThreads: request.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  feeds = {};
  for (const input of request.inputs) {
    feeds[input.name] = tensorFrom(input);
  }
  return { outputs: session.outputNames };
}

async function run(request) {
  if (!session) {
    throw new Error('no session is open');
  }
  const samples = [];
  const deadline = process.hrtime.bigint() + BigInt(Math.round((request.minMs || 0) * 1e6));
  while (samples.length < request.runs || process.hrtime.bigint() < deadline) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { samples };
}

async function close() {
  if (session) {
    await session.release();
  }
  session = null;
  feeds = null;
  return {};
}

const handlers = { open, run, close };

async function main() {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) {
      continue;
    }
    let reply;
    try {
      const request = JSON.parse(line);
      const handler = handlers[request.op];
      if (!handler) {
        throw new Error(`unknown op '${request.op}'`);
      }
      reply = { ok: true, version: ort.env.versions.node, ...(await handler(request)) };
    } catch (e) {
      reply = { ok: false, error: String(e && e.message ? e.message : e) };
    }
    process.stdout.write(JSON.stringify(reply) + '\n');
  }
  await close();
}

main();
