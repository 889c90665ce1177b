// ort_run.js - Run an ONNX model with ONNX Runtime on .npy inputs and write
// its outputs as .npy: the reference qc's outputs are compared with.
//
//   node ort_run.js MODEL.onnx OUT_PREFIX NAME=INPUT.npy [NAME=INPUT.npy ...]
//
// Writes OUT_PREFIX<k>.npy for output k, in the model's output order, and
// prints each output's name and shape. Inputs are float32, int64, int32,
// uint8 or int8 .npy files (C order); single thread.
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

const kinds = {
  '<f4': ['float32', Float32Array], '<i8': ['int64', BigInt64Array],
  '<i4': ['int32', Int32Array], '|u1': ['uint8', Uint8Array],
  '|i1': ['int8', Int8Array], '|b1': ['bool', Uint8Array],
};

function readNpy(path) {
  const buf = fs.readFileSync(path);
  if (buf.toString('latin1', 1, 6) !== 'NUMPY')
    throw new Error(`${path}: not a .npy file`);
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', start, start + headerLen);
  const descr = /'descr': *'([^']+)'/.exec(header)[1];
  if (/'fortran_order': *True/.test(header))
    throw new Error(`${path}: Fortran order is not supported`);
  const shape = /'shape': *\(([^)]*)\)/.exec(header)[1].split(',')
      .map((s) => s.trim()).filter((s) => s).map(Number);
  const kind = kinds[descr];
  if (!kind) throw new Error(`${path}: dtype ${descr} is not supported`);
  const data = buf.subarray(start + headerLen);
  const copy = new Uint8Array(data.length);
  copy.set(data);
  return new ort.Tensor(kind[0], new kind[1](copy.buffer), shape);
}

function writeNpy(path, tensor) {
  const entry = Object.entries(kinds).find(([, k]) => k[0] === tensor.type);
  if (!entry) throw new Error(`output type ${tensor.type} is not supported`);
  const shape = tensor.dims.length === 1 ? `${tensor.dims[0]},` : tensor.dims.join(', ');
  let header = `{'descr': '${entry[0]}', 'fortran_order': False, 'shape': (${shape}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  const d = tensor.data;
  fs.writeFileSync(path, Buffer.concat([pre, Buffer.from(header, 'latin1'),
    Buffer.from(d.buffer, d.byteOffset, d.byteLength)]));
}

(async () => {
  const [model, prefix, ...specs] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential',
  });
  const feeds = {};
  for (const spec of specs) {
    const i = spec.indexOf('=');
    feeds[spec.slice(0, i)] = readNpy(spec.slice(i + 1));
  }
  const out = await session.run(feeds);
  session.outputNames.forEach((name, k) => {
    writeNpy(`${prefix}${k}.npy`, out[name]);
    console.log(`${name}: ${out[name].dims.join('x')}`);
  });
})().catch((e) => {
  console.error(`ort_run: ${e.message}`);
  process.exit(1);
});
