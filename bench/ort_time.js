// ort_time.js - Median time of one ONNX Runtime session run, single thread.
//
//   node ort_time.js MODEL.onnx INPUT_NAME DIMS REPEAT [INPUT.npy]
//
// DIMS is like 360x1x8x8; the input is f32, read from INPUT.npy (a
// little-endian float32 array of DIMS, as numpy.save writes it) or zeros
// without it. Prints "time: X ms per run (median of N)", the format
// `qc run --repeat` prints, after a warm-up.
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

// The data of a .npy file holding `count` little-endian float32 values.
function readNpy(path, count) {
  const bytes = fs.readFileSync(path);
  if (bytes.toString('latin1', 1, 6) !== 'NUMPY')
    throw new Error(`${path}: not a .npy file`);
  const major = bytes[6];
  const headerLen = major >= 2 ? bytes.readUInt32LE(8) : bytes.readUInt16LE(8);
  const start = (major >= 2 ? 12 : 10) + headerLen;
  const header = bytes.toString('latin1', major >= 2 ? 12 : 10, start);
  if (!header.includes("'<f4'") || header.includes("'fortran_order': True"))
    throw new Error(`${path}: want a C-order little-endian float32 array`);
  if (bytes.length - start !== 4 * count)
    throw new Error(`${path}: holds ${(bytes.length - start) / 4} values, want ${count}`);
  const data = new Float32Array(count);
  for (let i = 0; i < count; ++i)
    data[i] = bytes.readFloatLE(start + 4 * i);
  return data;
}

(async () => {
  const [model, inputName, dims, repeatText, npy] = process.argv.slice(2);
  const shape = dims.split('x').map(Number);
  const repeat = Number(repeatText);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const count = shape.reduce((a, b) => a * b, 1);
  const feeds = {[inputName]: new ort.Tensor('float32',
    npy ? readNpy(npy, count) : new Float32Array(count), shape)};
  for (let i = 0; i < 20; ++i)
    await session.run(feeds);
  const times = [];
  for (let i = 0; i < repeat; ++i) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(`time: ${times[Math.floor(repeat / 2)].toFixed(4)} ms per run (median of ${repeat})`);
})().catch((e) => {
  console.error(`ort_time: ${e.message}`);
  process.exit(1);
});
