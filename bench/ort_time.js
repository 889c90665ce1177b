// ort_time.js - Median time of one ONNX Runtime session run, single thread.
//
//   node ort_time.js MODEL.onnx INPUT_NAME DIMS REPEAT
//
// DIMS is like 360x1x8x8; the input is f32 (zeros: the models compared here
// have no data-dependent control flow). Prints "time: X ms per run (median
// of N)", the format `qc run --repeat` prints, after a warm-up.
'use strict';
const ort = require('onnxruntime-node');

(async () => {
  const [model, inputName, dims, repeatText] = process.argv.slice(2);
  const shape = dims.split('x').map(Number);
  const repeat = Number(repeatText);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const count = shape.reduce((a, b) => a * b, 1);
  const feeds = {[inputName]: new ort.Tensor('float32', new Float32Array(count), shape)};
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
